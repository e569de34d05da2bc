"""``cpaudit key …``, ``cpaudit export``, ``cpaudit verify``: the signed submission on the command line.

Kept apart from ``cli.py`` so that the signing commands read in one sitting;
same contract: one translated error line, exit 0 / 1 (refused or invalid) / 2 (usage).
Passphrases come from ``--passphrase-file``, else ``CPAUDIT_PASSPHRASE``
(automation), else a prompt without echo; never from the command line, where
every other user of the machine could read them in the process list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

from cpaudit.i18n import _

PASSPHRASE_ENV = "CPAUDIT_PASSPHRASE"


def add_parsers(sub: Any, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    key = sub.add_parser("key", help=_("manage the signing key"))
    ksub = key.add_subparsers(dest="key_command", parser_class=type(key))
    init = ksub.add_parser("init", help=_("create the signing key (Ed25519, encrypted under a passphrase)"))
    init.add_argument("--enterprise", required=True, help=_("enterprise name as registered"))
    init.add_argument("--uscc", required=True, help=_("unified social credit code"))
    init.add_argument("--signer", required=True, help=_("name of the person who signs"))
    init.add_argument("--title", default="", help=_("the signer's function, e.g. legal representative"))
    init.add_argument("--force", action="store_true", help=_("replace an existing key (the old one is kept aside)"))
    _pass_arg(init)
    show = ksub.add_parser("show", help=_("show the key id, fingerprint and certificate"))
    show.add_argument("--json", action="store_true", help=_("machine-readable output"))
    passwd = ksub.add_parser("passwd", help=_("change the passphrase"))
    _pass_arg(passwd)
    passwd.add_argument("--new-passphrase-file", type=Path, help=_("file whose first line is the new passphrase"))
    backup = ksub.add_parser("backup", help=_("copy the encrypted key file for safekeeping"))
    backup.add_argument("--out", type=Path, required=True, help=_("where to write the copy (keep it away from this computer)"))
    restore = ksub.add_parser("restore", help=_("install a key backup as this computer's signing key (a new PC)"))
    restore.add_argument("file", type=Path, help=_("the backup written by cpaudit key backup"))
    restore.add_argument("--force", action="store_true", help=_("replace the key this computer has (it is kept aside)"))
    _pass_arg(restore)
    for p in (backup, restore):  # the bureau's answer key lives in another folder and needs its backup too
        p.add_argument("--key-folder", type=Path,
                       help=_("folder of the key (default: your signing key; the bureau key is in bureau-key in your user data folder)"))
    request = ksub.add_parser("export-request", help=_("write the registration request for the bureau (JSON and PDF)"))
    request.add_argument("--out", type=Path, required=True, help=_("JSON file to write; the PDF goes beside it"))
    _pass_arg(request)
    cert = ksub.add_parser("import-cert", help=_("store the bureau's certificate for this key"))
    cert.add_argument("file", type=Path, help=_("the certificate file the bureau issued"))

    export = sub.add_parser("export", help=_("write the signed submission file"))
    export.add_argument("audit", help=_("audit id (see cpaudit list)"))
    export.add_argument("--stage", choices=["assessment", "acceptance"], required=True,
                        help=_("assessment (评估, ends at chapter 5) or acceptance (验收, complete)"))
    export.add_argument("--out", type=Path, required=True, help=_("submission file to write (.cpaudit)"))
    export.add_argument("--report-lang", choices=["zh_CN", "en"], default="zh_CN", help=_("language of the report"))
    export.add_argument("--accept-certification", action="store_true",
                        help=_("accept the certification statement without being asked (automation)"))
    _pass_arg(export)
    db_arg(export)

    verify = sub.add_parser("verify", help=_("verify submission files"))
    verify.add_argument("files", nargs="+", type=Path, help=_("submission files (.cpaudit)"))
    verify.add_argument("--trust", type=Path, help=_("trust file or folder (default: your trust folder and your own key)"))
    verify.add_argument("--ledger", type=Path, help=_("submissions already received, to catch replays and stale revisions"))
    verify.add_argument("--depth", choices=["full", "schema", "integrity"], default="full",
                        help=_("full: recompute the figures too; schema: skip that; integrity: signature and hashes only"))
    verify.add_argument("--db", type=Path, help=_("an inspector workspace: trust its registry of enterprise keys and its bureau roots"))
    verify.add_argument("--accept-demo", action="store_true",
                        help=_("accept demo files of the training sandbox (as a training inspector workspace does)"))
    verify.add_argument("--json", action="store_true", help=_("machine-readable output"))


def _pass_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--passphrase-file", type=Path, help=_("file whose first line is the passphrase"))


def _passphrase(file: Path | None, prompt: str, confirm: bool = False, env: bool = True) -> str:
    from cpaudit.cli import CliError

    if file is not None:
        try:
            return file.read_text(encoding="utf-8").splitlines()[0] if file.stat().st_size else ""
        except (OSError, IndexError, UnicodeDecodeError):
            raise CliError(_("cannot read the passphrase from {path}").format(path=file)) from None
    if env and os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise CliError(_("no passphrase: use --passphrase-file or the environment variable {env}").format(env=PASSPHRASE_ENV))
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the passphrase: ")) != first:
        raise CliError(_("the two passphrases differ"))
    return first


def _keys_call(fn: Callable[[], Any]) -> Any:
    from cpaudit.bundle.keys import KeyStoreError, WrongPassphrase
    from cpaudit.cli import EXIT_INVALID, CliError

    try:
        return fn()
    except WrongPassphrase as exc:
        raise CliError(exc.message, EXIT_INVALID) from None
    except KeyStoreError as exc:
        raise CliError(exc.message) from None


def cmd_key(args: argparse.Namespace) -> int:
    from cpaudit.bundle import keys
    from cpaudit.bundle.format import b64
    from cpaudit.cli import EXIT_OK, CliError, cannot_write, check_output

    command = args.key_command
    if command is None:
        raise CliError(_("usage error: {detail} (see cpaudit --help)").format(detail="cpaudit key init|show|passwd|backup|restore|export-request|import-cert"))
    if command == "init":
        problem = keys.identity_problem(args.enterprise, args.uscc, args.signer, args.title)
        if problem:  # before the passphrase is asked for twice
            raise CliError(problem)
        passphrase = _passphrase(args.passphrase_file, _("New passphrase: "), confirm=True)
        info = _keys_call(lambda: keys.init_key(passphrase, enterprise_name=args.enterprise, uscc=args.uscc,
                                                signer_name=args.signer, signer_title=args.title, force=args.force))
        print(_("created signing key {key_id}, fingerprint {fingerprint}").format(key_id=info.key_id, fingerprint=info.fingerprint))
        print(keys.new_key_warning())
        print(_("Keep a copy away from this computer: cpaudit key backup --out FILE"))
    elif command == "show":
        info = _keys_call(keys.load_info)
        data = {"key_id": info.key_id, "fingerprint": info.fingerprint, "alg": "ed25519",
                "public_key": b64(info.public_key), "enterprise": info.enterprise,
                "signer": info.signer, "created_at": info.created_at, "pdf_cert_sha256": info.pdf_cert_sha256,
                "bureau_certificate": (info.bureau_cert or {}).get("cert"), "file": str(info.path)}
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            from cpaudit.formatting import signer_text

            enterprise = _("{name} ({code})").format(name=info.enterprise["name"], code=info.enterprise["uscc"])
            for label, value in ((_("key id"), info.key_id), (_("fingerprint"), info.fingerprint),
                                 (_("enterprise"), enterprise), (_("signer"), signer_text(info.signer)),
                                 (_("bureau certificate"), (info.bureau_cert or {}).get("cert", {}).get("serial") or _("none")),
                                 (_("key file"), str(info.path))):
                print(_("{label}:").format(label=label) + f"\t{value}")  # zh writes a full-width colon
            _warn_certificate(info.bureau_cert)
    elif command == "passwd":
        old = _passphrase(args.passphrase_file, _("Current passphrase: "))
        new = _passphrase(args.new_passphrase_file, _("New passphrase: "), confirm=True, env=False)
        _keys_call(lambda: keys.change_passphrase(old, new))
        print(_("passphrase changed"))
    elif command == "backup":
        check_output(args.out)
        try:
            path = _keys_call(lambda: keys.export_backup(args.out, args.key_folder))
        except OSError as exc:
            raise cannot_write(args.out, exc) from None
        print(_("encrypted key written to {path}").format(path=path))
        print(keys.backup_warning())
    elif command == "restore":
        if not args.file.is_file():  # before asking for a passphrase
            raise CliError(_("file not found: {path}").format(path=args.file))
        passphrase = _passphrase(args.passphrase_file, _("Passphrase: "))
        # Into the default folder only an enterprise key; a bureau key goes where --key-folder says.
        role = "enterprise" if args.key_folder is None else None
        info, dropped = _keys_call(lambda: keys.restore_backup(args.file, passphrase, args.key_folder, force=args.force,
                                                               role=role))
        print(_("signing key {key_id} restored, fingerprint {fingerprint}; bureau certificate: {cert}").format(
            key_id=info.key_id, fingerprint=info.fingerprint,
            cert=(info.bureau_cert or {}).get("cert", {}).get("serial") or _("none")))
        if dropped:
            print(_("warning: {message}").format(message=keys.dropped_certificate_note()), file=sys.stderr)
    elif command == "export-request":
        from cpaudit.bundle.request import registration_request, request_pdf, request_summary

        check_output(args.out)
        passphrase = _passphrase(args.passphrase_file, _("Passphrase: "))
        key = _keys_call(lambda: keys.unlock(passphrase))
        request = registration_request(key)
        pdf = args.out.with_suffix(".pdf")
        for path, write in ((args.out, lambda: args.out.write_text(json.dumps(request, ensure_ascii=False, indent=2) + "\n",
                                                                   encoding="utf-8")),
                            (pdf, lambda: pdf.write_bytes(request_pdf(request)))):
            try:
                write()
            except OSError as exc:
                raise cannot_write(path, exc) from None
        print(_("registration request written to {json} and {pdf}: {summary}").format(
            json=args.out, pdf=pdf, summary=request_summary(request)))
    elif command == "import-cert":
        from cpaudit.bundle.trust import installed_roots

        cert = _keys_call(lambda: keys.import_certificate(args.file, roots=installed_roots()))
        print(_("bureau certificate {serial} stored").format(serial=cert["cert"]["serial"]))
        _warn_certificate(cert)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from cpaudit.bundle.export import ExportRefused, export_submission
    from cpaudit.bundle.format import certification_block
    from cpaudit.bundle.keys import KeyStoreError, WrongPassphrase
    from cpaudit.cli import EXIT_INVALID, EXIT_OK, CliError, _workspace, check_output

    check_output(args.out)  # before the passphrase and the signing
    ws = _workspace(args)
    meta = ws.find(args.audit)
    if meta is None:
        raise CliError(_("no audit '{id}' in {path}").format(id=args.audit, path=ws.path))
    accepted = args.accept_certification
    if not accepted:
        print(certification_block(args.report_lang, True)["text"], file=sys.stderr)
        if not sys.stdin.isatty():
            raise CliError(_("the certification statement must be accepted: add --accept-certification"))
        accepted = input(_("Accept this statement? (yes/no) ")).strip().lower() in ("yes", "y", "是")
        if not accepted:
            raise CliError(_("the certification statement must be accepted before signing"), EXIT_INVALID)
    demo = meta.kind == "demo"  # sandbox audits sign with the public demo key: no passphrase
    passphrase = "" if demo else _passphrase(args.passphrase_file, _("Passphrase: "))
    try:
        out = export_submission(ws, meta.id, args.stage, args.out, passphrase, certification_accepted=accepted,
                                lang=args.report_lang)
    except ExportRefused as exc:
        from cpaudit.cli import issue_line

        for issue in exc.issues:  # as `check` says them (the severity was printed as the English code)
            print(issue_line(issue), file=sys.stderr)
        raise CliError(exc.message, EXIT_INVALID) from None
    except WrongPassphrase as exc:
        raise CliError(exc.message, EXIT_INVALID) from None
    except KeyStoreError as exc:
        raise CliError(exc.message) from None
    from cpaudit.bundle.demo_key import demo_key
    from cpaudit.bundle.keys import load_info

    info = demo_key().info if demo else load_info()
    if demo:
        print(_("demo audit: signed with the public demo key; only a training inspector workspace accepts it"))
    print(_("signed submission written to {path} (key {key_id}, fingerprint {fingerprint})").format(
        path=out, key_id=info.key_id, fingerprint=info.fingerprint))
    if not demo:
        _warn_certificate(info.bureau_cert)
    return EXIT_OK


def _warn_certificate(cert: dict[str, Any] | None) -> None:
    """One line on stderr when the bureau certificate is not valid today (signing goes on: see validity_warning)."""
    from cpaudit.bundle.certs import validity_warning

    warning = validity_warning(cert, dt.datetime.now(dt.timezone.utc))
    if warning:
        print(_("warning: {message}").format(message=warning), file=sys.stderr)


def default_trust() -> Any:
    """The user's trust folder, plus the user's own keys (an enterprise re-checking what it sent)."""
    from cpaudit import paths
    from cpaudit.bundle.trust import Trust, load_trust, own_trust

    trust = Trust()
    folder = paths.user_data_dir() / "trust"
    if folder.is_dir():
        trust.merge(load_trust(folder))
    return trust.merge(own_trust())


def cmd_verify(args: argparse.Namespace) -> int:
    from cpaudit.bundle.revisions import Ledger, LedgerError
    from cpaudit.bundle.trust import TrustError, load_trust
    from cpaudit.bundle.verify import verify_files
    from cpaudit.cli import EXIT_INVALID, EXIT_OK, CliError

    try:
        trust = load_trust(args.trust) if args.trust else default_trust()
        ledger = Ledger.load(args.ledger) if args.ledger else None
    except (TrustError, LedgerError) as exc:
        raise CliError(exc.message) from None
    if args.db is not None:  # what `import --db` trusts and holds, so verify and import judge a file alike
        from cpaudit.cli_review import _inspector
        from cpaudit.review.importer import ledger_of
        from cpaudit.review.registry import trust_of

        ws = _inspector(args)
        try:
            trust = trust_of(ws, trust)
            if ledger is None:  # what it received already: a stale or replayed revision is said as import says it
                ledger = ledger_of(ws)
        finally:
            ws.close()
    if args.accept_demo:  # as a training inspector workspace: demo files pass, signed by the public demo key
        from cpaudit.bundle.demo_key import accept_demo_files

        accept_demo_files(trust)
    results = verify_files(args.files, trust, ledger=ledger, depth=args.depth)
    if args.json:
        print(json.dumps({"valid": all(r.valid for r in results), "files": [r.as_json() for r in results]},
                         ensure_ascii=False, indent=2))
    else:
        for r in results:
            print(r.line())
    return EXIT_OK if all(r.valid for r in results) else EXIT_INVALID
