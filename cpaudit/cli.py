"""Command line: ``cpaudit [command] …`` (``cpaudit --help`` lists the contract).

Exit codes: 0 success, 1 validation or verification failure, 2 usage error.
Errors are one translated line; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

from cpaudit import __version__, paths
from cpaudit.i18n import N_, _, ngettext, set_language

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE):
        self.message, self.code = message, code
        super().__init__(message)


# argparse's own texts, marked for extraction and translated through our catalog.
_ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("expected one argument"), N_("invalid %(type)s value: %(value)r"),
)
argparse._ = lambda message: _(message)  # type: ignore[attr-defined]  # argparse looks `_` up at call time


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit(2) untranslated
        raise CliError(_("usage error: {detail} (see cpaudit --help)").format(detail=message))


def whole_number(text: str) -> int:
    """argparse ``type`` for a whole number: its own message names Python's type ("invalid int value")."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a whole number").format(value=text)) from None


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, help=_("workspace file (default: the one in your user data folder)"))


def _lang_arg(p: argparse.ArgumentParser) -> None:
    """``--lang`` after the command name as well (``cpaudit gui --lang en``, as the README shows). SUPPRESS:
    when absent here it must not overwrite a ``--lang`` given before the command; main() has applied it already."""
    p.add_argument("--lang", choices=["zh_CN", "en", "pseudo"], default=argparse.SUPPRESS,
                   help=_("language of messages and the GUI"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cpaudit", description=_("Offline workbench for cleaner production audits."))
    parser.add_argument("--version", action="version", version=f"cpaudit {__version__}",
                        help=_("show the version number and exit"))
    parser.add_argument("--lang", choices=["zh_CN", "en", "pseudo"], help=_("language of messages and the GUI"))
    parser.add_argument("--debug", action="store_true", help=_("show the technical details of errors"))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    gui = sub.add_parser("gui", help=_("open the application (the default)"))
    gui.add_argument("--role", choices=["enterprise", "inspector", "trainer"], default="enterprise",
                     help=_("enterprise: fill in an audit; inspector: import and review submissions; trainer: the sandbox"))
    gui.add_argument("--audit", help=_("open this audit directly"))
    _db_arg(gui)

    demo = sub.add_parser("demo", help=_("open a sandbox workspace with the sample audits"))
    demo.add_argument("--reset", action="store_true", help=_("rebuild the sandbox from the samples first"))
    demo.add_argument("--no-gui", action="store_true", help=_("prepare the sandbox and print its path only"))
    demo.add_argument("--inspector", action="store_true",
                      help=_("open the sandbox's training inspector workspace (demo submissions, one scored)"))

    sub.add_parser("schema", help=_("print the JSON Schema of the audit document"))

    load = sub.add_parser("load", help=_("store an audit JSON document in the workspace"))
    load.add_argument("file", type=Path, help=_("audit JSON file (as cpaudit dump writes it)"))
    load.add_argument("--update", action="store_true",
                      help=_("the audit is already in the workspace: apply the file's differences as one undoable edit"))
    load.add_argument("--force", action="store_true",
                      help=_("with --update: apply the file even though the audit was edited after it was dumped"))
    _db_arg(load)

    dump = sub.add_parser("dump", help=_("write an audit as JSON"))
    dump.add_argument("audit", help=_("audit id (see cpaudit list)"))
    dump.add_argument("--out", type=Path, help=_("file to write (default: standard output)"))
    _db_arg(dump)

    check = sub.add_parser("check", help=_("list validation issues; exit 1 when there are errors"))
    check.add_argument("target", help=_("an audit JSON file or an audit id"))
    check.add_argument("--json", action="store_true", help=_("machine-readable output"))
    check.add_argument("--stage", choices=["assessment", "acceptance"],
                       help=_("check only what a submission of this stage covers"))
    _db_arg(check)

    figures = sub.add_parser("figures", help=_("print every computed figure as JSON"))
    figures.add_argument("target", help=_("an audit JSON file or an audit id"))
    _db_arg(figures)

    listing = sub.add_parser("list", help=_("list the audits in the workspace"))
    _db_arg(listing)

    backup = sub.add_parser("backup", help=_("back up a workspace (enterprise or inspector) into one file, with its "
                                             "evidence and signed files"))
    backup.add_argument("--out", type=Path, required=True, help=_("backup file to write (.zip)"))
    _db_arg(backup)
    restore = sub.add_parser("restore", help=_("restore a workspace backup as a new workspace file"))
    restore.add_argument("file", type=Path, help=_("the backup file"))
    restore.add_argument("--db", type=Path,
                         help=_("the new workspace file to create (default: the one in your user data folder, when there is none yet)"))

    report = sub.add_parser("report", help=_("generate the audit report PDF"))
    report.add_argument("target", help=_("an audit JSON file or an audit id"))
    report.add_argument("--stage", choices=["assessment", "acceptance"], default="assessment",
                        help=_("assessment (评估, ends at chapter 5) or acceptance (验收, complete)"))
    # dest differs from the global --lang: the report language may differ from the messages'.
    report.add_argument("--lang", dest="report_lang", choices=["zh_CN", "en"], help=_("language of the report"))
    report.add_argument("--out", type=Path, required=True, help=_("PDF file to write"))
    _db_arg(report)

    from cpaudit.cli_submission import add_parsers

    add_parsers(sub, _db_arg)
    from cpaudit.cli_review import add_parsers as add_review_parsers

    add_review_parsers(sub)
    _lang_everywhere(sub)
    return parser


def _lang_everywhere(sub: argparse._SubParsersAction) -> None:
    """``--lang`` after any command name too (``cpaudit verify F --lang en``): main() reads it wherever
    it stands, so argparse must not refuse it there. ``report`` keeps its own (the report's language)."""
    for command in set(sub.choices.values()):
        if not any("--lang" in a.option_strings for a in command._actions):
            _lang_arg(command)
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                _lang_everywhere(action)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    lang = _peek_lang(argv)
    if lang:
        set_language(lang)
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command or "gui"](args)
    except CliError as exc:
        print(exc.message, file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `cpaudit schema | head`: the reader left, nothing to report
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:  # a file the operating system refused: its reason in words, not "[Errno 2] …"
        from cpaudit.store.errors import os_reason

        if exc.filename is None:
            raise
        print(_("cannot use {path}: {reason}").format(path=exc.filename, reason=os_reason(exc, writing=False)), file=sys.stderr)
        if debug:
            traceback.print_exc()
        return EXIT_USAGE
    except Exception as exc:  # the promise: one clear line, never a bare traceback
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        print(_("cpaudit: {message}").format(message=message), file=sys.stderr)
        if debug:
            traceback.print_exc()
        else:
            print(_("(run again with --debug for the technical details)"), file=sys.stderr)
        return EXIT_INVALID if getattr(exc, "is_validation", False) else EXIT_USAGE
    finally:
        sys.stdout.flush()


def _peek_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _workspace(args: argparse.Namespace, exclusive: bool = False, create: bool = False):  # -> Workspace (lazy: keeps --help fast)
    """The workspace ``--db`` names (default: the user's). Only a command that stores something
    (``load``) may create it: for the others a missing file is a typo, not an empty workspace."""
    from cpaudit.store.db import WorkspaceError
    from cpaudit.store.lock import WorkspaceBusy
    from cpaudit.workspace import Workspace

    path = Path(getattr(args, "db", None) or paths.default_workspace())
    require_workspace_file(path, None if create else _("no workspace at {path}").format(path=path))
    try:
        return Workspace(path, exclusive=exclusive)
    except (WorkspaceError, WorkspaceBusy) as exc:
        raise CliError(exc.message) from None
    except OSError as exc:  # the lock file beside it could not be made
        raise CliError(cannot_open_workspace(path, exc)) from None


def cannot_open_workspace(path: Path, exc: OSError) -> str:
    from cpaudit.store.errors import os_reason

    return _("cannot open the workspace {path}: {reason}").format(path=path, reason=os_reason(exc))


def require_workspace_file(path: Path, missing: str | None) -> None:
    """Refuse a folder given as a workspace and, unless ``missing`` is None, a file that does not exist."""
    if path.is_dir():
        raise CliError(_("{path} is a folder, not a workspace file").format(path=path))
    if missing is not None and not path.is_file():
        raise CliError(missing)


def _document_for(target: str, args: argparse.Namespace):
    """An audit JSON file, or an audit id in the workspace."""
    from cpaudit import audit_json
    from cpaudit.workflow.loader import load_workflow

    path = Path(target)
    if path.suffix.lower() == ".json" or path.exists():
        if not path.is_file():
            raise CliError(_("file not found: {path}").format(path=path))
        data = _read_json(path)
        wf = load_workflow(_shipped_workflow_id(data))
        try:
            return audit_json.parse(data, wf), wf
        except audit_json.DocumentInvalid as exc:
            raise CliError("\n".join(exc.problems), EXIT_INVALID) from None
    ws = _workspace(args)
    meta = ws.find(target)
    if meta is None:
        raise CliError(_("no audit '{id}' in {path}").format(id=target, path=ws.path))
    from cpaudit.workspace import workflow_for

    return ws.document(meta.id), workflow_for(meta)


def _shipped_workflow_id(data: Any) -> str:
    """The workflow the document names when it is one this version ships, else the default
    (parse then says which workflow the document wanted, instead of a missing-file error)."""
    from cpaudit.workflow.loader import _SAFE_NAME, DEFAULT_WORKFLOW, workflow_dir

    ref = data.get("workflow") if isinstance(data, dict) else None
    wanted = ref.get("id") if isinstance(ref, dict) else None
    if isinstance(wanted, str) and _SAFE_NAME.match(wanted) and (workflow_dir(wanted) / "workflow.toml").is_file():
        return wanted
    return DEFAULT_WORKFLOW


def _read_json(path: Path) -> Any:
    if path.stat().st_size > 64 * 1024 * 1024:
        raise CliError(_("{path} is larger than 64 MB").format(path=path), EXIT_INVALID)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CliError(_("{path} is not valid JSON: it is not UTF-8 text").format(path=path), EXIT_INVALID) from None
    except json.JSONDecodeError as exc:
        raise CliError(_("{path} is not valid JSON: the error is at line {line}, column {column}").format(
            path=path, line=exc.lineno, column=exc.colno), EXIT_INVALID) from None
    except FileNotFoundError:
        raise CliError(_("file not found: {path}").format(path=path)) from None
    except OSError as exc:
        from cpaudit.store.errors import os_reason

        raise CliError(_("cannot read {path}: {reason}").format(path=path, reason=os_reason(exc, writing=False))) from None


def cannot_write(path: Path, exc: OSError) -> CliError:
    """The one line for an output file the operating system refused (never its temporary file's name)."""
    from cpaudit.store.errors import os_reason

    return CliError(_("cannot write {path}: {error}").format(path=path, error=os_reason(exc)))


def check_output(path: Path) -> None:
    """Refuse, before the work, an output path that cannot be a file: a folder, or in a folder that does not exist."""
    if path.is_dir():
        raise cannot_write(path, IsADirectoryError(errno.EISDIR, "", str(path)))
    if not path.parent.is_dir():
        raise cannot_write(path, FileNotFoundError(errno.ENOENT, "", str(path)))


def _print_json(data: Any, out: Path | None = None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str)
    if out:
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise cannot_write(out, exc) from None
    else:
        print(text)


def _leave(code: int) -> int:
    """End the process right after the GUI closed (every edit is committed by then).

    Skips Python's final garbage collection, where PySide6 6.12 can abort ("none_dealloc")
    after a large audit was open: a user who only closed the window must not see a crash.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _cmd_gui(args: argparse.Namespace) -> int:
    from cpaudit.gui.app import run_gui
    from cpaudit.i18n import current_language

    return _leave(run_gui(getattr(args, "db", None) or paths.default_workspace(), getattr(args, "role", "enterprise"),
                          current_language(), getattr(args, "audit", None)))


def _cmd_demo(args: argparse.Namespace) -> int:
    from cpaudit.demo import prepare_demo
    from cpaudit.training.sandbox import needs_build

    if args.reset or needs_build():  # the demo submissions' reports take a few seconds
        print(_("Preparing the training sandbox…"), file=sys.stderr)
    path = prepare_demo(reset=args.reset)
    if args.inspector:
        from cpaudit.demo import inspector_sandbox

        path = inspector_sandbox(path)
    if args.no_gui:
        print(path)
        return EXIT_OK
    from cpaudit.gui.app import run_gui
    from cpaudit.i18n import current_language

    return _leave(run_gui(path, "inspector" if args.inspector else "trainer", current_language(), None))


def _cmd_schema(args: argparse.Namespace) -> int:
    from cpaudit.audit_json import json_schema
    from cpaudit.workflow.loader import load_workflow

    _print_json(json_schema(load_workflow()))
    return EXIT_OK


def _cmd_load(args: argparse.Namespace) -> int:
    from cpaudit.edit_labels import label
    from cpaudit.workspace import WorkspaceConflict, import_document, update_document

    doc, _wf = _document_for(str(args.file), args)
    ws = _workspace(args, exclusive=True, create=not args.update)
    try:
        if args.update:
            changes = update_document(ws, doc, label(N_("Updated from {file}"), file=args.file.name), force=args.force)
            if not changes:
                print(_("audit {id} in {path} already holds what the file says: nothing changed").format(
                    id=doc.meta.id, path=ws.path))
                return EXIT_OK
            print(ngettext("updated audit {id} in {path}: {n} change, undoable as one edit",
                           "updated audit {id} in {path}: {n} changes, undoable as one edit", changes).format(
                id=doc.meta.id, path=ws.path, n=changes))
            return EXIT_OK
        meta = import_document(ws, doc, label(N_("Loaded from {file}"), file=args.file.name))
    except WorkspaceConflict as exc:
        hint = "" if args.update else " " + _("(to apply the file's changes to it: cpaudit load --update)")
        raise CliError(exc.message + hint, EXIT_INVALID) from None
    finally:
        ws.close()
    print(_("loaded audit {id} ({title}) into {path}").format(id=meta.id, title=meta.title, path=ws.path))
    return EXIT_OK


def _cmd_dump(args: argparse.Namespace) -> int:
    from cpaudit.audit_json import dump

    doc, _wf = _document_for(args.audit, args)
    _print_json(dump(doc), args.out)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from cpaudit.workflow.issues import counts_text
    from cpaudit.workflow.validate import validate

    doc, wf = _document_for(args.target, args)
    issues = validate(doc, wf, args.stage)
    errors = [i for i in issues if i.severity == "error"]
    if args.json:
        _print_json({
            "audit": doc.id, "errors": len(errors),
            "warnings": sum(1 for i in issues if i.severity == "warning"),
            "issues": [dict(i.as_json(), justification=doc.justifications.get(i.key)) for i in issues],
        })
    else:
        for issue in issues:
            print(issue_line(issue))
        print(counts_text(len(errors), sum(1 for i in issues if i.severity == "warning"),
                          sum(1 for i in issues if i.severity == "info")))
    return EXIT_INVALID if errors else EXIT_OK


def issue_line(issue: Any) -> str:
    """One validation issue as `check` prints it: severity in words, path, message."""
    label = {"error": _("error"), "warning": _("warning"), "info": _("note")}[issue.severity]
    return f"{label}\t{issue.path}\t{issue.message}"


def _cmd_figures(args: argparse.Namespace) -> int:
    from cpaudit.figures import compute_figures

    doc, wf = _document_for(args.target, args)
    _print_json(compute_figures(doc, wf))
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from cpaudit import formatting

    ws = _workspace(args)
    statuses = {"active": _("In progress"), "archived": _("Archived")}  # as the home screen says them
    audits = ws.audits()
    if audits and sys.stdout.isatty():  # a header for people; a script reading the lines (cut -f1) gets rows only
        print("\t".join((_("Audit id"), _("Round"), _("Status"), _("Last change"), _("Audit"))))
    for meta in audits:
        print("\t".join((meta.id, str(meta.round), statuses.get(meta.status, meta.status),
                         formatting.datetime(meta.updated_at or meta.created_at), meta.title)))
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from cpaudit.i18n import current_language
    from cpaudit.report import build_report

    check_output(args.out)  # before the report is built (seconds)
    journal = None
    path = Path(args.target)
    if path.suffix.lower() == ".json" or path.exists():
        doc, wf = _document_for(args.target, args)
    else:  # from the workspace: the change summary (annex C) comes from the journal
        from cpaudit.store.journal import iter_journal
        from cpaudit.workspace import workflow_for

        ws = _workspace(args)
        meta = ws.find(args.target)
        if meta is None:
            raise CliError(_("no audit '{id}' in {path}").format(id=args.target, path=ws.path))
        doc, wf = ws.document(meta.id), workflow_for(meta)
        journal = list(iter_journal(ws.db, meta.id))
    from cpaudit.demo import report_watermark

    lang = args.report_lang or current_language()
    pdf = build_report(doc, wf, args.stage, "en" if lang == "en" else "zh_CN", journal=journal,
                       watermark=report_watermark(doc.meta))
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise cannot_write(args.out, exc) from None
    print(_("wrote {path} ({size} KB)").format(path=args.out, size=(len(pdf) + 1023) // 1024))
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from cpaudit.backup import backup_workspace

    check_output(args.out)
    if args.out.exists():
        raise CliError(_("{path} already exists").format(path=args.out))
    ws = _workspace(args)  # refuses a missing workspace; the backup reads it online, so it may stay open
    try:
        backup_workspace(ws.path, args.out)
    except OSError as exc:
        raise cannot_write(args.out, exc) from None
    finally:
        ws.close()
    print(_("workspace {path} backed up to {out}").format(path=ws.path, out=args.out))
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from cpaudit.backup import BackupError, restore_workspace

    target = Path(args.db or paths.default_workspace())
    if not args.file.is_file():
        raise CliError(_("file not found: {path}").format(path=args.file))
    try:
        restore_workspace(args.file, target)
    except BackupError as exc:
        hint = " " + _("(choose another file with --db)") if target.exists() else ""
        raise CliError(exc.message + hint, EXIT_INVALID) from None
    except OSError as exc:
        raise cannot_write(target, exc) from None
    print(_("backup {file} restored to {path}").format(file=args.file, path=target))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": _cmd_gui, "demo": _cmd_demo, "schema": _cmd_schema, "load": _cmd_load, "dump": _cmd_dump,
    "check": _cmd_check, "figures": _cmd_figures, "list": _cmd_list, "report": _cmd_report,
    "backup": _cmd_backup, "restore": _cmd_restore,
}


def _submission_commands() -> None:
    """key / export / verify live in cli_submission (imported lazily: keeps --help fast)."""
    def lazy(name: str) -> Callable[[argparse.Namespace], int]:
        def run(args: argparse.Namespace) -> int:
            from cpaudit import cli_submission

            return getattr(cli_submission, name)(args)
        return run

    COMMANDS.update(key=lazy("cmd_key"), export=lazy("cmd_export"), verify=lazy("cmd_verify"))

    def lazy_review(name: str) -> Callable[[argparse.Namespace], int]:
        def run(args: argparse.Namespace) -> int:
            from cpaudit import cli_review

            return getattr(cli_review, name)(args)
        return run

    COMMANDS.update({"import": lazy_review("cmd_import"), "dashboard": lazy_review("cmd_dashboard"),
                     "trust": lazy_review("cmd_trust"), "review": lazy_review("cmd_review")})


_submission_commands()

if __name__ == "__main__":
    sys.exit(main())
