"""The training sandbox: four stage audits, the inspector sandbox, one-click reset, demo marking."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from cpaudit import audit_json, paths
from cpaudit._dev.stand_in_report import stand_in_report as mini_report
from cpaudit.bundle.demo_key import DEMO_KEY_ID, WATERMARK, is_demo_key
from cpaudit.cli import main
from cpaudit.demo import inspector_sandbox, prepare_demo, report_watermark
from cpaudit.domain.changes import SetField
from cpaudit.review.importer import IMPORTED, REJECTED, import_paths
from cpaudit.review.inspector import open_inspector
from cpaudit.training import sandbox
from cpaudit.training.inspector_sandbox import SCORED, SUBMISSIONS
from cpaudit.workspace import Workspace


def audits_state(db: Path) -> dict[str, dict]:
    with Workspace(db) as ws:
        return {m.id: audit_json.dump(ws.document(m.id)) for m in ws.audits()}


def inspector_state(db: Path) -> dict[str, list]:
    with Workspace(db) as ws:
        return {
            "settings": sorted(ws.settings().items()),
            "submissions": list(ws.db.execute(
                "SELECT submission_id, uscc, stage, revision, status, demo, chain_state, trust_via, received_at"
                " FROM submissions ORDER BY submission_id")),
            "reviews": list(ws.db.execute("SELECT * FROM reviews ORDER BY submission_id")),
            "scores": list(ws.db.execute("SELECT * FROM review_scores ORDER BY submission_id, item_id")),
            "comments": list(ws.db.execute("SELECT step, field, text, created_at FROM review_comments ORDER BY id")),
        }


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One sandbox with the real report (watermark and signing exercised for real)."""
    root = tmp_path_factory.mktemp("sandbox") / "demo"
    return prepare_demo(reset=True, path=root / "demo-workspace.cpaudit.db")


def test_four_stages_from_just_started_to_accepted(built):
    with Workspace(built) as ws:
        assert sandbox.is_sandbox(ws)
        metas = {m.id: m for m in ws.audits()}
        assert set(metas) == {s.audit_id for s in sandbox.STAGES}
        assert all(m.kind == "demo" and "演示" in m.title for m in metas.values())
        wf = ws.session(sandbox.STAGES[0].audit_id).workflow
        phase_of = {s.id: p.number for p in wf.phases for s in p.steps}
        started = ws.document("demo-coking-started")
        assert started.values and {phase_of[s] for s in started.values} == {0}
        midway = ws.document("sample-electroplating-midway")
        assert max(phase_of[s] for s in midway.values) == 3
        ready = ws.document("demo-electroplating-assessment")
        assert max(phase_of[s] for s in ready.values) == 5
        options = ready.values["option_list"]["options"]
        assert {o["status"] for o in options if o["number"].startswith("H")} == {"planned"}
        assert any(o["status"] == "verified" for o in options if o["number"].startswith("N"))  # 边审核边实施
        accepted = ws.document("sample-coking")
        assert max(phase_of[s] for s in accepted.values) == 7
        # An audit a trainee starts in the sandbox is a demo audit as well.
        trainee = ws.create_audit("练习")
        assert trainee.kind == "demo"
        ws.delete_audit(trainee.id)  # the module's sandbox stays pristine for the reset comparison


def test_inspector_sandbox_holds_the_demo_submissions_one_scored(built):
    state = inspector_state(inspector_sandbox(built))
    rows = {r[0]: r for r in state["submissions"]}
    assert set(rows) == {s.submission_id for s in SUBMISSIONS}
    assert all(r[5] == 1 and r[7] == "demo" for r in rows.values())  # marked demo, let in as the demo key
    assert rows[SCORED.submission_id][4] == "passed"
    assert [r[0] for r in state["reviews"]] == [SCORED.submission_id] and state["scores"]
    assert {r[4] for r in rows.values() if r[0] != SCORED.submission_id} == {"received"}
    assert ("training", True) in state["settings"]


def test_demo_submission_is_marked_signed_with_the_demo_key_and_watermarked(built):
    outbox = built.parent / sandbox.OUTBOX
    with zipfile.ZipFile(outbox / SCORED.file_name) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        pdf = zf.read("report/report.pdf")
    assert manifest["demo"] is True and manifest["signer"]["key_id"] == DEMO_KEY_ID
    assert is_demo_key(DEMO_KEY_ID) and not is_demo_key("0" * 16)
    if shutil.which("pdftotext"):
        (outbox.parent / "r.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-raw", "-f", "3", "-l", "3", str(outbox.parent / "r.pdf"), "-"],
                              capture_output=True, text=True).stdout
        (outbox.parent / "r.pdf").unlink()
        assert "演示DEMO" in "".join(text.split())  # the rotated watermark, letter by letter


def test_a_demo_assessment_submission_holds_what_the_plant_had_at_assessment(built):
    # 评估 comes after phase 5: its file must not carry implementation results (phases 6–7).
    from cpaudit.workflow.loader import load_workflow

    late = {s.id for p in load_workflow().phases if p.number >= 6 for s in p.steps}
    for sub in SUBMISSIONS:
        with zipfile.ZipFile(built.parent / sandbox.OUTBOX / sub.file_name) as zf:
            steps = set(json.loads(zf.read("data/audit.json"))["values"])
        assert bool(steps & late) == (sub.stage == "acceptance"), sub


def test_production_inspector_refuses_a_demo_submission_training_accepts_it(built, tmp_path):
    demo_file = built.parent / sandbox.OUTBOX / SUBMISSIONS[1].file_name
    production = open_inspector(tmp_path / "bureau.db", training=False)
    try:
        [refused] = import_paths(production, [demo_file])
        assert (refused.status, refused.code) == (REJECTED, "demo_refused")
        assert production.db.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
    finally:
        production.close()
    training = open_inspector(tmp_path / "classroom.db", training=True)
    try:
        [accepted] = import_paths(training, [demo_file])
        assert accepted.status == IMPORTED
        assert training.db.execute("SELECT demo FROM submissions").fetchone()[0] == 1
    finally:
        training.close()


def test_verify_says_a_demo_file_is_a_demo_unless_demo_files_are_accepted(built, tmp_path, capsys, monkeypatch):
    """Found by QA: `cpaudit verify` called a demo file's signer "unknown (not registered …)", inviting the
    inspector to register the public demo key; docs/submission-format.md §4 requires demo_refused."""
    demo_file = built.parent / sandbox.OUTBOX / SUBMISSIONS[1].file_name
    trust = tmp_path / "trust"
    trust.mkdir()
    # even with the demo key trusted (as an inspector who followed the old message would have it)
    from cpaudit.bundle.demo_key import demo_key
    from cpaudit.bundle.format import b64
    from cpaudit.bundle.trust import trust_file

    (trust / "demo.json").write_text(json.dumps(trust_file(keys=[{"key_id": DEMO_KEY_ID, "status": "trusted",
                                                                  "public_key": b64(demo_key().info.public_key)}])))
    for extra in ([], ["--trust", str(trust)]):
        assert main(["--lang", "en", "verify", str(demo_file), "--json", *extra]) == 1
        [result] = json.loads(capsys.readouterr().out)["files"]
        assert result["reason"] == "demo_refused" and result["findings"][0]["code"] == "demo_refused"
    assert main(["--lang", "en", "verify", str(demo_file)]) == 1
    line = capsys.readouterr().out
    assert line.startswith("INVALID") and "demo_refused: a demo file" in line and "signer_unknown" not in line
    # a trainer checking the sandbox's files: accepted explicitly, signed by the public demo key
    assert main(["--lang", "en", "verify", str(demo_file), "--accept-demo"]) == 0
    line = capsys.readouterr().out
    assert line.startswith("VALID") and "the public demo key" in line


def test_a_sandbox_audit_exports_with_the_demo_key_without_a_passphrase(built, tmp_path):
    from cpaudit.bundle.export import export_submission

    copy = tmp_path / "copy.db"
    with Workspace(built) as ws:
        ws.db.conn.execute("VACUUM INTO ?", [str(copy)])
    asked: dict[str, object] = {}

    def render(*a, **kw):
        asked.update(kw)
        return mini_report(*a, **kw)

    with Workspace(copy) as ws:
        out = export_submission(ws, "sample-coking", "acceptance", tmp_path / "s.cpaudit", "",
                                certification_accepted=True, key_folder=tmp_path / "no-keys", render=render)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["demo"] is True and manifest["signer"]["key_id"] == DEMO_KEY_ID
    assert asked["watermark"] == WATERMARK


def test_report_watermark_only_for_demo_audits(built):
    with Workspace(built) as ws:
        meta = ws.meta("sample-coking")
    assert report_watermark(meta) == WATERMARK
    meta.kind = "enterprise"
    assert report_watermark(meta) is None


@pytest.mark.slow
def test_reset_restores_a_fresh_demo_and_touches_no_real_workspace(built, tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("CPAUDIT_HOME", str(home))
    # A real workspace and a file of the user's next to the sandbox's folder.
    real = paths.default_workspace()
    real.parent.mkdir(parents=True)
    with Workspace(real) as ws:
        ws.create_audit("真实审核")
    mine = real.parent / "notes.txt"
    mine.write_text("mine", encoding="utf-8")
    before = {p: fingerprint(p) for p in (real, mine)}

    assert main(["demo", "--reset", "--no-gui"]) == 0  # a fresh `cpaudit demo --reset`
    db = paths.demo_workspace()
    fresh, fresh_inspector = audits_state(db), inspector_state(inspector_sandbox(db))
    assert fresh == audits_state(built)  # deterministic: the same on any machine, any day
    assert fresh_inspector == inspector_state(inspector_sandbox(built))

    # A class works in it: edits, a deleted audit, a new one, an extra exported file.
    with Workspace(db, user="trainee") as ws:
        session = ws.session("demo-coking-started")
        session.apply([SetField("enterprise", "staff", 999)])
        ws.delete_audit("sample-electroplating-midway")
        ws.create_audit("课堂练习")
        ws.set_setting("gui.last_audit", "demo-coking-started")
    (db.parent / sandbox.OUTBOX / "extra.cpaudit").write_bytes(b"x")
    assert audits_state(db) != fresh

    path = prepare_demo(reset=True)
    assert path == db
    assert audits_state(db) == fresh
    assert inspector_state(inspector_sandbox(db)) == fresh_inspector
    assert not (db.parent / sandbox.OUTBOX / "extra.cpaudit").exists()
    assert not list(db.parent.glob(sandbox.STAGING_PREFIX + "*"))
    assert {p: fingerprint(p) for p in (real, mine)} == before
    assert sorted(p.name for p in real.parent.iterdir()) == sorted(["demo", real.name, "notes.txt"])


def test_an_outdated_sandbox_is_rebuilt_and_a_current_one_kept(tmp_path):
    root = tmp_path / "demo"
    db = prepare_demo(path=root / "x.db", with_inspector=False)
    stamp = os.stat(db).st_mtime_ns
    assert prepare_demo(path=root / "x.db", with_inspector=False) == db and os.stat(db).st_mtime_ns == stamp
    with Workspace(db) as ws:
        ws.set_setting(sandbox.SANDBOX_VERSION_KEY, 0)
    prepare_demo(path=root / "x.db", with_inspector=False)
    with Workspace(db) as ws:
        assert ws.settings()[sandbox.SANDBOX_VERSION_KEY] == sandbox.SANDBOX_VERSION
    from cpaudit.workflow.loader import load_workflow

    # A sandbox built with another workflow definition (an update of the app) is rebuilt too:
    # its demo submissions would name a definition the app no longer ships.
    with Workspace(db) as ws:
        ws.set_setting(sandbox.SANDBOX_WORKFLOW_KEY, "0" * 64)
    prepare_demo(path=root / "x.db", with_inspector=False)
    with Workspace(db) as ws:
        assert ws.settings()[sandbox.SANDBOX_WORKFLOW_KEY] == load_workflow().hash
