"""The inspector's command line: import with per-file lines and exit status, trust, dashboard, answer."""

from __future__ import annotations

import json
import shutil

import pytest
from review_helpers import PASSPHRASE, tamper

from cpaudit.cli import main


@pytest.fixture(scope="module")
def exported(plating, coking, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    return {"plating": plating.export(out / "plating.cpaudit"), "coking": coking.export(out / "coking.cpaudit"),
            "requests": [plating.request(out / "plating.json"), coking.request(out / "coking.json")], "out": out}


def test_import_dashboard_trust_and_answer_from_the_command_line(exported, plating, coking, tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "bureau.db")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(exported["plating"], inbox / "a.cpaudit")
    shutil.copy(exported["coking"], inbox / "b.cpaudit")
    # nobody registered yet: every file is rejected, exit 1, one line per file and a summary
    assert main(["--lang", "en", "import", str(inbox), "--db", db]) == 1
    out = capsys.readouterr().out
    assert out.count("rejected\t") == 2 and "0 imported" in out

    for request, e in zip(exported["requests"], (plating, coking)):
        assert main(["--lang", "en", "trust", "add-request", str(request), "--db", db]) == 0
        assert e.info.fingerprint in capsys.readouterr().out
        assert main(["--lang", "en", "trust", "approve", e.info.key_id, "--fingerprint", "wrong", "--db", db]) == 1
        assert "does not match" in capsys.readouterr().err
        fingerprint = e.info.fingerprint.lower().replace("-", " ")  # as typed from the printout
        assert main(["--lang", "en", "trust", "approve", e.info.key_id, "--fingerprint", fingerprint, "--db", db]) == 0
        assert "is trusted" in capsys.readouterr().out
    assert main(["--lang", "en", "trust", "list", "--json", "--db", db]) == 0
    assert {k["state"] for k in json.loads(capsys.readouterr().out)} == {"trusted"}

    assert main(["--lang", "en", "import", str(inbox), "--db", db, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and [f["status"] for f in result["files"]] == ["imported", "imported"]
    assert main(["--lang", "en", "import", str(inbox / "a.cpaudit"), "--db", db]) == 0  # idempotent
    line = capsys.readouterr().out
    # ... and the line names the submission id `review answer` asks for, and the link of the chain
    assert "already imported" in line and result["files"][0]["submission_id"][:8] in line
    assert "round 1, assessment (评估), revision 1" in line
    tamper(exported["plating"], tmp_path / "bad.cpaudit")
    assert main(["--lang", "en", "import", str(tmp_path / "bad.cpaudit"), "--db", db]) == 1
    capsys.readouterr()

    csv, xlsx = tmp_path / "d.csv", tmp_path / "d.xlsx"
    assert main(["--lang", "en", "dashboard", "--db", db, "--csv", str(csv), "--xlsx", str(xlsx)]) == 0
    assert "2 audits of 2 enterprises" in capsys.readouterr().out and csv.is_file() and xlsx.is_file()
    assert main(["--lang", "en", "dashboard", "--db", db, "--district", "清徐县", "--json"]) == 0
    text = capsys.readouterr().out
    assert json.loads(text)["audits"] == 1 and "E+" not in text  # 80 was written "8E+1"

    # the bureau key, a receipt answer, and the enterprise storing it
    keys = tmp_path / "bureau-key"
    passfile = tmp_path / "pass.txt"
    passfile.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert main(["--lang", "en", "review", "bureau-key", "--name", "太原市生态环境局", "--code", "11140100MB12345675",
                 "--key-folder", str(keys), "--passphrase-file", str(passfile)]) == 0
    capsys.readouterr()
    cert = tmp_path / "cert.json"
    assert main(["--lang", "en", "trust", "certify", plating.info.key_id, "--db", db, "--out", str(cert),
                 "--not-before", "2026-01-01T00:00:00+08:00", "--not-after", "2028-12-31T00:00:00+08:00",
                 "--key-folder", str(keys), "--passphrase-file", str(passfile)]) == 0
    assert json.loads(cert.read_text(encoding="utf-8"))["cert"]["key_id"] == plating.info.key_id
    capsys.readouterr()
    submission = result["files"][0]["submission_id"]
    answer = tmp_path / "answer.json"
    assert main(["--lang", "en", "review", "answer", submission[:8], "--db", db, "--out", str(answer),
                 "--key-folder", str(keys), "--passphrase-file", str(passfile)]) == 0
    assert "no decision is recorded yet" in capsys.readouterr().out  # a receipt, not the review's result
    # Nothing wrote the trust file an enterprise needs (found in review): `trust export` does, `trust install` puts it
    # where every command and the app read it, and `verify --db` trusts what `import --db` trusts.
    trust = tmp_path / "taiyuan-bureau.json"
    assert main(["--lang", "en", "trust", "export", "--db", db, "--out", str(trust), "--key-folder", str(keys)]) == 0
    assert "(bureau keys: 1, enterprise keys: 0)" in capsys.readouterr().out
    public = json.loads(answer.read_text(encoding="utf-8"))["answer"]["bureau"]["public_key"]
    assert [r["public_key"] for r in json.loads(trust.read_text(encoding="utf-8"))["bureau_roots"]] == [public]
    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path / "enterprise-home"))
    assert main(["--lang", "en", "review", "import-answer", str(answer), "--db", str(plating.ws.path)]) == 1
    assert "cpaudit trust install" in capsys.readouterr().err
    assert main(["--lang", "en", "trust", "install", str(trust)]) == 0
    assert "太原市生态环境局" in capsys.readouterr().out
    [installed] = (tmp_path / "enterprise-home" / "trust").glob("taiyuan-bureau-*.json")
    # a second bureau's file of the same name goes beside it, not over it (found in review)
    other_keys = tmp_path / "province-key"
    assert main(["--lang", "en", "review", "bureau-key", "--name", "山西省生态环境厅", "--code", "11140100MB12345675",
                 "--key-folder", str(other_keys), "--passphrase-file", str(passfile)]) == 0
    capsys.readouterr()
    from cpaudit.review.inspector import open_inspector

    province, province_db = tmp_path / "province" / trust.name, tmp_path / "province.db"
    province.parent.mkdir()
    open_inspector(province_db).close()
    assert main(["--lang", "en", "trust", "export", "--db", str(province_db), "--out", str(province),
                 "--key-folder", str(other_keys)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "trust", "install", str(province)]) == 0
    installed_line, now_line = capsys.readouterr().out.strip().splitlines()
    assert "山西省生态环境厅" in installed_line and "太原市生态环境局" not in installed_line
    assert "山西省生态环境厅" in now_line and "太原市生态环境局" in now_line  # all the bureaus now trusted
    assert len(list((tmp_path / "enterprise-home" / "trust").glob("*.json"))) == 2 and installed.is_file()
    assert main(["--lang", "en", "review", "import-answer", str(answer), "--db", str(coking.ws.path)]) == 1
    assert "did not send" in capsys.readouterr().err
    assert main(["--lang", "en", "review", "import-answer", str(answer), "--db", str(plating.ws.path)]) == 0
    assert "Received by the bureau" in capsys.readouterr().out
    assert main(["--lang", "en", "verify", str(exported["plating"])]) == 1  # this computer registered nobody
    capsys.readouterr()
    exported_again = tmp_path / "again.cpaudit"  # the same file, already received: import says "already imported"
    shutil.copy(exported["plating"], exported_again)
    assert main(["--lang", "en", "verify", str(exported_again), "--db", db]) == 1
    said = capsys.readouterr().out  # verify --db judges it with what the bureau trusts and holds
    assert "revision_replayed" in said and "signer_unknown" not in said
    registry_file = tmp_path / "registry.json"
    assert main(["--lang", "en", "trust", "export", "--registry", "--db", db, "--out", str(registry_file), "--key-folder", str(keys)]) == 0
    assert {k["status"] for k in json.loads(registry_file.read_text(encoding="utf-8"))["keys"]} == {"trusted"}
    # A second inspector installs the registry: its import trusts what its verify trusts (import ignored it).
    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path / "second-inspector"))
    assert main(["--lang", "en", "import", str(exported["plating"]), "--db", str(tmp_path / "second.db")]) == 1
    assert main(["--lang", "en", "trust", "install", str(registry_file)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "import", str(exported["plating"]), "--db", str(tmp_path / "second.db")]) == 0
    assert capsys.readouterr().out.startswith("imported")


def test_a_new_inspector_registers_keys_before_the_first_import(exported, plating, tmp_path, capsys):
    """Found by QA: `trust add-request` refused a new bureau database ("file not found"), so keys could
    not be registered before the first import; reading commands must still refuse a missing file."""
    from cpaudit.review.inspector import is_training, require_inspector
    from cpaudit.workspace import Workspace

    db = tmp_path / "bureau.db"
    request = str(exported["requests"][0])
    for command in (["dashboard"], ["trust", "list"], ["trust", "revoke", plating.info.key_id],
                    ["trust", "approve", plating.info.key_id, "--fingerprint", plating.info.fingerprint]):
        assert main(["--lang", "en", *command, "--db", str(db)]) == 2
        assert "no inspector workspace at" in capsys.readouterr().err and not db.exists()
    assert main(["--lang", "en", "trust", "add-request", request, "--db", str(db)]) == 0
    capsys.readouterr()
    with Workspace(db) as ws:
        require_inspector(ws)
        assert not is_training(ws)
    assert main(["--lang", "en", "trust", "approve", plating.info.key_id, "--fingerprint", plating.info.fingerprint,
                 "--db", str(db)]) == 0
    assert main(["--lang", "en", "dashboard", "--db", str(db)]) == 0
    capsys.readouterr()
    # a file that exists is never turned into an inspector workspace by registering a key
    enterprise = tmp_path / "enterprise.db"
    Workspace(enterprise).close()
    assert main(["--lang", "en", "trust", "add-request", request, "--db", str(enterprise)]) == 2
    assert "not an inspector workspace" in capsys.readouterr().err


def test_key_ids_are_accepted_in_any_case_and_grouping(exported, plating, tmp_path, capsys):
    """Found by QA: `trust approve 218ccae09933ad88` said "no registered key" although `trust list` shows 218CCAE09933AD88."""
    db = str(tmp_path / "bureau.db")
    key_id = plating.info.key_id
    assert key_id == key_id.upper()
    assert main(["--lang", "en", "trust", "add-request", str(exported["requests"][0]), "--db", db]) == 0
    typed = " ".join(key_id.lower()[i:i + 4] for i in range(0, len(key_id), 4))  # "218c cae0 9933 ad88"
    fingerprint = plating.info.fingerprint.lower().replace("-", "")
    assert main(["--lang", "en", "trust", "approve", typed, "--fingerprint", fingerprint, "--db", db]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith(f"key {key_id} of ")
    assert main(["--lang", "en", "trust", "revoke", key_id.lower(), "--db", db]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "trust", "list", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(k["key_id"], k["state"]) for k in listed] == [(key_id, "revoked")]
    # The request of a revoked key again: it stays revoked, and the command says so and fails (it said
    # "registered … revoked" and asked to compare the fingerprint, exit 0).
    assert main(["--lang", "en", "trust", "add-request", str(exported["requests"][0]), "--db", db]) == 1
    assert "is revoked: the enterprise must register a new key" in capsys.readouterr().err


def test_a_request_whose_fingerprint_was_given_is_not_asked_to_be_compared_again(exported, plating, tmp_path, capsys):
    db = str(tmp_path / "bureau.db")
    assert main(["--lang", "en", "trust", "add-request", str(exported["requests"][0]), "--db", db,
                 "--fingerprint", plating.info.fingerprint]) == 0
    out = capsys.readouterr().out
    assert "trusted" in out and "compare it group by group" not in out


def test_trust_list_has_a_header_and_local_times(exported, tmp_path, capsys):
    db = str(tmp_path / "bureau.db")
    assert main(["--lang", "en", "trust", "add-request", str(exported["requests"][0]), "--db", db]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "trust", "list", "--db", db]) == 0
    header, row = capsys.readouterr().out.strip().splitlines()
    assert header.split("\t") == ["Key id", "State", "USCC", "Enterprise", "Signer", "Fingerprint", "Registered"]
    assert row.split("\t")[1] == "pending fingerprint check" and "+00:00" not in row and "T" not in row.split("\t")[-1]


def test_an_inspector_workspace_is_backed_up_and_restored_with_the_files_it_received(exported, plating, tmp_path, capsys):
    """Found in review: a bureau had no way to back up its registry, reviews and received files."""
    from cpaudit.review import snapshot
    from cpaudit.review.inspector import received_dir
    from cpaudit.workspace import Workspace

    db = tmp_path / "bureau.db"
    assert main(["--lang", "en", "trust", "add-request", str(exported["requests"][0]), "--db", str(db),
                 "--fingerprint", plating.info.fingerprint]) == 0
    assert main(["--lang", "en", "import", str(exported["plating"]), "--db", str(db)]) == 0
    archive = tmp_path / "bureau-backup.zip"
    assert main(["--lang", "en", "backup", "--db", str(db), "--out", str(archive)]) == 0
    assert main(["--lang", "en", "backup", "--db", str(db), "--out", str(archive)]) == 2  # never over a file
    new_pc = tmp_path / "new-pc" / "bureau.db"
    new_pc.parent.mkdir()
    assert main(["--lang", "en", "restore", str(archive), "--db", str(new_pc)]) == 0
    assert main(["--lang", "en", "restore", str(archive), "--db", str(new_pc)]) == 1
    assert "choose another file with --db" in capsys.readouterr().err
    # ... and the bureau key, which lives in its own folder
    keys_folder, passfile = tmp_path / "bureau-key", tmp_path / "pass.txt"
    passfile.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert main(["--lang", "en", "review", "bureau-key", "--name", "太原市生态环境局", "--code", "11140100MB12345675",
                 "--key-folder", str(keys_folder), "--passphrase-file", str(passfile)]) == 0
    key_backup = tmp_path / "bureau-key-backup.json"
    assert main(["--lang", "en", "key", "backup", "--key-folder", str(keys_folder), "--out", str(key_backup)]) == 0
    assert main(["--lang", "en", "key", "restore", str(key_backup), "--passphrase-file", str(passfile)]) == 2
    assert "the bureau's answer key, not an enterprise signing key" in capsys.readouterr().err  # kinds never mix
    assert main(["--lang", "en", "trust", "export", "--db", str(db), "--out", str(tmp_path / "t.json"),
                 "--key-folder", str(plating.key_folder)]) == 2
    assert "an enterprise signing key, not the bureau's" in capsys.readouterr().err
    assert main(["--lang", "en", "key", "restore", str(key_backup), "--key-folder", str(tmp_path / "new-pc" / "bureau-key"),
                 "--passphrase-file", str(passfile)]) == 0
    assert (tmp_path / "new-pc" / "bureau-key" / "signing-key.json").is_file()
    with Workspace(new_pc) as ws:
        [sid] = [r[0] for r in ws.db.execute("SELECT submission_id FROM submissions")]
        assert len(list(received_dir(ws).glob("*.cpaudit"))) == 1
        assert snapshot.report_pdf(ws, sid).startswith(b"%PDF-")  # the received copy came back, readable
