"""The CLI contract: commands, exit codes, one clear line per error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cpaudit.cli import main
from cpaudit.domain.changes import SetField
from cpaudit.workspace import Workspace


@pytest.fixture
def workspace_with_audit(tmp_path: Path):
    path = tmp_path / "w.db"
    with Workspace(path, user="cli") as ws:
        meta = ws.create_audit("CLI audit")
        ws.session(meta.id).apply(SetField("enterprise", "name", "太原示例电镀"))
    return path, meta.id


def test_help_lists_the_whole_contract(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "en", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("gui", "demo", "schema", "load", "dump", "check", "figures", "report", "key", "export", "verify", "import", "dashboard"):
        assert command in out


@pytest.mark.parametrize("command", [[], ["key"], ["trust"], ["review"], ["verify"], ["export"], ["import"]])
def test_chinese_help_has_no_english_sentence(capsys, command):
    """argparse's own texts (help, version, usage headings) go through the catalog too."""
    with pytest.raises(SystemExit):
        main(["--lang", "zh_CN", *command, "--help"])
    for line in capsys.readouterr().out.splitlines():
        text = line.split("  ")[-1] if line.startswith("  ") else line  # the help column, not the option names
        assert not re.search(r"\b[a-z]+ [a-z]+ [a-z]+\b", text), line


def test_every_argument_of_every_command_says_what_it_is():
    import argparse

    from cpaudit.cli import build_parser

    def walk(parser: argparse.ArgumentParser, path: str):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, f"{path} {name}")
            elif action.help != argparse.SUPPRESS:
                yield path, action

    silent = [f"{path} {a.option_strings or a.dest}" for path, a in walk(build_parser(), "cpaudit") if not a.help]
    assert silent == []


def test_usage_errors_exit_2_with_one_line(capsys):
    assert main(["--lang", "en", "frobnicate"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "usage error" in err[0]


def test_dump_load_round_trip_is_lossless(workspace_with_audit, tmp_path, capsys):
    path, audit_id = workspace_with_audit
    out = tmp_path / "a.json"
    assert main(["dump", audit_id, "--db", str(path), "--out", str(out)]) == 0
    first = json.loads(out.read_text(encoding="utf-8"))
    other = tmp_path / "other.db"
    assert main(["--lang", "en", "load", str(out), "--db", str(other)]) == 0
    assert audit_id in capsys.readouterr().out
    again = tmp_path / "b.json"
    assert main(["dump", audit_id, "--db", str(other), "--out", str(again)]) == 0
    assert json.loads(again.read_text(encoding="utf-8")) == first
    # Loading the same audit twice is refused, not duplicated.
    assert main(["--lang", "en", "load", str(out), "--db", str(other)]) == 1
    assert "already" in capsys.readouterr().err


def test_check_exits_1_on_errors_and_lists_them_as_json(workspace_with_audit, capsys):
    path, audit_id = workspace_with_audit
    assert main(["--lang", "en", "check", audit_id, "--db", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] > 0
    required = [i for i in report["issues"] if i["rule"] == "required"]
    assert any(i["path"] == "enterprise/uscc" for i in required)
    assert all(i["message"] for i in report["issues"])
    # the key a justification is stored under in the audit JSON (a CLI user had to guess its form)
    assert all(i["key"] == "{}@{}".format(i["rule"], i["path"]) for i in report["issues"])


def test_bad_json_file_is_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["--lang", "en", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "Traceback" not in err


def test_document_with_unknown_field_is_rejected_with_its_path(workspace_with_audit, tmp_path, capsys):
    path, audit_id = workspace_with_audit
    out = tmp_path / "a.json"
    main(["dump", audit_id, "--db", str(path), "--out", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    data["values"]["enterprise"]["colour"] = "red"
    data["values"]["enterprise"]["staff"] = "lots"
    out.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--lang", "en", "check", str(out)]) == 1
    err = capsys.readouterr().err
    assert "enterprise.colour" in err and "enterprise.staff" in err


def test_inspector_commands_need_their_workspace(capsys, tmp_path):
    assert main(["--lang", "en", "dashboard"]) == 2
    assert "--db" in capsys.readouterr().err
    assert main(["--lang", "en", "dashboard", "--db", str(tmp_path / "none.db")]) == 2
    assert "no inspector workspace at" in capsys.readouterr().err and not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("command", [
    ["list"], ["dump", "some-audit"], ["check", "some-audit"], ["figures", "some-audit"],
    ["report", "some-audit", "--out", "r.pdf"], ["export", "some-audit", "--stage", "assessment", "--out", "x.cpaudit"],
    ["review", "import-answer", "answer.json"],
])
def test_a_mistyped_workspace_is_refused_not_created(tmp_path, capsys, command):
    """Found by QA: `cpaudit list --db typo.db` printed nothing, exited 0 and left an empty workspace
    (and its missing parent folders) behind: "my audits are gone"."""
    typo = tmp_path / "no-such-dir" / "typo.db"
    assert main(["--lang", "en", *command, "--db", str(typo)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"no workspace at {typo}"]
    assert not typo.parent.exists()


def test_a_folder_given_as_workspace_is_said_in_words(workspace_with_audit, tmp_path, capsys):
    path, audit_id = workspace_with_audit
    out = tmp_path / "a.json"
    assert main(["dump", audit_id, "--db", str(path), "--out", str(out)]) == 0
    for command in (["list"], ["load", str(out)], ["dashboard"]):
        assert main(["--lang", "en", *command, "--db", str(tmp_path)]) == 2
        assert capsys.readouterr().err.strip() == f"{tmp_path} is a folder, not a workspace file"


def test_load_creates_the_workspace_it_names(workspace_with_audit, tmp_path, capsys):
    path, audit_id = workspace_with_audit
    out = tmp_path / "a.json"
    assert main(["dump", audit_id, "--db", str(path), "--out", str(out)]) == 0
    new = tmp_path / "new" / "w.db"
    assert main(["--lang", "en", "load", str(out), "--db", str(new)]) == 0
    capsys.readouterr()
    assert main(["list", "--db", str(new)]) == 0
    assert audit_id in capsys.readouterr().out


def test_schema_validates_a_dump(workspace_with_audit, tmp_path, capsys):
    jsonschema = pytest.importorskip("jsonschema")
    path, audit_id = workspace_with_audit
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert main(["dump", audit_id, "--db", str(path)]) == 0
    jsonschema.validate(json.loads(capsys.readouterr().out), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": "cpaudit.audit/1", "values": {"nowhere": {}}}, schema)


@pytest.mark.parametrize("command", ["check", "figures", "load"])
@pytest.mark.parametrize("change, key", [
    ({"audit": {"round": "one"}}, "audit.round"), ({"audit": "x"}, "audit"), ({"workflow": "cn"}, "workflow"),
    ({"workflow": {"id": "../../etc"}}, "../../etc"), ({"audit": {"status": "bogus"}}, "audit.status"),
])
def test_a_malformed_header_is_one_line_and_exit_1(workspace_with_audit, tmp_path, capsys, command, change, key):
    path, audit_id = workspace_with_audit
    out = tmp_path / "a.json"
    main(["dump", audit_id, "--db", str(path), "--out", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    for part, value in change.items():
        if isinstance(value, dict) and isinstance(data[part], dict):
            data[part].update(value)
        else:
            data[part] = value
    out.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    target = tmp_path / "new.db"
    assert main(["--lang", "en", command, str(out), "--db", str(target)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and key in err[0] and "Traceback" not in err[0] and "--debug" not in err[0]
    assert not target.exists()  # refused before any workspace is opened


def test_os_and_library_errors_are_said_in_words(workspace_with_audit, tmp_path, capsys, monkeypatch):
    """Found by QA: "[Errno 2] No such file or directory", "Is a directory", "invalid int value",
    "Expecting value: line 1 column 1 (char 0)" in the one line a user reads."""
    path, audit_id = workspace_with_audit
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    cases = [
        (["dump", audit_id, "--db", str(path), "--out", "nodir/x.json"], 2, "cannot write nodir/x.json: the folder does not exist"),
        (["report", audit_id, "--db", str(path), "--out", "adir"], 2, "cannot write adir: it is a folder"),
        (["dashboard", "--db", "x.db", "--year", "abc"], 2,
         "usage error: argument --year: 'abc' is not a whole number (see cpaudit --help)"),
        (["dashboard", "--db", "x.db", "--csv", "nodir/d.csv"], 2, "cannot write nodir/d.csv: the folder does not exist"),
        (["check", "bad.json"], 1, "bad.json is not valid JSON: the error is at line 1, column 2"),
    ]
    for command, code, line in cases:
        assert main(["--lang", "en", *command]) == code, command
        assert capsys.readouterr().err.strip().splitlines() == [line]
    assert not (tmp_path / "nodir").exists()


@pytest.mark.parametrize("argv, lang", [
    (["gui", "--lang", "en"], "en"), (["--lang", "en", "gui"], "en"), (["--lang", "en", "gui", "--role", "trainer"], "en"),
    (["gui", "--lang=zh_CN", "--role", "inspector"], "zh_CN"), (["demo", "--no-gui", "--lang", "en"], "en"),
])
def test_lang_is_accepted_after_gui_as_the_readme_shows(monkeypatch, argv, lang):
    """Found by QA: `cpaudit gui --lang en` said "unrecognized arguments" although README documents it."""
    from cpaudit import cli
    from cpaudit.i18n import current_language

    seen = {}
    monkeypatch.setitem(cli.COMMANDS, argv[2] if argv[0] == "--lang" else argv[0],
                        lambda args: seen.update(lang=current_language(), args=vars(args)) or 0)
    assert main(argv) == 0
    assert seen["lang"] == lang and seen["args"]["lang"] == lang  # a --lang before "gui" is not reset by gui's


@pytest.mark.parametrize("argv", [["list", "--lang", "en"], ["key", "show", "--lang=en"], ["verify", "x.cpaudit", "--lang", "en"],
                                  ["trust", "list", "--lang", "en"], ["review", "bureau-key", "--lang", "en"]])
def test_lang_is_accepted_after_any_command_and_sets_the_messages_language(argv, tmp_path, monkeypatch, capsys):
    """`cpaudit verify F --lang en` said "unrecognized arguments: --lang en" (in Chinese)."""
    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    main(argv)
    err = capsys.readouterr().err
    assert "--lang" not in err and err.isascii(), err  # whatever the command says, it says it in English


def test_gui_help_lists_lang(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "en", "gui", "--help"])
    assert "--lang {zh_CN,en,pseudo}" in capsys.readouterr().out


def test_list_has_a_header_says_the_status_in_words_and_the_time_on_this_clock(tmp_path, capsys, clock, shanghai_clock):
    """Found by QA: `cpaudit list` printed the raw status ('active') and a UTC timestamp, with no header."""
    path = tmp_path / "w.db"
    with Workspace(path, clock=clock, user="cli") as ws:  # clock: 2025-03-01 09:00 UTC = 17:00 in Beijing
        meta = ws.create_audit("CLI audit")
    assert main(["--lang", "en", "list", "--db", str(path)]) == 0
    (row,) = capsys.readouterr().out.strip().splitlines()  # piped: rows only, as scripts read them (cut -f1)
    assert row.startswith(meta.id + "\t")
    import sys

    with pytest.MonkeyPatch.context() as patch:  # on a terminal, with a header
        patch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
        assert main(["--lang", "en", "list", "--db", str(path)]) == 0
    header, row = capsys.readouterr().out.strip().splitlines()
    assert header.split("\t") == ["Audit id", "Round", "Status", "Last change", "Audit"]
    audit_id, round_, status, when, title = row.split("\t")
    assert (audit_id, round_, status, title) == (meta.id, "1", "In progress", "CLI audit")
    assert "5:00" in when and "2025" in when and "09:00" not in when


def test_the_answer_receipt_date_is_the_date_on_this_clock(shanghai_clock):
    from cpaudit.i18n import set_language
    from cpaudit.review.answer import ReceivedAnswer

    set_language("en")
    body = {"received_at": "2026-11-28T23:30:00+00:00", "decision": "received", "bureau": {"name": "太原市生态环境局"},
            "submission": {"stage": "assessment", "revision": 1}}
    assert ReceivedAnswer("a", "b", body).receipt_line() == "Received by the bureau (太原市生态环境局) on 2026-11-29"


def test_dashboard_headline_counts_in_words():
    from cpaudit.i18n import set_language
    from cpaudit.review.dashboard import Dashboard, Filters

    set_language("en")

    def board(audits, enterprises):
        return Dashboard(Filters(), audits, enterprises, [], [], [], [], {}, {}, [])

    assert board(1, 1).headline() == "1 audit of 1 enterprise"
    assert board(3, 2).headline() == "3 audits of 2 enterprises"


def test_trust_certify_refuses_a_date_it_cannot_read_before_asking_for_the_passphrase(tmp_path, capsys):
    code = main(["--lang", "en", "trust", "certify", "ABCDEF0123456789", "--out", str(tmp_path / "c.json"),
                 "--not-before", "yesterday", "--not-after", "2027-01-01", "--db", str(tmp_path / "none.db")])
    assert code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "--not-before" in line and "yesterday" in line
    assert main(["--lang", "en", "trust", "certify", "ABCDEF0123456789", "--out", str(tmp_path / "c.json"),
                 "--not-before", "2020-01-01", "--not-after", "2020-12-31", "--db", str(tmp_path / "none.db")]) == 2
    assert "already past" in capsys.readouterr().err  # signed and written, it was useless from the start


def test_key_show_writes_labels_and_names_as_the_screens_do(tmp_path, monkeypatch, capsys):
    """zh `key show` printed ASCII colons and brackets and '王示例 法定代表人' (the screens write 王示例（法定代表人）)."""
    from cpaudit.bundle import keys

    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path))
    keys.init_key("first passphrase", enterprise_name="示例企业", uscc="91140110MA0K7X3Q2B", signer_name="王示例",
                  signer_title="法定代表人")
    assert main(["--lang", "zh_CN", "key", "show"]) == 0
    out = capsys.readouterr().out
    assert "签名人：\t王示例（法定代表人）" in out and "示例企业（91140110MA0K7X3Q2B）" in out and ":\t" not in out
    assert main(["--lang", "en", "key", "restore", str(tmp_path / "missing.json")]) == 2  # before any passphrase prompt
    assert "file not found" in capsys.readouterr().err


def test_without_a_bureau_key_the_hint_is_review_bureau_key_with_one_exit_code(tmp_path, capsys, monkeypatch):
    """Both said "create one with 'cpaudit key init'" (an enterprise key), and exited 1 and 2."""
    from cpaudit.review.inspector import open_inspector

    monkeypatch.setenv("CPAUDIT_HOME", str(tmp_path / "home"))
    db = tmp_path / "bureau.db"
    open_inspector(db).close()
    for argv in (["trust", "certify", "ABCDEF0123456789", "--out", str(tmp_path / "c.json"), "--not-before", "2026-01-01",
                  "--not-after", "2027-01-01"], ["review", "answer", "12345678", "--out", str(tmp_path / "a.json")]):
        assert main(["--lang", "en", *argv, "--db", str(db)]) == 2, argv
        err = capsys.readouterr().err
        assert "cpaudit review bureau-key" in err and "key init" not in err, err


def test_load_update_applies_a_dumped_and_edited_audit_as_one_undoable_edit(tmp_path, capsys):
    """Found in review: dump → edit → load was refused for an audit already there, with no way forward;
    loading it under a new id restarts its submission chain."""
    from cpaudit import samples

    db = tmp_path / "w.db"
    src = tmp_path / "a.json"
    data = samples.sample_data("electroplating")
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["--lang", "en", "load", str(src), "--db", str(db)]) == 0
    assert main(["--lang", "en", "load", str(src), "--db", str(db)]) == 1
    assert "cpaudit load --update" in capsys.readouterr().err
    audit_id = data["audit"]["id"]
    data["values"]["enterprise"]["staff"] = 131
    contacts = data["values"]["enterprise"]["contacts"]
    contacts[0]["phone"] = "0351-0000009"  # a cell of a kept row
    data["values"]["enterprise"]["contacts"] = [contacts[-1], *contacts[:-1], {"name": "新联系人", "role": "审核小组成员"}]
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["--lang", "en", "load", "--update", str(src), "--db", str(db)]) == 0
    assert "undoable as one edit" in capsys.readouterr().out
    with Workspace(db, user="t") as ws:
        doc = ws.document(audit_id)
        assert doc.get("enterprise", "staff") == 131
        rows = doc.rows("enterprise", "contacts")
        assert [r.get("name") for r in rows] == [r.get("name") for r in data["values"]["enterprise"]["contacts"]]
        assert rows[1]["phone"] == "0351-0000009" and rows[1]["_id"] == contacts[0]["_id"]  # the row keeps its id
        ws.session(audit_id).undo()
        again = ws.document(audit_id)
        assert again.get("enterprise", "staff") == samples.sample_data("electroplating")["values"]["enterprise"]["staff"]
        assert again.rows("enterprise", "contacts") == samples.sample_data("electroplating")["values"]["enterprise"]["contacts"]
    assert main(["--lang", "en", "load", "--update", str(src), "--db", str(tmp_path / "none.db")]) == 2
    capsys.readouterr()

    # An edit made after the dump is not silently taken back (found in review): refused, unless --force.
    assert main(["--lang", "en", "dump", audit_id, "--db", str(db), "--out", str(src)]) == 0
    import datetime as dt

    from cpaudit.clock import FixedClock

    later = FixedClock(dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))  # after the dump, whatever the test's speed
    with Workspace(db, user="t", clock=later) as ws:
        ws.session(audit_id).apply(SetField("enterprise", "staff", 140))
    edited = json.loads(src.read_text(encoding="utf-8"))
    edited["values"]["enterprise"]["legal_representative"] = "新法人"
    src.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    assert main(["--lang", "en", "load", "--update", str(src), "--db", str(db)]) == 1
    assert "was edited after this file was written" in capsys.readouterr().err
    with Workspace(db, user="t") as ws:
        assert ws.document(audit_id).get("enterprise", "staff") == 140
    assert main(["--lang", "en", "load", "--update", "--force", str(src), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "load", "--update", "--force", str(src), "--db", str(db)]) == 0
    assert "nothing changed" in capsys.readouterr().out
