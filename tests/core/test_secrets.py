"""After a full session (key init, export), no raw private key and no passphrase rest anywhere."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from cpaudit.bundle import keys

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "Sécret-口令-7391 horse"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cpaudit", "--lang", "en", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def _needles(key: keys.UnlockedKey) -> dict[str, bytes]:
    seed = key.ed25519.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    pkcs8 = key.p256.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    scalar = key.p256.private_numbers().private_value.to_bytes(32, "big")
    out = {"ed25519 seed": seed, "p256 pkcs8": pkcs8, "p256 scalar": scalar, "passphrase": PASSPHRASE.encode()}
    for name, raw in list(out.items()):
        if name != "passphrase":
            out[name + " b64"] = base64.b64encode(raw)
            out[name + " b64url"] = base64.urlsafe_b64encode(raw).rstrip(b"=")
            out[name + " hex"] = raw.hex().encode()
    out["passphrase utf-16"] = PASSPHRASE.encode("utf-16-le")
    return out


def test_no_private_key_or_passphrase_at_rest(tmp_path: Path, monkeypatch):
    from cpaudit import audit_json
    from cpaudit.samples import sample_data
    from cpaudit.workflow.loader import load_workflow

    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = dict(os.environ, CPAUDIT_HOME=str(home), TMPDIR=str(tmp), PYTHONPATH=str(ROOT), CPAUDIT_PASSPHRASE=PASSPHRASE)
    sample = tmp_path / "sample.json"
    data = sample_data("electroplating")
    sample.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    doc = audit_json.parse(data, load_workflow())
    db = home / "workspace.db"
    steps = [
        ["load", str(sample), "--db", str(db)],
        ["key", "init", "--enterprise", doc.get("enterprise", "name"), "--uscc", doc.get("enterprise", "uscc"),
         "--signer", "张伟"],
        ["export", doc.id, "--stage", "assessment", "--out", str(home / "out.cpaudit"), "--accept-certification",
         "--db", str(db)],
    ]
    for args in steps:
        result = _run(args, env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert PASSPHRASE not in result.stdout + result.stderr

    monkeypatch.setenv("CPAUDIT_HOME", str(home))  # read the key the session wrote
    key = keys.unlock(PASSPHRASE)
    needles = _needles(key)
    scanned = 0
    for folder in (home, tmp):
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            content = path.read_bytes()
            scanned += 1
            for name, needle in needles.items():
                assert needle not in content, f"{name} found in {path.relative_to(tmp_path)}"
    assert scanned >= 3  # the workspace, the key file and the submission were scanned
