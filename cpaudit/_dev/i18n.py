"""Message catalogs: extract, update, fill, check, compile.

    uv run python -m cpaudit._dev.i18n update      # re-extract .pot, merge into zh_CN/en .po
    uv run python -m cpaudit._dev.i18n fill F.json  # add zh_CN translations {"msgid": "译文"}
    uv run python -m cpaudit._dev.i18n check       # exit 1 on a stale .pot or missing translations
    uv run python -m cpaudit._dev.i18n compile     # .po → .mo (CI, packaging)

Message ids are English. The en catalog is the identity (msgstr = msgid),
written by ``update`` so that "untranslated" means the same in both languages.
Writes take a file lock, so several people (or agents) can fill at once.
"""

from __future__ import annotations

import fcntl
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from cpaudit import __version__, paths
from cpaudit.i18n import DOMAIN, LANGUAGES

ROOT = paths.translations_root().parent
POT = paths.translations_root() / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def po_path(lang: str) -> Path:
    return paths.translations_root() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def build_template() -> Catalog:
    """Every message id the application can show, from code and workflows."""
    from cpaudit.workflow.babel_extract import workflow_messages
    from cpaudit.workflow.loader import load_workflow_dir

    catalog = Catalog(project="cpaudit", version=__version__, domain=DOMAIN, fuzzy=False)
    method_map = [("cpaudit/_dev/**.py", "ignore"), ("cpaudit/**.py", "python")]
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if filename.startswith("cpaudit/") or filename.startswith("cpaudit\\"):
            catalog.add(message, locations=[(filename, lineno)], auto_comments=comments)
    for folder in sorted(paths.resource_path("workflows").iterdir()):
        if (folder / "workflow.toml").exists():
            wf = load_workflow_dir(folder)
            rel = folder.relative_to(ROOT).as_posix()
            for message, where in workflow_messages(wf):
                if message:
                    catalog.add(message, locations=[(rel, 0)], auto_comments=[where])
    from cpaudit.training.exercises import exercise_messages, exercises_dir

    for message, where in exercise_messages():  # the trainer's exercises (resources/training)
        if message:
            catalog.add(message, locations=[(exercises_dir().relative_to(ROOT).as_posix(), 0)], auto_comments=[where])
    return catalog


def _write_catalog(catalog: Catalog, path: Path, template: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=True,
                 include_lineno=False)


@contextmanager
def _locked() -> Iterator[None]:
    lock = paths.translations_root() / ".lock"
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update() -> None:
    with _locked():
        template = build_template()
        _write_catalog(template, POT, template=True)
        for lang in LANGUAGES:
            path = po_path(lang)
            catalog = read_catalog(path, lang) if path.exists() else Catalog(locale=lang, domain=DOMAIN)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            if lang == "en":
                for message in catalog:
                    if message.id:
                        message.string = message.id
            _write_catalog(catalog, path)


def fill(mapping_file: Path, lang: str = "zh_CN") -> int:
    """Set translations from a JSON object {msgid: msgstr}; returns how many were set."""
    mapping = json.loads(mapping_file.read_text(encoding="utf-8"))
    with _locked():
        path = po_path(lang)
        catalog = read_catalog(path, lang)
        count = 0
        for msgid, msgstr in mapping.items():
            message = catalog.get(msgid)  # a plural message is found by its singular id
            if message is not None and msgstr:
                # Plural forms: a list, or one text for every form (zh_CN has a single one).
                if message.pluralizable:
                    msgstr = tuple(msgstr) if isinstance(msgstr, list) else (msgstr,) * catalog.num_plurals
                message.string = msgstr
                message.flags.discard("fuzzy")
                count += 1
        _write_catalog(catalog, path)
    return count


def problems() -> list[str]:
    """What makes the catalogs unfit to ship: stale .pot, missing or fuzzy translations."""
    found: list[str] = []
    template = build_template()
    wanted = {m.id for m in template if m.id}
    committed = {m.id for m in read_catalog(POT) if m.id} if POT.exists() else set()
    if wanted != committed:
        missing, extra = sorted(wanted - committed, key=str), sorted(committed - wanted, key=str)  # plural ids are tuples
        found.append(f"translations/{DOMAIN}.pot is out of date (run update): +{missing[:5]} -{extra[:5]}")
    for lang in LANGUAGES:
        catalog = read_catalog(po_path(lang), lang)
        for message in catalog:
            if not message.id:
                continue
            if message.id in wanted and (_missing(message) or message.fuzzy):
                found.append(f"{lang}: untranslated or fuzzy: {message.id!r}")
        have = {m.id for m in catalog if m.id}
        for msgid in sorted(wanted - have, key=str)[:20]:
            found.append(f"{lang}: missing: {msgid!r}")
    return found


def untranslated(lang: str = "zh_CN") -> list[str]:
    catalog = read_catalog(po_path(lang), lang)
    return [_singular(m.id) for m in catalog if m.id and (_missing(m) or m.fuzzy)]


def _missing(message: Message) -> bool:
    """No translation; for a plural message, any of its forms empty."""
    forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return not all(forms)


def _singular(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def compile_all() -> None:
    for lang in LANGUAGES:
        catalog = read_catalog(po_path(lang), lang)
        with po_path(lang).with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        print("updated; untranslated zh_CN:", len(untranslated()))
    elif command == "fill":
        print("set", fill(Path(argv[1]), argv[2] if len(argv) > 2 else "zh_CN"))
    elif command == "untranslated":
        for msgid in untranslated(argv[1] if len(argv) > 1 else "zh_CN"):
            print(json.dumps(msgid, ensure_ascii=False))
    elif command == "compile":
        compile_all()
    elif command == "check":
        issues = problems()
        for line in issues:
            print(line)
        return 1 if issues else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
