"""Inspector commands: ``import``, ``dashboard``, ``trust …``, ``review …`` (issue 7).

For bureau servers and scripts; the GUI calls the same ``cpaudit.review``
functions. Same contract as the rest of the CLI: one translated error line,
exit 0 / 1 (a file rejected, a check failed) / 2 (usage). The inspector
workspace is always named with ``--db``: the enterprise's default workspace
must never silently become a bureau's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from cpaudit.i18n import _


def add_parsers(sub: Any) -> None:
    def db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", type=Path, required=True, help=_("the inspector workspace file"))

    imp = sub.add_parser("import", help=_("import submission files (inspector)"))
    imp.add_argument("files", nargs="+", type=Path, help=_("submission files or folders of them"))
    db(imp)
    imp.add_argument("--trust", type=Path, help=_("extra trust file or folder (bureau roots, revocations)"))
    imp.add_argument("--training", action="store_true", help=_("create a training workspace (accepts demo submissions)"))
    imp.add_argument("--json", action="store_true", help=_("machine-readable output"))

    dash = sub.add_parser("dashboard", help=_("city-wide figures (inspector)"))
    db(dash)
    from cpaudit.cli import whole_number

    dash.add_argument("--year", type=whole_number, help=_("only audits of this year"))
    dash.add_argument("--district", help=_("only enterprises of this district (区/县)"))
    dash.add_argument("--sector", help=_("industry code"))
    dash.add_argument("--stage", choices=["assessment", "acceptance"], help=_("only submissions of this stage"))
    dash.add_argument("--status", choices=["received", "in_review", "returned", "passed", "failed"],
                      help=_("only submissions in this review state"))
    dash.add_argument("--csv", type=Path, help=_("write the dashboard as CSV"))
    dash.add_argument("--xlsx", type=Path, help=_("write the dashboard as an Excel workbook"))
    dash.add_argument("--json", action="store_true", help=_("machine-readable output"))

    trust = sub.add_parser("trust", help=_("the bureau's registry of enterprise signing keys (inspector)"))
    tsub = trust.add_subparsers(dest="trust_command", parser_class=type(trust))
    add = tsub.add_parser("add-request", help=_("register the key of an enterprise's registration request"))
    add.add_argument("file", type=Path, help=_("the registration request (JSON) the enterprise sent"))
    add.add_argument("--fingerprint", help=_("the fingerprint on the sealed printout; when it matches, the key is trusted"))
    db(add)
    approve = tsub.add_parser("approve", help=_("trust a registered key after comparing its fingerprint"))
    approve.add_argument("key_id", help=_("key id (see cpaudit trust list)"))
    approve.add_argument("--fingerprint", required=True, help=_("the fingerprint on the sealed printout"))
    db(approve)
    revoke = tsub.add_parser("revoke", help=_("revoke a registered key"))
    revoke.add_argument("key_id", help=_("key id (see cpaudit trust list)"))
    revoke.add_argument("--note", default="", help=_("why (kept in the registry)"))
    db(revoke)
    certify = tsub.add_parser("certify", help=_("issue a bureau certificate for a trusted key (the enterprise imports it)"))
    certify.add_argument("key_id", help=_("key id (see cpaudit trust list)"))
    certify.add_argument("--out", type=Path, required=True, help=_("certificate file to write"))
    certify.add_argument("--not-before", required=True, help=_("start of validity: a date (from 00:00 Beijing time) or an ISO date and time"))
    certify.add_argument("--not-after", required=True, help=_("end of validity: a date (valid to the end of that day, Beijing time) or an ISO date and time"))
    _key_args(certify)
    db(certify)
    export = tsub.add_parser("export", help=_("write a trust file to hand out: the bureau's keys, so enterprises "
                                              "trust its answers (with --registry also the registered keys)"))
    export.add_argument("--out", type=Path, required=True, help=_("trust file to write"))
    export.add_argument("--registry", action="store_true",
                        help=_("include every registered enterprise key (for another inspector's cpaudit verify)"))
    export.add_argument("--key-folder", type=Path, help=_("folder of the bureau key (default: bureau-key in your user data folder)"))
    db(export)
    install = tsub.add_parser("install", help=_("install a trust file the bureau handed out (enterprise or inspector)"))
    install.add_argument("file", type=Path, help=_("the trust file"))
    listing = tsub.add_parser("list", help=_("list the registered keys"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    db(listing)

    review = sub.add_parser("review", help=_("review results: the bureau's answer file"))
    rsub = review.add_subparsers(dest="review_command", parser_class=type(review))
    init = rsub.add_parser("bureau-key", help=_("create the bureau's signing key for answer files"))
    init.add_argument("--name", required=True, help=_("name of the bureau"))
    init.add_argument("--code", required=True, help=_("the bureau's unified social credit code"))
    _key_args(init)
    answer = rsub.add_parser("answer", help=_("sign the answer for a received submission"))
    answer.add_argument("submission", help=_("submission id (or a unique prefix of at least 8 characters)"))
    answer.add_argument("--out", type=Path, required=True, help=_("answer file to write"))
    _key_args(answer)
    db(answer)
    imp_answer = rsub.add_parser("import-answer", help=_("store the bureau's answer about a file you submitted (enterprise)"))
    imp_answer.add_argument("file", type=Path, help=_("the answer file the bureau sent"))
    imp_answer.add_argument("--db", type=Path, help=_("workspace file (default: the one in your user data folder)"))
    imp_answer.add_argument("--trust", type=Path, help=_("trust file or folder naming the bureau key (default: your trust folder)"))


def _key_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--key-folder", type=Path, help=_("folder of the bureau key (default: bureau-key in your user data folder)"))
    p.add_argument("--passphrase-file", type=Path, help=_("file whose first line is the passphrase"))


def _error(exc: Exception, code: int = 1) -> Exception:
    from cpaudit.cli import CliError

    return CliError(getattr(exc, "message", None) or str(exc), code)


def _inspector(args: argparse.Namespace, *, create: bool = False, training: bool | None = None, exclusive: bool = False):
    from cpaudit.cli import EXIT_USAGE, CliError, cannot_open_workspace, require_workspace_file
    from cpaudit.review.inspector import ReviewError, open_inspector, require_inspector
    from cpaudit.store.db import WorkspaceError
    from cpaudit.store.lock import WorkspaceBusy
    from cpaudit.workspace import Workspace

    require_workspace_file(args.db, None if create else _(
        "no inspector workspace at {path}: cpaudit import or cpaudit trust add-request creates one").format(path=args.db))
    try:
        if create:
            return open_inspector(args.db, training=training, exclusive=exclusive)
        ws = Workspace(args.db, exclusive=exclusive)
        try:
            require_inspector(ws)
        except ReviewError:
            ws.close()
            raise
        return ws
    except (WorkspaceError, WorkspaceBusy, ReviewError) as exc:
        raise CliError(exc.message, EXIT_USAGE) from None
    except OSError as exc:  # the lock file beside it could not be made
        raise CliError(cannot_open_workspace(args.db, exc), EXIT_USAGE) from None


def cmd_import(args: argparse.Namespace) -> int:
    from cpaudit.bundle.trust import TrustError, installed_trust, load_trust
    from cpaudit.cli import EXIT_INVALID, EXIT_OK
    from cpaudit.review.importer import REJECTED, import_iter, summary_text

    try:  # beside the registry: --trust, else what `trust install` put in the user's trust folder (as verify)
        extra = load_trust(args.trust) if args.trust else installed_trust()
    except TrustError as exc:
        raise _error(exc, 2) from None
    ws = _inspector(args, create=True, training=True if args.training else None, exclusive=True)
    outcomes = []
    try:
        for _done, _total, outcome in import_iter(ws, args.files, trust=extra):
            outcomes.append(outcome)
            if not args.json:
                print(outcome.line(), flush=True)
    finally:
        ws.close()
    rejected = sum(1 for o in outcomes if o.status == REJECTED)
    if args.json:
        print(json.dumps({"ok": rejected == 0, "files": [o.as_json() for o in outcomes]}, ensure_ascii=False, indent=2))
    else:
        print(summary_text(outcomes))
    return EXIT_INVALID if rejected else EXIT_OK


def cmd_dashboard(args: argparse.Namespace) -> int:
    from cpaudit.cli import EXIT_OK, cannot_write, check_output
    from cpaudit.review.dashboard import Filters, dashboard, export_csv, export_xlsx

    for path in (args.csv, args.xlsx):
        if path:
            check_output(path)
    ws = _inspector(args)
    try:
        board = dashboard(ws, Filters(args.year, args.district, args.sector, args.stage, args.status))
    finally:
        ws.close()
    for path, write in ((args.csv, export_csv), (args.xlsx, export_xlsx)):
        try:
            if path:
                write(board, path)
        except OSError as exc:
            raise cannot_write(path, exc) from None
    tables = board.tables()
    if args.json:
        print(json.dumps({"audits": board.audits, "enterprises": board.enterprises,
                          "tables": [{"key": t.key, "title": t.title, "headers": t.headers, "rows": t.rows} for t in tables]},
                         ensure_ascii=False, indent=2, default=_plain))
        return EXIT_OK
    print(board.headline())
    for t in tables:
        print(f"\n{t.title}\n" + "\t".join(t.headers))
        for row in t.rows:
            print("\t".join(format(v, "f") if hasattr(v, "as_tuple") else str(v) for v in row))
    for path in (args.csv, args.xlsx):
        if path:
            print(_("wrote {path}").format(path=path))
    return EXIT_OK


def cmd_trust(args: argparse.Namespace) -> int:
    from cpaudit.cli import EXIT_OK, CliError, cannot_write, check_output
    from cpaudit.review import registry
    from cpaudit.review.inspector import ReviewError

    if args.trust_command is None:
        raise CliError(_("usage error: {detail} (see cpaudit --help)").format(detail="cpaudit trust add-request|approve|certify|revoke|list|export|install"))
    # Registering the first key may create the bureau's workspace (as the first import does); a
    # file that exists is never turned into an inspector workspace here, and the other commands
    # need keys that are already registered.
    if args.trust_command == "install":
        return _install_trust(args.file)
    if args.trust_command == "certify":
        from cpaudit.bundle.certs import CertificateError, validity_bounds

        check_output(args.out)
        try:  # before the passphrase prompt: a typo in a date is a usage error
            _start, end = validity_bounds(args.not_before, args.not_after)
        except CertificateError as exc:
            raise CliError(exc.message) from None
        import datetime as dt

        if dt.datetime.fromisoformat(end) < dt.datetime.now(dt.timezone.utc):  # a certificate nobody can sign under
            raise CliError(_("--not-after ({end}) is already past").format(end=args.not_after))
    ws = _inspector(args, create=args.trust_command == "add-request" and not args.db.exists(),
                    exclusive=args.trust_command != "list")
    try:
        if args.trust_command == "add-request":
            key = registry.add_request(ws, args.file, confirm_fingerprint=args.fingerprint)
            if key.state == registry.REVOKED:  # a request of a revoked key changes nothing: say so, and fail
                raise CliError(_("key {key_id} of {name} is revoked: the enterprise must register a new key").format(
                    key_id=key.key_id, name=key.name), 1)
            print(_("registered key {key_id} of {name} ({uscc}), {state}").format(
                key_id=key.key_id, name=key.name, uscc=key.uscc, state=key.state_label()))
            if key.state != registry.TRUSTED:  # compared already when --fingerprint matched
                print(_("fingerprint: {fingerprint}: compare it group by group with the sealed printout").format(
                    fingerprint=key.fingerprint))
        elif args.trust_command == "approve":
            key = registry.trust_key(ws, args.key_id, args.fingerprint)
            print(_("key {key_id} of {name} is trusted").format(key_id=key.key_id, name=key.name))
        elif args.trust_command == "certify":
            bureau = _unlock_bureau(args)
            cert = registry.certify_key(ws, args.key_id, bureau, not_before=args.not_before, not_after=args.not_after)
            try:
                args.out.write_text(json.dumps(cert, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            except OSError as exc:
                raise cannot_write(args.out, exc) from None
            print(_("certificate {serial} for key {key_id} written to {path}").format(
                serial=cert["cert"]["serial"], key_id=registry.normalise_key_id(args.key_id), path=args.out))
        elif args.trust_command == "export":
            from cpaudit.bundle.keys import has_key, load_info

            check_output(args.out)
            folder = _bureau_folder(args)
            if has_key(folder):
                _require_bureau_role(folder)
            own = load_info(folder) if has_key(folder) else None
            data = registry.trust_export(ws, (own.public_key, own.enterprise["name"]) if own else None,
                                         with_registry=args.registry)
            if not data["bureau_roots"] and not data["keys"]:
                raise CliError(_("nothing to export: no bureau key and no bureau roots (create the key with "
                                 "'cpaudit review bureau-key')"))
            try:
                args.out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            except OSError as exc:
                raise cannot_write(args.out, exc) from None
            counts = dict(path=args.out, roots=len(data["bureau_roots"]), keys=len(data["keys"]))
            if args.registry:  # it names every registered firm: for another inspector, not to hand out
                print(_("trust file written to {path} (bureau keys: {roots}, enterprise keys: {keys}); for another "
                        "inspector's computer, not for enterprises").format(**counts))
            else:
                print(_("trust file written to {path} (bureau keys: {roots}, enterprise keys: {keys}); enterprises "
                        "install it with 'cpaudit trust install'").format(**counts))
        elif args.trust_command == "revoke":
            key = registry.revoke_key(ws, args.key_id, args.note)
            print(_("key {key_id} of {name} is revoked").format(key_id=key.key_id, name=key.name))
        else:
            keys = registry.list_keys(ws)
            if args.json:
                print(json.dumps([{"key_id": k.key_id, "fingerprint": k.fingerprint, "uscc": k.uscc, "name": k.name,
                                   "signer": k.signer, "state": k.state, "registered_at": k.registered_at} for k in keys],
                                 ensure_ascii=False, indent=2))
            elif keys:  # the time on this computer's clock (stored in UTC), as every screen shows it
                from cpaudit import formatting

                print("\t".join((_("Key id"), _("State"), _("USCC"), _("Enterprise"), _("Signer"), _("Fingerprint"),
                                 _("Registered"))))
                for k in keys:
                    print("\t".join((k.key_id, k.state_label(), k.uscc, k.name, k.signer, k.fingerprint,
                                     formatting.datetime(k.registered_at))))
    except ReviewError as exc:
        raise _error(exc) from None
    finally:
        ws.close()
    return EXIT_OK


def _plain(value: Any) -> str:
    """A Decimal as its plain digits: str() gave "8E+1" for a normalised 80."""
    from decimal import Decimal

    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _install_trust(source: Path) -> int:
    from cpaudit.bundle.trust import TrustError, install_trust, installed_trust, trusted_bureaus
    from cpaudit.cli import EXIT_OK, cannot_write

    try:
        target, trust = install_trust(source)
    except TrustError as exc:
        raise _error(exc, 2 if source.is_dir() else 1) from None  # a folder is a usage error
    except OSError as exc:
        from cpaudit import paths

        raise cannot_write(paths.user_data_dir() / "trust", exc) from None
    print(_("installed {path}: bureaus trusted: {names}; enterprise keys: {keys}").format(
        path=target, names=trusted_bureaus(trust), keys=len(trust.keys)))
    everything = installed_trust()
    if everything is not None and set(everything.root_names.values()) != set(trust.root_names.values()):
        print(_("bureaus this computer now trusts: {names}").format(names=trusted_bureaus(everything)))
    return EXIT_OK


def _bureau_folder(args: argparse.Namespace) -> Path:
    from cpaudit import paths

    return args.key_folder or paths.user_data_dir() / "bureau-key"


def _existing_bureau_key(args: argparse.Namespace) -> Path:
    from cpaudit.bundle.keys import has_key
    from cpaudit.cli import CliError

    folder = _bureau_folder(args)
    if not has_key(folder):
        raise CliError(_("no bureau key in {folder}: create it with 'cpaudit review bureau-key'").format(folder=folder))
    return folder


def _require_bureau_role(folder: Path) -> None:
    """An enterprise's signing key pointed at with --key-folder is refused where the bureau's is meant."""
    from cpaudit.bundle.keys import load_info, role_mismatch
    from cpaudit.cli import CliError

    info = load_info(folder)
    if info.role == "enterprise":
        raise CliError(role_mismatch("enterprise", info.path))


def _unlock_bureau(args: argparse.Namespace) -> Any:
    """The bureau key, unlocked. Without one the hint is `review bureau-key`: `key init` makes an
    enterprise key, which the bureau must not sign with."""
    from cpaudit.bundle.keys import KeyStoreError, WrongPassphrase, unlock
    from cpaudit.cli_submission import _passphrase

    folder = _existing_bureau_key(args)
    _require_bureau_role(folder)
    try:
        return unlock(_passphrase(args.passphrase_file, _("Passphrase: ")), folder)
    except WrongPassphrase as exc:
        raise _error(exc) from None
    except KeyStoreError as exc:
        raise _error(exc, 2) from None


def cmd_review(args: argparse.Namespace) -> int:
    from cpaudit.bundle.keys import KeyStoreError, WrongPassphrase, unlock
    from cpaudit.cli import EXIT_OK, CliError, cannot_write, check_output
    from cpaudit.cli_submission import _passphrase
    from cpaudit.review.answer import import_answer, init_bureau_key, issue_answer
    from cpaudit.review.inspector import ReviewError

    command = args.review_command
    if command is None:
        raise CliError(_("usage error: {detail} (see cpaudit --help)").format(detail="cpaudit review bureau-key|answer|import-answer"))
    try:
        if command == "bureau-key":
            passphrase = _passphrase(args.passphrase_file, _("New passphrase: "), confirm=True)
            info = init_bureau_key(passphrase, bureau_name=args.name, code=args.code, folder=_bureau_folder(args))
            print(_("created the bureau key {key_id}, fingerprint {fingerprint}").format(key_id=info.key_id, fingerprint=info.fingerprint))
        elif command == "answer":
            check_output(args.out)
            _existing_bureau_key(args)
            ws = _inspector(args)
            try:
                submission = _find_submission(ws, args.submission)
                key = _unlock_bureau(args)
                try:
                    data = issue_answer(ws, submission, key, args.out)
                except OSError as exc:  # written before it is recorded: nothing is frozen
                    raise cannot_write(args.out, exc) from None
            finally:
                ws.close()
            decision = json.loads(data)["answer"]["decision"]
            if decision == "received":  # nothing decided yet: say so, or it reads like the review's result
                print(_("receipt for submission {id} written to {path}: no decision is recorded yet (scores and the "
                        "decision are made in the inspector window)").format(id=submission, path=args.out))
            else:
                print(_("answer for submission {id} written to {path}").format(id=submission, path=args.out))
        elif command == "import-answer":
            from cpaudit.history_view import place_label
            from cpaudit.workspace import workflow_for

            received, doc = _import_answer(args, import_answer)
            print(received.receipt_line())
            wf = workflow_for(doc.meta)
            for c in received.comments:  # named as the enterprise sees the place, not by ids
                a = c.anchor
                print("{}\t{}".format(place_label(wf, a.step, a.field or None, a.row or None, doc, a.column or None), c.text))
    except WrongPassphrase as exc:
        raise _error(exc) from None
    except (KeyStoreError, ReviewError) as exc:
        raise _error(exc, 1 if isinstance(exc, ReviewError) else 2) from None
    return EXIT_OK


def _find_submission(ws: Any, ref: str) -> str:
    from cpaudit.cli import CliError

    rows = [r[0] for r in ws.db.execute("SELECT submission_id FROM submissions WHERE submission_id LIKE ? || '%'",
                                        [ref])] if len(ref) >= 8 else []
    if len(rows) != 1:
        raise CliError(_("no received submission {id}").format(id=ref))
    return rows[0]


def _import_answer(args: argparse.Namespace, import_answer: Callable[..., Any]) -> Any:
    from cpaudit.bundle.trust import TrustError, load_trust
    from cpaudit.cli import _workspace
    from cpaudit.cli_submission import default_trust

    try:
        trust = load_trust(args.trust) if args.trust else default_trust()
    except TrustError as exc:
        raise _error(exc, 2) from None
    ws = _workspace(args, exclusive=True)
    try:
        received = import_answer(ws, args.file, trust)
        return received, ws.document(received.audit_id)
    finally:
        ws.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(1)
