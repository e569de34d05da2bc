"""The key registration request for the bureau: self-signed JSON plus a printable PDF.

The JSON proves possession of the key (it is signed with it); the printout
carries the fingerprint for the company seal (公章) and the legal
representative's signature, which is what identity proofing rests on.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from cpaudit.bundle import format as fmt
from cpaudit.bundle.keys import UnlockedKey
from cpaudit.i18n import _

REQUEST_FORMAT = "cpaudit-key-request"


def registration_request(key: UnlockedKey, now: dt.datetime | None = None) -> dict[str, Any]:
    info = key.info
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    body = {
        "enterprise": info.enterprise, "signer": info.signer, "alg": fmt.SIGNATURE_ALG, "key_id": info.key_id,
        "public_key": fmt.b64(info.public_key), "fingerprint": info.fingerprint,
        "pdf_cert_sha256": info.pdf_cert_sha256, "created_at": now.isoformat(timespec="seconds"),
    }
    return {"format": REQUEST_FORMAT, "version": 1, "request": body,
            "signature": fmt.b64(key.sign(fmt.KEY_REQUEST_DOMAIN + fmt.canonical_bytes(body)))}


def check_request(data: dict[str, Any]) -> bool:
    """The bureau side: the request is signed by the key it names."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ed25519

    try:
        body = data["request"]
        public = fmt.unb64(body["public_key"], 32)
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(
            fmt.unb64(data["signature"], 64), fmt.KEY_REQUEST_DOMAIN + fmt.canonical_bytes(body))
        return fmt.key_id_of(public) == body["key_id"] and fmt.fingerprint_of(public) == body["fingerprint"]
    except (KeyError, TypeError, ValueError, InvalidSignature, fmt.NotCanonical):
        return False


def request_pdf(request: dict[str, Any]) -> bytes:
    """A4 sheet: who, which key, the fingerprint in large type, a QR code, places for seal and signature."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfgen import canvas

    from cpaudit.bundle.pades import _font

    body = request["request"]
    font, buf = _font(), io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    c.setTitle("cpaudit key registration request")
    c.setFont(font, 18)
    c.drawString(60, 780, "电子签名密钥备案申请表 · Signing key registration request")
    c.setFont(font, 11)
    rows = [
        ("企业名称 Enterprise", body["enterprise"]["name"]),
        ("统一社会信用代码 USCC", body["enterprise"]["uscc"]),
        ("签名人 Signer", body["signer"]["name"]),
        ("职务 Title", body["signer"].get("title", "")),
        ("算法 Algorithm", "Ed25519"),
        ("密钥编号 Key id", body["key_id"]),
        ("公钥 Public key", body["public_key"]),
        ("PDF 证书 SHA-256", body["pdf_cert_sha256"][:32]),
        ("", body["pdf_cert_sha256"][32:]),
        ("申请时间 Created", body["created_at"]),
    ]
    y = 740
    for label, value in rows:
        c.drawString(60, y, label)
        c.drawString(230, y, value)
        y -= 20
    c.setFont(font, 13)
    c.drawString(60, y - 10, "密钥指纹 Fingerprint（请逐组核对 / check group by group）")
    c.setFont("Courier-Bold", 20)
    for n, line in enumerate(fmt.format_fingerprint(body["fingerprint"]).splitlines()):
        c.drawString(60, y - 45 - 30 * n, line)
    qr = QrCodeWidget(f"cpaudit-key:{body['key_id']}:{body['fingerprint']}")
    x1, y1, x2, y2 = qr.getBounds()
    d = Drawing(130, 130, transform=[130 / (x2 - x1), 0, 0, 130 / (y2 - y1), 0, 0])
    d.add(qr)
    renderPDF.draw(d, c, 405, y - 110)
    c.setFont(font, 11)
    text_y = y - 160
    for line in (
        "本人确认上述密钥由本企业在本地生成并由签名人独自掌握，申请备案用于清洁生产审核电子提交。",
        "I confirm that this key was generated locally and is held by the signer alone.",
    ):
        c.drawString(60, text_y, line)
        text_y -= 18
    c.drawString(60, text_y - 40, "法定代表人签字 Legal representative: ____________________")
    c.drawString(60, text_y - 80, "企业公章 Company seal:")
    c.rect(230, text_y - 180, 150, 150)
    c.drawString(60, text_y - 200, "日期 Date: ____________________")
    c.showPage()
    c.save()
    return buf.getvalue()


def request_summary(request: dict[str, Any]) -> str:
    body = request["request"]
    return _("key {key_id} of {signer} for {name} ({uscc}); fingerprint {fingerprint}").format(
        key_id=body["key_id"], signer=body["signer"]["name"], name=body["enterprise"]["name"],
        uscc=body["enterprise"]["uscc"], fingerprint=body["fingerprint"])
