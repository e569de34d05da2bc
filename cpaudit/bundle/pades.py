"""PAdES B-B signature of the report PDF (ECDSA P-256, pyHanko), with a visible stamp.

The report inside the submission is the copy of record; signing it as a PDF
too keeps it verifiable when it travels alone (e-mail, print, archive). A
signature page is appended with a short explanation, and the visible stamp on
it names the signer, the (self-asserted) time, the submission id and the
short hash of the audit data (see docs/submission-format.md for why not the
manifest hash). Offline there is no timestamp authority, so B-B is the most
this can be; the stamp says so.

pyHanko is imported inside the functions: ``import pyhanko.sign`` costs about
0.6 s, which the CLI's other commands and the verifier's hot path must not pay.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cpaudit import paths

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
STAMP_BOX = (60, 440, 535, 540)  # on the signature page, under the explanation
FIELD_NAME = "cpaudit-signature"
_FONT = "cpaudit-cjk"


@dataclass(frozen=True)
class StampText:
    signer: str
    enterprise: str
    uscc: str
    when: str
    submission_id: str
    data_digest: str
    fingerprint: str
    stage_label: str


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_FONT, str(paths.resource_path("fonts", "wqy-microhei.ttc")), subfontIndex=0))
    return _FONT


def _signature_page(t: StampText) -> bytes:
    from reportlab.pdfgen import canvas

    font, buf = _font(), io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)  # invariant: same input, same bytes
    c.setFont(font, 16)
    c.drawString(60, 780, "电子签名页 · Signature page")
    c.setFont(font, 9.5)
    lines = [
        f"企业 Enterprise: {t.enterprise}  ({t.uscc})",
        f"阶段 Stage: {t.stage_label}",
        f"提交编号 Submission: {t.submission_id}",
        f"审核数据哈希 Audit data SHA-256: {t.data_digest}",
        f"签名密钥指纹 Key fingerprint: {t.fingerprint}",
        "",
        "本报告随 .cpaudit 提交文件签署；提交文件的清单（manifest）另以企业密钥（Ed25519）签名，",
        "清单中记录本 PDF 的 SHA-256。离线签名（PAdES B-B）不含可信时间戳，签名时间由签名人电脑自报。",
        "This report is signed as part of a .cpaudit submission whose manifest (signed with the",
        "enterprise key, Ed25519) records this PDF's SHA-256. Offline signature (PAdES B-B): no trusted",
        "timestamp, the signing time is the signer's own clock.",
    ]
    y = 750
    for line in lines:
        c.drawString(60, y, line)
        y -= 15
    c.showPage()
    c.save()
    return buf.getvalue()


def _stamp(t: StampText) -> bytes:
    from reportlab.pdfgen import canvas

    w, h = STAMP_BOX[2] - STAMP_BOX[0], STAMP_BOX[3] - STAMP_BOX[1]
    font, buf = _font(), io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h), invariant=1)
    c.setStrokeColorRGB(0.75, 0.1, 0.1)
    c.setLineWidth(1.5)
    c.rect(2, 2, w - 4, h - 4)
    c.setFillColorRGB(0.75, 0.1, 0.1)
    c.setFont(font, 12)
    c.drawString(12, h - 22, "已电子签名 · Digitally signed (PAdES B-B)")
    c.setFillColorRGB(0, 0, 0)
    c.setFont(font, 9.5)
    for i, line in enumerate([
        f"签名人 Signer: {t.signer}",
        f"时间 Time (self-asserted): {t.when}",
        f"提交 Submission {t.submission_id[:8]} · 数据哈希 Data hash {t.data_digest[:16]}",
    ]):
        c.drawString(12, h - 42 - 16 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def sign_report(pdf: bytes, p256_key: object, cert_pem: bytes, text: StampText) -> bytes:
    """The report with a signature page appended and a PAdES B-B signature over everything."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class _StampPage(PdfContent):
        """pyHanko's ImportedPdfPage reads a file name; ours comes from memory (no temp files)."""

        def __init__(self, data: bytes):
            super().__init__()
            self.data = data

        def render(self) -> bytes:
            from pyhanko.pdf_utils.layout import BoxConstraints

            xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)))
            self.resources.xobject["/CpauditStamp"] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return b"/CpauditStamp Do"

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page_x = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(_signature_page(text))))
    content = writer.add_object(generic.StreamObject(stream_data=b"q /CpauditSigPage Do Q"))
    name = generic.NameObject
    page = generic.DictionaryObject({
        name("/Type"): name("/Page"),
        name("/MediaBox"): generic.ArrayObject([generic.FloatObject(v) for v in (0, 0, PAGE_W, PAGE_H)]),
        name("/Resources"): generic.DictionaryObject({
            name("/XObject"): generic.DictionaryObject({name("/CpauditSigPage"): page_x})}),
        name("/Contents"): content,
    })
    writer.insert_page(page)
    last = int(writer.root["/Pages"]["/Count"]) - 1

    cert = x509.load_pem_x509_certificate(cert_pem)
    der_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    der_key = asn1_keys.PrivateKeyInfo.load(p256_key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    signer = signers.SimpleSigner(signing_cert=der_cert, signing_key=der_key,
                                  cert_registry=SimpleCertificateStore.from_certs([der_cert]))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", name=text.signer,
        reason="清洁生产审核报告提交 / Cleaner production audit submission",
        location=text.enterprise, subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=StaticStampStyle(background=_StampPage(_stamp(text)), border_width=0),
                                   new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=last, box=STAMP_BOX))
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


@dataclass(frozen=True)
class PdfSignatureCheck:
    intact: bool  # the signed bytes are unchanged and the signature is mathematically valid
    covers_whole_file: bool
    cert_sha256: str | None
    bound_key_id: str | None  # Ed25519 key id from the certificate's binding extension, if genuine


def check_report_signature(pdf: bytes) -> PdfSignatureCheck:
    """Integrity of the PAdES signature, and which enterprise key its certificate is bound to.

    Trust in the P-256 certificate itself is not asked for: it is self-issued;
    what counts is the binding to the enterprise key (pdfcert.binding_of).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from cpaudit.bundle.pdfcert import binding_of

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    sigs = reader.embedded_signatures
    if len(sigs) != 1:
        return PdfSignatureCheck(False, False, None, None)
    sig = sigs[0]
    der = sig.signer_cert.dump()
    cert = x509.load_der_x509_certificate(der)
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[sig.signer_cert]))
    bound = binding_of(cert)
    from cpaudit.bundle.format import sha256_hex

    return PdfSignatureCheck(bool(status.intact and status.valid), status.coverage.name == "ENTIRE_FILE",
                             sha256_hex(der), bound["key_id"] if bound else None)
