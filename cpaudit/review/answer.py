"""The bureau's answer file: a signed review result the enterprise app imports and shows.

Format (docs/review-answer-format.md): canonical JSON
``{"format": "cpaudit-review-answer", "version": 1, "answer": {…}, "signature": b64}``,
the signature Ed25519 over ``ANSWER_DOMAIN + canonical(answer)`` with the
bureau key. Same conventions as the submission manifest (``bundle.format``);
the domain prefix keeps an answer signature from being replayed as anything else.
The answer names the manifest hash of exactly what was reviewed, so the
enterprise can tie it to one of the files it kept when it signed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpaudit.bundle import format as fmt
from cpaudit.bundle.trust import TRUSTED, Trust
from cpaudit.clock import iso
from cpaudit.i18n import _
from cpaudit.review import scoring
from cpaudit.review.inspector import ReviewError, require_inspector
from cpaudit.review.reviews import Anchor, review_state, unsupported_decision
from cpaudit.workspace import Workspace

if TYPE_CHECKING:  # the enterprise window lists answers at start; keys and crypto load when used
    from cpaudit.bundle.keys import KeyInfo, UnlockedKey

ANSWER_FORMAT = "cpaudit-review-answer"
ANSWER_DOMAIN = b"CPAUDIT-REVIEW-ANSWER-V1\n"
RECEIVED = "received"  # an acknowledgement of receipt, before any decision
MAX_ANSWER_BYTES = 4 * 1024 * 1024


def init_bureau_key(passphrase: str, *, bureau_name: str, code: str, folder: Path, now: dt.datetime | None = None) -> KeyInfo:
    """The bureau's Ed25519 key, stored encrypted like the enterprise's (same key file format)."""
    from cpaudit.bundle.keys import init_key

    return init_key(passphrase, enterprise_name=bureau_name, uscc=code, signer_name=bureau_name, signer_title="",
                    folder=folder, now=now, role="bureau")


def _decimal_text(value: Any) -> str | None:
    return None if value is None else str(value)


def answer_body(ws: Workspace, submission_id: str, key: UnlockedKey, now: dt.datetime | None = None) -> dict[str, Any]:
    """What the bureau signs for a submission: its review as it stands (a receipt when not decided yet)."""
    from cpaudit.review.snapshot import get_submission

    s = get_submission(ws, submission_id)
    if s.chain_state == "stale":  # the enterprise would read "received" for a file nobody will review
        raise ReviewError(_("revision {revision} of {name} was filed as stale (the bureau already holds that revision or a "
                            "newer one): answer the current revision instead").format(revision=s.revision, name=s.enterprise_name))
    state = review_state(ws, submission_id)
    info = key.info
    body: dict[str, Any] = {
        "answer_id": str(uuid.uuid4()), "issued_at": iso(now or ws.clock.now()), "received_at": s.received_at,
        "bureau": {"name": info.enterprise["name"], "code": info.enterprise["uscc"], "alg": fmt.SIGNATURE_ALG,
                   "key_id": info.key_id, "public_key": fmt.b64(info.public_key), "fingerprint": info.fingerprint},
        "reviewer": state.reviewer if state else ws.user,
        "submission": {"submission_id": s.submission_id, "manifest_sha256": s.manifest_sha256, "uscc": s.uscc,
                       "enterprise": s.enterprise_name, "audit_id": s.audit_id, "round": s.round, "stage": s.stage,
                       "revision": s.revision, "created_at": s.created_at},
        "decision": RECEIVED, "decision_term": "已接收", "sheet": None, "scores": None, "comments": [],
    }
    if state is not None and state.decision:
        why = unsupported_decision(state)  # a database written before decisions were re-checked
        if why:
            raise ReviewError(_("the recorded decision no longer follows from the scoring sheet: {why}; "
                                "decide again").format(why=why))
        result = state.result
        items = [{"id": i.id, "kind": i.kind, "max": _decimal_text(i.max) if i.kind != "veto" else None,
                  "points": _decimal_text((state.points if i.kind == "scored" else state.bonus).get(i.id)) if i.kind != "veto" else None,
                  "veto": i.id in state.vetoes, "note": state.notes.get(i.id, "")}
                 for i in (*state.sheet.vetoes, *state.sheet.scored, *state.sheet.bonus)]
        body.update(
            decision=state.decision, decision_term=scoring.decision_term(state.stage, state.decision),
            sheet={"id": state.sheet.id, "version": state.sheet.version, "title": state.sheet.title_zh},
            scores={"items": items, "scored": str(result.scored), "bonus": str(result.bonus), "total": str(result.total),
                    "pass_mark": str(result.pass_mark), "vetoes": list(result.vetoes)},
            comments=[dict(c.anchor.as_json(), text=c.text, created_at=c.created_at) for c in state.comments],
        )
    return body


def sign_answer(body: dict[str, Any], key: UnlockedKey) -> bytes:
    signature = key.sign(ANSWER_DOMAIN + fmt.canonical_bytes(body))
    return fmt.canonical_bytes({"format": ANSWER_FORMAT, "version": 1, "answer": body, "signature": fmt.b64(signature)})


def issue_answer(ws: Workspace, submission_id: str, key: UnlockedKey, out: Path | None = None,
                 now: dt.datetime | None = None) -> bytes:
    """Sign the answer for ``submission_id``, record it (the review is frozen from now on), write ``out``."""
    require_inspector(ws)
    body = answer_body(ws, submission_id, key, now)
    data = sign_answer(body, key)
    if out is not None:
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
    if body["decision"] != RECEIVED:  # a bare receipt does not freeze the review
        ws.db.execute("INSERT INTO answers_issued (answer_id, submission_id, manifest_sha256, decision, issued_at, bureau_key_id,"
                      " file_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [body["answer_id"], submission_id, body["submission"]["manifest_sha256"], body["decision"],
                       body["issued_at"], key.info.key_id, data])
    return data


# -- the enterprise side ------------------------------------------------------------------

def _local_date(moment: str) -> str:
    """The date on this computer's clock (the answer stores UTC: 23:30 UTC is the next day in Beijing)."""
    from cpaudit.formatting import local_moment

    try:
        return local_moment(moment).date().isoformat()
    except ValueError:
        return moment[:10]


class AnswerError(ReviewError):
    pass


class UntrustedBureau(AnswerError):
    """The answer's signature may be fine, but this computer does not trust its key as a bureau's:
    the app offers to install the bureau's trust file and try again."""


@dataclass(frozen=True)
class AnswerComment:
    anchor: Anchor
    text: str


@dataclass(frozen=True)
class ReceivedAnswer:
    answer_id: str
    audit_id: str
    body: dict[str, Any]

    @property
    def received_at(self) -> str:
        return self.body["received_at"]

    @property
    def decision(self) -> str:
        return self.body["decision"]

    @property
    def stage(self) -> str:
        return self.body["submission"]["stage"]

    @property
    def revision(self) -> int:
        return int(self.body["submission"]["revision"])

    @property
    def bureau_name(self) -> str:
        return self.body["bureau"]["name"]

    @property
    def comments(self) -> list[AnswerComment]:
        return [AnswerComment(Anchor.from_json(c), str(c.get("text") or "")) for c in self.body.get("comments") or []]

    def comments_for(self, step: str, field: str | None = None, row: str | None = None) -> list[AnswerComment]:
        """The comments on a step, or on one of its fields (and row) — what a step page shows beside the field."""
        return [c for c in self.comments if c.anchor.step == step and (field is None or c.anchor.field == field)
                and (row is None or c.anchor.row == row)]

    def receipt_line(self) -> str:
        text = _("Received by the bureau ({bureau}) on {date}").format(bureau=self.bureau_name, date=_local_date(self.received_at))
        if self.decision == RECEIVED:
            return text
        return _("{received}; decision: {decision}").format(received=text, decision=scoring.decision_label(self.stage, self.decision, in_sentence=True))


def _trusted_bureau(trust: Trust, key_id: str, public: bytes) -> bool:
    """A bureau root of the trust file or folder, or the bureau whose certificate of our own key this
    key signed. Never a plain trusted key entry: those are enterprise keys (a registry handed out, or
    the user's own key), and an enterprise must not be able to answer for the bureau."""
    if trust.roots:  # installed bureau roots decide alone: a certificate cannot add a bureau beside them
        return trust.roots.get(key_id) == public
    from cpaudit.bundle.certs import issued_by

    return any(cert.issuer_key_id == key_id and issued_by(cert, public) for cert in trust.own_certs)


def read_answer(path: Path, trust: Trust) -> dict[str, Any]:
    """The answer's body after checking form, trust in the bureau key and the signature."""
    try:
        if path.stat().st_size > MAX_ANSWER_BYTES:
            raise ValueError
        raw = path.read_bytes()
        data = fmt.loads_strict(raw)
        if fmt.canonical_bytes(data) != raw or data.get("format") != ANSWER_FORMAT or data.get("version") != 1:
            raise ValueError
        body, bureau = data["answer"], data["answer"]["bureau"]
        public, signature = fmt.unb64(bureau["public_key"], 32), fmt.unb64(data["signature"], 64)
        if fmt.key_id_of(public) != bureau["key_id"]:
            raise ValueError
        sub = body["submission"]
        if not (fmt.HEX64.match(sub["manifest_sha256"]) and body["decision"] in (RECEIVED, *scoring.DECISION_TERMS_KEYS)
                and fmt.is_uuid4(body["answer_id"]) and fmt.is_uuid4(sub["submission_id"])
                and all(isinstance(body[k], str) for k in ("issued_at", "received_at", "decision_term"))
                and sub["stage"] in fmt.STAGES and isinstance(sub["revision"], int)
                and isinstance(body["comments"], list)
                and all(isinstance(c, dict) and isinstance(c.get("text"), str) and isinstance(c.get("step"), str)
                        for c in body["comments"])):
            raise ValueError
    except FileNotFoundError:
        raise AnswerError(_("file not found: {path}").format(path=path)) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, RecursionError, fmt.NotCanonical):
        raise AnswerError(_("{path} is not a cpaudit review answer").format(path=path)) from None
    if not _trusted_bureau(trust, bureau["key_id"], public):
        error = UntrustedBureau(_("the answer is signed by {name} (key {key_id}), which this computer does not trust as a bureau. "
                                  "Import the bureau's certificate of your key, or install its trust file "
                                  "('cpaudit trust install FILE'; the bureau writes it with 'cpaudit trust export')").format(
            name=bureau.get("name"), key_id=bureau["key_id"]))
        error.bureau_name, error.key_id = str(bureau.get("name") or ""), str(bureau["key_id"])  # for the app's own words
        raise error
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ed25519

    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(signature, ANSWER_DOMAIN + fmt.canonical_bytes(body))
    except InvalidSignature:
        raise AnswerError(_("the bureau's signature on the answer is invalid")) from None
    return body


def import_answer(ws: Workspace, path: Path, trust: Trust) -> ReceivedAnswer:
    """Enterprise side: verify, tie to one of the files this workspace submitted, store (idempotent)."""
    from cpaudit.bundle.export import submitted

    body = read_answer(Path(path), trust)
    sub = body["submission"]
    audit_id = next((meta.id for meta in ws.audits() for m in submitted(ws.path, meta.id)
                     if m.manifest_sha256 == sub["manifest_sha256"] and m.submission_id == sub["submission_id"]), None)
    if audit_id is None:
        raise AnswerError(_("the answer is about a submission this workspace did not send"))
    ws.db.execute("INSERT OR IGNORE INTO answers_received (answer_id, audit_id, manifest_sha256, received_at, decision,"
                  " bureau_key_id, bureau_name, imported_at, file_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [body["answer_id"], audit_id, sub["manifest_sha256"], body["received_at"], body["decision"],
                   body["bureau"]["key_id"], str(body["bureau"].get("name") or ""), iso(ws.clock.now()), Path(path).read_bytes()])
    return ReceivedAnswer(body["answer_id"], audit_id, body)


def answers_for(ws: Workspace, audit_id: str) -> list[ReceivedAnswer]:
    """The bureau's answers about an audit's submissions, newest first."""
    out = []
    for answer_id, data in ws.db.execute("SELECT answer_id, file_bytes FROM answers_received WHERE audit_id = ?"
                                         " ORDER BY received_at DESC, imported_at DESC", [audit_id]):
        out.append(ReceivedAnswer(answer_id, audit_id, json.loads(bytes(data))["answer"]))
    return sorted(out, key=lambda a: (a.body.get("issued_at") or "", a.received_at), reverse=True)
