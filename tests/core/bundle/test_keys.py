"""The signing key at rest, the passphrase, backups, the registration request, the PDF certificate."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography import x509

from cpaudit.bundle import format as fmt
from cpaudit.bundle import keys
from cpaudit.bundle.pdfcert import binding_of
from cpaudit.bundle.request import check_request, registration_request, request_pdf
from cpaudit.cli import main
from cpaudit.i18n import set_language

NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def key_folder(tmp_path):
    keys.init_key("first passphrase", enterprise_name="示例企业", uscc="91140110MA0K7X3Q2B", signer_name="张伟",
                  signer_title="法定代表人", folder=tmp_path, now=NOW)
    return tmp_path


def test_private_key_never_in_clear(key_folder):
    key = keys.unlock("first passphrase", key_folder)
    text = (key_folder / keys.KEY_FILE).read_text(encoding="utf-8")
    seed = key.ed25519.private_bytes_raw()
    assert fmt.b64(seed) not in text and seed.hex() not in text
    assert (key_folder / keys.KEY_FILE).stat().st_mode & 0o077 == 0


def test_wrong_passphrase_is_a_clear_message(key_folder):
    set_language("en")
    with pytest.raises(keys.WrongPassphrase) as exc:
        keys.unlock("not it at all", key_folder)
    assert exc.value.message == f"wrong passphrase for the signing key {keys.load_info(key_folder).key_id}"


def test_editing_the_clear_header_breaks_decryption(key_folder):
    path = key_folder / keys.KEY_FILE
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["pdf_cert_pem"] = doc["pdf_cert_pem"].replace("A", "B", 1)
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(keys.WrongPassphrase):
        keys.unlock("first passphrase", key_folder)


def test_passwd_and_backup(key_folder, tmp_path_factory):
    before = keys.load_info(key_folder)
    keys.change_passphrase("first passphrase", "second passphrase", key_folder)
    with pytest.raises(keys.WrongPassphrase):
        keys.unlock("first passphrase", key_folder)
    assert keys.unlock("second passphrase", key_folder).info.key_id == before.key_id
    with pytest.raises(keys.KeyStoreError):
        keys.change_passphrase("second passphrase", "short", key_folder)
    usb = tmp_path_factory.mktemp("usb")
    keys.export_backup(usb / keys.KEY_FILE, key_folder)  # restoring = putting the file back in a keys folder
    assert keys.unlock("second passphrase", usb).info.key_id == before.key_id
    with pytest.raises(keys.KeyStoreError):
        keys.export_backup(usb / keys.KEY_FILE, key_folder)  # never overwrites
    from cpaudit.i18n import using_language

    with using_language("en"):
        assert "lost passphrase means a new key" in keys.backup_warning()


def test_a_backup_restores_on_another_computer_with_its_certificate(key_folder, tmp_path_factory, capsys, monkeypatch):
    """Found in review: `key backup` had no restore, and the bureau certificate was not in the backup."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from cpaudit.bundle.certs import issue_certificate

    info = keys.load_info(key_folder)
    cert = issue_certificate(ed25519.Ed25519PrivateKey.generate(), "太原市生态环境局", serial="TY-2026-0042",
                             uscc=info.enterprise["uscc"], enterprise_name="示例企业", signer_name="张伟", signer_title="",
                             public_key=info.public_key, not_before="2026-01-01T00:00:00+08:00",
                             not_after="2027-12-31T23:59:59+08:00")
    usb, pc2 = tmp_path_factory.mktemp("usb"), tmp_path_factory.mktemp("pc2")
    (usb / "cert.json").write_text(json.dumps(cert), encoding="utf-8")
    keys.import_certificate(usb / "cert.json", key_folder)
    backup = keys.export_backup(usb / "backup.json", key_folder)
    with pytest.raises(keys.WrongPassphrase):
        keys.restore_backup(backup, "not the passphrase", pc2)
    assert not keys.has_key(pc2)
    restored, dropped = keys.restore_backup(backup, "first passphrase", pc2)
    assert not dropped
    assert restored.key_id == info.key_id and restored.bureau_cert["cert"]["serial"] == "TY-2026-0042"
    assert keys.unlock("first passphrase", pc2).info.key_id == info.key_id
    with pytest.raises(keys.KeyStoreError, match="--force"):
        keys.restore_backup(backup, "first passphrase", pc2)
    other = tmp_path_factory.mktemp("other")
    replaced = keys.init_key("other passphrase", enterprise_name="示例企业", uscc="91140110MA0K7X3Q2B", signer_name="李四",
                             signer_title="", folder=other, now=NOW)
    assert keys.restore_backup(backup, "first passphrase", other, force=True)[0].key_id == info.key_id
    assert [r.key_id for r in keys.retired_infos(other)] == [replaced.key_id]  # the replaced key is kept aside

    # Found in review: the same key again from a backup without a certificate deleted the installed one; a
    # certificate of another key (or garbage) in a backup was installed and broke export and `key show`;
    # and two replacements in a row overwrote a retired private key.
    bare = usb / "bare.json"
    bare.write_text(json.dumps({k: v for k, v in json.loads(backup.read_text(encoding="utf-8")).items()
                                if k != keys.BACKUP_CERT}), encoding="utf-8")
    kept, dropped = keys.restore_backup(bare, "first passphrase", pc2, force=True)
    assert kept.bureau_cert["cert"]["serial"] == "TY-2026-0042" and not dropped
    garbage = usb / "garbage.json"
    garbage.write_text(json.dumps(dict(json.loads(bare.read_text(encoding="utf-8")), **{keys.BACKUP_CERT: "garbage"})),
                       encoding="utf-8")
    fresh = tmp_path_factory.mktemp("fresh")
    info_g, dropped = keys.restore_backup(garbage, "first passphrase", fresh)
    assert dropped and info_g.bureau_cert is None
    chain = tmp_path_factory.mktemp("chain")
    made = [keys.init_key("chain passphrase", enterprise_name="示例企业", uscc="91140110MA0K7X3Q2B", signer_name="张伟",
                          signer_title="", folder=chain, now=NOW, force=True) for _n in range(3)]  # same second, three keys
    keys.restore_backup(backup, "first passphrase", chain, force=True)
    assert sorted(r.key_id for r in keys.retired_infos(chain)) == sorted(m.key_id for m in made)  # none lost

    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path_factory.mktemp("pc3")))
    monkeypatch.setenv("CPAUDIT_PASSPHRASE", "first passphrase")
    assert main(["--lang", "en", "key", "restore", str(backup)]) == 0
    assert f"signing key {info.key_id} restored" in capsys.readouterr().out
    (usb / "junk.json").write_text("{}", encoding="utf-8")
    assert main(["--lang", "en", "key", "restore", str(usb / "junk.json"), "--force"]) == 2
    assert "is not a cpaudit key backup" in capsys.readouterr().err


def test_registration_request_is_self_signed_and_printable(key_folder):
    key = keys.unlock("first passphrase", key_folder)
    request = registration_request(key, NOW)
    assert check_request(request)
    request["request"]["enterprise"]["name"] = "别的企业"
    assert not check_request(request)
    pdf = request_pdf(registration_request(key, NOW))
    assert pdf.startswith(b"%PDF-") and len(pdf) < 200_000


def test_pdf_certificate_is_bound_to_the_enterprise_key(key_folder):
    info = keys.load_info(key_folder)
    cert = x509.load_pem_x509_certificate(info.pdf_cert_pem)
    assert binding_of(cert) == {"key_id": info.key_id, "public_key": info.public_key}
    assert cert.public_key().curve.name == "secp256r1"


def test_cli_key_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path))
    secret = tmp_path / "pass.txt"
    secret.write_text("a long passphrase\n", encoding="utf-8")
    base = ["--lang", "en", "key"]
    assert main(base + ["init", "--enterprise", "示例企业", "--uscc", "91140110MA0K7X3Q2B", "--signer", "张伟",
                        "--passphrase-file", str(secret)]) == 0
    assert main(base + ["init", "--enterprise", "x", "--uscc", "y", "--signer", "z", "--passphrase-file", str(secret)]) == 2
    capsys.readouterr()
    assert main(base + ["show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["fingerprint"] == keys.load_info().fingerprint
    assert main(base + ["export-request", "--out", str(tmp_path / "req.json"), "--passphrase-file", str(secret)]) == 0
    assert check_request(json.loads((tmp_path / "req.json").read_text(encoding="utf-8")))
    assert (tmp_path / "req.pdf").read_bytes().startswith(b"%PDF-")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope nope nope\n", encoding="utf-8")
    capsys.readouterr()
    assert main(base + ["export-request", "--out", str(tmp_path / "r2.json"), "--passphrase-file", str(wrong)]) == 1
    assert capsys.readouterr().err.startswith("wrong passphrase")
    # the JSON parser's and the operating system's own texts never reach the user
    wrong.write_text("{not json", encoding="utf-8")
    assert main(base + ["import-cert", str(wrong)]) == 2
    assert capsys.readouterr().err.strip() == f"{wrong} is not a bureau certificate"
    assert main(base + ["import-cert", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"cannot read {tmp_path}: it is a folder"
    assert main(base + ["backup", "--out", str(tmp_path / "nodir" / "k.key")]) == 2
    assert capsys.readouterr().err.strip() == f"cannot write {tmp_path / 'nodir' / 'k.key'}: the folder does not exist"


def test_cli_says_when_the_bureau_certificate_is_not_valid_today(tmp_path, capsys):
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from cpaudit.bundle.certs import issue_certificate

    info = keys.init_key("first passphrase", enterprise_name="示例企业", uscc="91140110MA0K7X3Q2B", signer_name="张伟",
                         signer_title="法定代表人", now=NOW)  # the default key folder, as the CLI uses it
    cert = issue_certificate(ed25519.Ed25519PrivateKey.generate(), "太原市生态环境局", serial="TY-2024-0001",
                             uscc=info.enterprise["uscc"], enterprise_name="示例企业", signer_name="张伟", signer_title="",
                             public_key=info.public_key, not_before="2024-01-01T00:00:00+08:00",
                             not_after="2024-12-31T23:59:59+08:00")
    source = tmp_path / "cert.json"
    source.write_text(json.dumps(cert, ensure_ascii=False), encoding="utf-8")
    assert main(["--lang", "en", "key", "import-cert", str(source)]) == 0
    assert "TY-2024-0001" in capsys.readouterr().out
    assert main(["--lang", "en", "key", "show"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: The bureau's certificate for this key is valid from Jan 1, 2024 to Dec 31, 2024")


@pytest.mark.parametrize("option, value, words", [
    ("--uscc", "123", "18 characters"), ("--uscc", "91140110MA0K7X3Q2C", "check character"),
    ("--uscc", "91140110MA0K7X3QOB", "only digits"), ("--uscc", "", "required"), ("--enterprise", "  ", "required"),
    ("--signer", "张\n伟", "control character"), ("--title", "x" * 201, "at most 200"),
])
def test_cli_key_init_checks_the_identity_before_making_the_key(tmp_path, monkeypatch, capsys, option, value, words):
    """Found by QA: `key init --uscc 123` made a key; the mistake surfaced only at the first export, after the
    key had been registered with the bureau."""
    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path))
    secret = tmp_path / "pass.txt"
    secret.write_text("a long passphrase\n", encoding="utf-8")
    identity = {"--enterprise": "示例企业", "--uscc": "91140110MA0K7X3Q2B", "--signer": "张伟", "--title": "法定代表人"}
    identity[option] = value
    argv = ["--lang", "en", "key", "init", *[x for pair in identity.items() for x in pair], "--passphrase-file", str(secret)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]
    assert not keys.has_key()


def test_cli_key_init_says_what_was_made_not_a_backup(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path))
    secret = tmp_path / "pass.txt"
    secret.write_text("a long passphrase\n", encoding="utf-8")
    assert main(["--lang", "en", "key", "init", "--enterprise", "示例企业", "--uscc", " 91140110ma0k7x3q2b ", "--signer", "张伟",
                 "--passphrase-file", str(secret)]) == 0
    out = capsys.readouterr().out
    assert "backup is encrypted" not in out and "The key is encrypted with your passphrase" in out
    assert "cpaudit key backup" in out
    assert keys.load_info().enterprise["uscc"] == "91140110MA0K7X3Q2B"


def test_init_key_refuses_an_invalid_uscc_for_the_gui_too(tmp_path):
    set_language("en")
    with pytest.raises(keys.KeyStoreError) as exc:
        keys.init_key("first passphrase", enterprise_name="示例企业", uscc="123", signer_name="张伟", signer_title="",
                      folder=tmp_path)
    assert exc.value.message == "unified social credit code: a unified social credit code has 18 characters"
    assert not (tmp_path / keys.KEY_FILE).exists()
