"""The bureau's trust registry: enterprise keys from registration requests, and bureau roots.

A request is imported as ``pending``: its self-signature proves only that the
sender holds the key, not who the sender is. The inspector compares the
fingerprint with the sealed printout (``fingerprint_matches``) and then marks
the key trusted; revoking is final for that key id. ``trust_of`` turns the
registry into the bundle's ``Trust`` so verification stays in ``bundle.verify``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpaudit.bundle import format as fmt
from cpaudit.bundle.request import REQUEST_FORMAT, check_request
from cpaudit.bundle.trust import REVOKED, TRUSTED, UNTRUSTED, KeyEntry, Trust
from cpaudit.clock import iso
from cpaudit.i18n import _
from cpaudit.review.inspector import ReviewError, require_inspector
from cpaudit.workspace import Workspace

PENDING = "pending"
STATES = (PENDING, TRUSTED, REVOKED)
_BUNDLE_STATE = {PENDING: UNTRUSTED, TRUSTED: TRUSTED, REVOKED: REVOKED}
MAX_REQUEST_BYTES = 256 * 1024


@dataclass(frozen=True)
class RegisteredKey:
    key_id: str
    fingerprint: str
    uscc: str
    name: str
    signer: str
    state: str
    registered_at: str
    changed_at: str
    public_key: bytes
    note: str = ""

    def state_label(self) -> str:
        return {PENDING: _("pending fingerprint check"), TRUSTED: _("trusted"), REVOKED: _("revoked")}.get(self.state, self.state)


def read_request(path: Path) -> dict[str, Any]:
    """A registration request file, checked: well-formed and signed by the key it names."""
    try:
        if path.stat().st_size > MAX_REQUEST_BYTES:
            raise ValueError
        data = fmt.loads_strict(path.read_bytes())
    except FileNotFoundError:
        raise ReviewError(_("file not found: {path}").format(path=path)) from None
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        raise ReviewError(_("{path} is not a key registration request").format(path=path)) from None
    if not isinstance(data, dict) or data.get("format") != REQUEST_FORMAT or data.get("version") != 1:
        raise ReviewError(_("{path} is not a key registration request").format(path=path))
    if not check_request(data):
        raise ReviewError(_("{path}: the request is not signed by the key it names").format(path=path))
    body = data["request"]
    if not all(isinstance(body.get("enterprise", {}).get(k), str) for k in ("uscc", "name")):
        raise ReviewError(_("{path} is not a key registration request").format(path=path))
    return data


def normalise_fingerprint(text: str) -> str:
    """What a person types from the printout: any case, with or without dashes and spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def normalise_key_id(text: str) -> str:
    """A key id as a person types it: any case, with or without spaces, dashes or colons (stored upper-case hex)."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def fingerprint_matches(key: RegisteredKey, typed: str) -> bool:
    return bool(typed.strip()) and normalise_fingerprint(typed) == normalise_fingerprint(key.fingerprint)


def add_request(ws: Workspace, path: Path, *, confirm_fingerprint: str | None = None) -> RegisteredKey:
    """Register the key of a request as pending (or trusted when ``confirm_fingerprint`` matches)."""
    require_inspector(ws)
    data = read_request(path)
    body = data["request"]
    public = fmt.unb64(body["public_key"], 32)
    existing = get_key(ws, body["key_id"])
    if existing is not None and existing.public_key != public:  # cannot happen short of a hash collision
        raise ReviewError(_("key id {key_id} is registered with another public key").format(key_id=body["key_id"]))
    now = iso(ws.clock.now())
    if existing is None:
        ws.db.execute(
            "INSERT INTO trust_keys (key_id, public_key, fingerprint, uscc, name, signer, state, registered_at, changed_at, request)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [body["key_id"], body["public_key"], body["fingerprint"], body["enterprise"]["uscc"], body["enterprise"]["name"],
             str((body.get("signer") or {}).get("name") or ""), PENDING, now, now,
             json.dumps(data, ensure_ascii=False, sort_keys=True)])
        ws.db.conn.commit()
    key = get_key(ws, body["key_id"])
    assert key is not None
    if confirm_fingerprint is not None:
        if not fingerprint_matches(key, confirm_fingerprint):
            raise ReviewError(_("the fingerprint typed does not match key {key_id}: compare it group by group with the printout").format(
                key_id=key.key_id))
        key = set_state(ws, key.key_id, TRUSTED) if key.state == PENDING else key
    return key


def set_state(ws: Workspace, key_id: str, state: str, note: str = "") -> RegisteredKey:
    """Mark a key trusted or revoked. A revoked key never becomes trusted again (a new key must be registered)."""
    require_inspector(ws)
    if state not in STATES:
        raise ValueError(state)
    key = get_key(ws, key_id)
    if key is None:
        raise ReviewError(_("no registered key {key_id}").format(key_id=key_id))
    if key.state == REVOKED and state != REVOKED:
        raise ReviewError(_("key {key_id} is revoked; the enterprise must register a new key").format(key_id=key.key_id))
    ws.db.execute("UPDATE trust_keys SET state = ?, changed_at = ?, note = CASE WHEN ? = '' THEN note ELSE ? END WHERE key_id = ?",
                  [state, iso(ws.clock.now()), note, note, key.key_id])
    ws.db.conn.commit()
    return get_key(ws, key.key_id)  # type: ignore[return-value]


def trust_key(ws: Workspace, key_id: str, fingerprint: str) -> RegisteredKey:
    """Trust a pending key after the fingerprint on the sealed printout was compared."""
    key = get_key(ws, key_id)
    if key is None:
        raise ReviewError(_("no registered key {key_id}").format(key_id=key_id))
    if not fingerprint_matches(key, fingerprint):
        raise ReviewError(_("the fingerprint typed does not match key {key_id}: compare it group by group with the printout").format(
            key_id=key.key_id))
    return set_state(ws, key.key_id, TRUSTED)


def revoke_key(ws: Workspace, key_id: str, note: str = "") -> RegisteredKey:
    return set_state(ws, key_id, REVOKED, note)


def _key(row: tuple[Any, ...]) -> RegisteredKey:
    key_id, public, fingerprint, uscc, name, signer, state, registered_at, changed_at, note = row
    return RegisteredKey(key_id, fingerprint, uscc, name, signer, state, registered_at, changed_at, fmt.unb64(public, 32), note)


_COLUMNS = "key_id, public_key, fingerprint, uscc, name, signer, state, registered_at, changed_at, note"


def get_key(ws: Workspace, key_id: str) -> RegisteredKey | None:
    """The registered key ``key_id``, however it was typed (see normalise_key_id)."""
    row = ws.db.execute(f"SELECT {_COLUMNS} FROM trust_keys WHERE key_id = ?", [normalise_key_id(key_id)]).fetchone()
    return _key(row) if row else None


def list_keys(ws: Workspace) -> list[RegisteredKey]:
    return [_key(r) for r in ws.db.execute(f"SELECT {_COLUMNS} FROM trust_keys ORDER BY name, registered_at, key_id")]


def add_bureau_root(ws: Workspace, public_key: bytes, name: str) -> str:
    """Pin a bureau key whose certificates make enterprise keys trusted without a registry entry."""
    require_inspector(ws)
    key_id = fmt.key_id_of(public_key)
    ws.db.execute("INSERT INTO bureau_roots (key_id, public_key, name, added_at) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT (key_id) DO UPDATE SET name = excluded.name",
                  [key_id, fmt.b64(public_key), name, iso(ws.clock.now())])
    ws.db.conn.commit()
    return key_id


def bureau_roots(ws: Workspace) -> dict[str, tuple[bytes, str]]:
    return {k: (fmt.unb64(p, 32), n) for k, p, n in ws.db.execute("SELECT key_id, public_key, name FROM bureau_roots")}


def trust_of(ws: Workspace, extra: Trust | None = None) -> Trust:
    """The registry as the verifier's ``Trust``, merged with ``extra`` (a trust file; the most cautious wins)."""
    trust = Trust(sources=["registry"])
    for key in list_keys(ws):
        trust.add_key(KeyEntry(key.key_id, _BUNDLE_STATE[key.state], key.public_key, key.uscc, key.name, "registry"))
    for public, name in bureau_roots(ws).values():
        trust.add_root(public, name)
    return trust.merge(extra) if extra is not None else trust


def trust_export(ws: Workspace, bureau_key: tuple[bytes, str] | None = None, *, with_registry: bool = False) -> dict[str, Any]:
    """A trust file to hand out (``bundle.trust`` format): the bureau roots, with ``bureau_key`` (the
    answer key's public key and name) among them, so enterprises trust the bureau's answers and
    certificates. ``with_registry`` adds every registered enterprise key with its state, for another
    inspector's ``cpaudit verify``; enterprises get the roots only (the registry names other firms)."""
    from cpaudit.bundle.trust import trust_file

    roots = {key_id: (public, name) for key_id, (public, name) in bureau_roots(ws).items()}
    if bureau_key is not None:
        roots[fmt.key_id_of(bureau_key[0])] = bureau_key
    keys = [{"key_id": k.key_id, "public_key": fmt.b64(k.public_key), "status": _BUNDLE_STATE[k.state], "uscc": k.uscc,
             "name": k.name} for k in list_keys(ws)] if with_registry else []
    return trust_file(keys, [{"name": name, "public_key": fmt.b64(public)} for public, name in roots.values()])


def certify_key(ws: Workspace, key_id: str, bureau_key: Any, *, not_before: str, not_after: str,
                serial: str | None = None) -> dict[str, Any]:
    """A bureau certificate (``bundle.certs``) for a trusted registered key, for the enterprise to import.

    ``bureau_key`` is the unlocked bureau key (``bundle.keys.unlock``); its public key
    is pinned as a bureau root here too, so this workspace accepts what it certified.
    """
    import uuid

    from cpaudit.bundle.certs import CertificateError, issue_certificate, validity_bounds

    try:
        not_before, not_after = validity_bounds(not_before, not_after)
    except CertificateError as exc:
        raise ReviewError(exc.message) from None
    key = get_key(ws, key_id)
    if key is None:
        raise ReviewError(_("no registered key {key_id}").format(key_id=key_id))
    if key.state != TRUSTED:
        raise ReviewError(_("key {key_id} is not trusted: compare its fingerprint first").format(key_id=key.key_id))
    request = json.loads(ws.db.execute("SELECT request FROM trust_keys WHERE key_id = ?", [key.key_id]).fetchone()[0])["request"]
    signer = request.get("signer") or {}
    info = bureau_key.info
    add_bureau_root(ws, info.public_key, info.enterprise["name"])
    return issue_certificate(bureau_key.ed25519, info.enterprise["name"], serial=serial or uuid.uuid4().hex,
                             uscc=key.uscc, enterprise_name=key.name, signer_name=str(signer.get("name") or key.signer),
                             signer_title=str(signer.get("title") or ""), public_key=key.public_key,
                             not_before=not_before, not_after=not_after)
