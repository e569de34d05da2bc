"""Compile the Qt Designer sources in ``ui/`` into ``cpaudit/gui/forms/ui_<name>.py``.

    uv run python -m cpaudit._dev.build_forms            # regenerate the committed forms
    uv run python -m cpaudit._dev.build_forms --out DIR  # write elsewhere (drift test)

The output of ``pyside6-uic`` is post-processed the way Picard's ``build_ui``
does it: Qt's ``QCoreApplication.translate("Ctx", u"Text", None)`` becomes our
gettext ``_("Text")`` (so Babel extracts Designer strings with everything
else), and uic's header (which names the uic version and would make the files
drift between machines) is replaced by a fixed "do not edit" header.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from cpaudit import paths

ROOT = paths.resource_root().parent
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "cpaudit" / "gui" / "forms"
COMMAND = "uv run python -m cpaudit._dev.build_forms"

HEADER = (
    "# SPDX-License-Identifier: Apache-2.0\n"
    "# generated from ui/{name} — do not edit — regenerate with `{command}`\n"
)
# uic may split long strings over several lines as adjacent literals: match them all.
_TRANSLATE = re.compile(
    r'QCoreApplication\.translate\(\s*"[^"]*",\s*((?:u?"(?:[^"\\]|\\.)*"\s*)+),\s*None\s*\)'
)
_UIC_HEADER = re.compile(r"\A# -\*- coding: utf-8 -\*-\n+#{10,}\n(?:##.*\n)*#{10,}\n+")


def _uic() -> list[str]:
    here = Path(sys.executable).parent / "pyside6-uic"
    found = str(here) if here.exists() else shutil.which("pyside6-uic")
    if not found:
        raise SystemExit("pyside6-uic not found: run `uv sync` first")
    return [found]


def _rewrite_translate(match: re.Match[str]) -> str:
    literals = re.sub(r'(^|\s)u"', r'\1"', match.group(1).strip())
    return f"_({literals})"


def postprocess(source: str, ui_name: str) -> str:
    body = _UIC_HEADER.sub("", source)
    body = _TRANSLATE.sub(_rewrite_translate, body)
    # The gettext import goes after uic's Qt imports, before the class.
    marker = "\nclass Ui_"
    head, sep, rest = body.partition(marker)
    if not sep:
        raise SystemExit(f"unexpected uic output for {ui_name}")
    head = head.rstrip("\n") + "\n\nfrom cpaudit.i18n import _\n\n"
    return HEADER.format(name=ui_name, command=COMMAND) + "\n" + head + marker.lstrip("\n") + rest


def compile_form(ui_file: Path, out_dir: Path) -> Path:
    result = subprocess.run(
        _uic() + ["--generator", "python", str(ui_file)], check=True, capture_output=True, text=True
    )
    out = out_dir / f"ui_{ui_file.stem}.py"
    out.write_text(postprocess(result.stdout, ui_file.name), encoding="utf-8")
    return out


def build(out_dir: Path = FORMS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [compile_form(ui, out_dir) for ui in sorted(UI_DIR.glob("*.ui"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FORMS_DIR)
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
