"""Reason codes of the verifier and their translated explanations.

The codes are part of the format spec (docs/submission-format.md, "Reasons"):
stable, English, machine-readable. The texts are for people.
"""

from __future__ import annotations

from cpaudit.i18n import _


def reason_text(code: str) -> str:
    texts = {
        "file_unreadable": _("the file cannot be read"),
        "file_too_large": _("the file is larger than a submission may be"),
        "not_a_zip": _("not a zip archive"),
        "archive_comment": _("the archive has a comment or trailing bytes"),
        "zip64_unsupported": _("the archive uses zip64, which submissions never need"),
        "zip_multidisk": _("the archive is split over several disks"),
        "zip_layout": _("the archive's entries are not laid out one after the other"),
        "zip_feature_unsupported": _("the archive uses a zip feature submissions do not allow"),
        "too_many_entries": _("the archive has too many entries"),
        "entry_path_absolute": _("an entry has an absolute path"),
        "entry_path_traversal": _("an entry's path climbs out of the archive (..)"),
        "entry_name_invalid": _("an entry has a name submissions do not allow"),
        "entry_symlink": _("an entry is a symbolic link"),
        "entry_not_regular": _("an entry is not a regular file"),
        "entry_duplicate": _("two entries have the same name"),
        "entry_encrypted": _("an entry is encrypted"),
        "compression_unsupported": _("an entry uses an unsupported compression method"),
        "entry_too_large": _("an entry is larger than allowed"),
        "total_too_large": _("the entries together are larger than allowed"),
        "compression_ratio": _("an entry is compressed suspiciously well (zip bomb)"),
        "entries_overlap": _("entries overlap inside the archive"),
        "entry_corrupt": _("an entry is damaged (checksum or compression error)"),
        "mimetype_missing": _("the mimetype entry is missing"),
        "mimetype_not_first": _("the mimetype entry is not the first entry"),
        "mimetype_compressed": _("the mimetype entry is compressed"),
        "mimetype_wrong": _("the mimetype is not that of a cpaudit submission"),
        "manifest_missing": _("manifest.json is missing"),
        "manifest_too_large": _("manifest.json is too large"),
        "manifest_not_json": _("manifest.json is not valid JSON"),
        "manifest_not_canonical": _("manifest.json is not in canonical form"),
        "manifest_invalid": _("manifest.json lacks a field or has a wrong type"),
        "format_unsupported": _("this version of the submission format is not supported"),
        "signature_missing": _("the signature is missing"),
        "signature_malformed": _("the signature is not 64 bytes"),
        "key_id_mismatch": _("the key id does not belong to the public key"),
        "signature_invalid": _("the signature does not match the manifest"),
        "cert_malformed": _("the signer certificate is malformed"),
        "cert_signature_invalid": _("the bureau's signature on the signer certificate is invalid"),
        "cert_wrong_key": _("the signer certificate is for another key"),
        "cert_wrong_enterprise": _("the signer certificate is for another enterprise"),
        "cert_expired": _("the signer certificate was not valid at the signing time"),
        "demo_refused": _("a demo file of the training sandbox, signed with the public demo key: only a training "
                          "workspace accepts it (never register the demo key)"),
        "signer_revoked": _("the signing key has been revoked"),
        "signer_untrusted": _("the signing key is known but not trusted"),
        "signer_unknown": _("the signing key is unknown (not registered, no bureau certificate)"),
        "signer_key_mismatch": _("a registered key has this key id but a different public key"),
        "signer_wrong_enterprise": _("the signing key is registered for another enterprise"),
        "entry_unlisted": _("an entry is not listed in the manifest"),
        "entry_missing": _("an entry listed in the manifest is missing"),
        "entry_role_invalid": _("an entry's role or path is not allowed"),
        "size_mismatch": _("an entry's size differs from the manifest"),
        "hash_mismatch": _("an entry's SHA-256 differs from the manifest"),
        "report_not_pdf": _("the report is not a PDF"),
        "audit_not_json": _("the audit data is not valid JSON"),
        "audit_invalid": _("the audit data does not match the workflow's schema"),
        "audit_not_canonical": _("the audit data is not in the form cpaudit writes"),
        "journal_invalid": _("the change journal is not a list of changes"),
        "workflow_mismatch": _("the manifest and the audit data name different workflows"),
        "workflow_unknown": _("this version of cpaudit does not have the audit's workflow version"),
        "enterprise_mismatch": _("the manifest's enterprise or audit differs from the audit data"),
        "figures_invalid": _("the stored figures are not valid JSON"),
        "figures_mismatch": _("the recomputed figures differ from the stored ones"),
        "figures_not_recomputed": _("the figures were not recomputed (quick check)"),
        "content_not_checked": _("the audit data, journal and figures were not checked (integrity check only)"),
        "validation_incomplete": _("the submission has validation errors or unjustified warnings"),
        "certification_missing": _("the certification statement was not accepted or was altered"),
        "revision_invalid": _("the revision number and the superseded submission do not fit together"),
        "revision_replayed": _("this exact submission was already received"),
        "revision_stale": _("a newer or equal revision of this submission is already known"),
        "submission_conflict": _("another submission with the same id but different content is known"),
        "supersedes_mismatch": _("the superseded submission named does not match the one received"),
        "revision_gap": _("revisions are missing between the last one known and this one"),
    }
    return texts.get(code, code)


def detail_text(detail: str) -> str:
    """A finding's detail for people: the English words the verifier uses are translated;
    names, numbers and already translated texts are shown as they are (JSON keeps the raw detail)."""
    texts = {
        "name": _("its name is not its SHA-256"),
    }
    return texts.get(detail, detail)


def finding_text(code: str, entry: str | None, detail: str) -> str:
    """One finding as a sentence that names the entry: "the file is damaged: report/report.pdf is
    larger than its declared size", not the reader's "[report/report.pdf] (longer than declared)"."""
    if code == "entry_corrupt" and entry:
        return _damage_text(detail).format(entry=entry)
    reason, said = reason_text(code), detail_text(detail)
    if entry and said:
        return _("{reason}: {entry}, {detail}").format(reason=reason, entry=entry, detail=said)
    if entry:
        return _("{reason}: {entry}").format(reason=reason, entry=entry)
    if said:
        return _("{reason} ({detail})").format(reason=reason, detail=said)
    return reason


def _damage_text(detail: str) -> str:
    texts = {
        "checksum": _("the file is damaged: the content of {entry} does not match its checksum"),
        "longer than declared": _("the file is damaged: {entry} is larger than its declared size"),
        "truncated": _("the file is damaged: {entry} is cut short"),
        "stored sizes differ": _("the file is damaged: the sizes stored for {entry} differ"),
    }
    return texts.get(detail, _("the file is damaged: {entry} cannot be unpacked"))
