"""What an edit is called in the Undo menu, the history and the report's change annex, kept
language-neutral in the journal and said in the language of the moment.

An edit's label used to be stored already translated ("编辑 企业名称"), so after switching to
English the Edit menu still read "&Undo 附加 p.png", and an English report listed Chinese edits.
Now the journal keeps the message id and its arguments (themselves message ids or names) and
``label_text`` translates them when shown. Labels stored before, and plain message ids such as
N_("Replace large photos by smaller copies"), are shown through ``_()`` as they are.
"""

from __future__ import annotations

import json
from typing import Any

from cpaudit.i18n import _

_MARK = "{\"m\":"  # a stored label that starts so is a message id with its arguments


def label(msgid: str, **args: Any) -> str:
    """The stored form of ``_(msgid).format(**args)``; each argument is translated when shown."""
    return json.dumps({"m": msgid, "a": {k: str(v) for k, v in args.items()}}, ensure_ascii=False, separators=(",", ":"))


def label_text(stored: str | None) -> str:
    """A stored label in the current language."""
    if not stored:
        return ""
    if stored.startswith(_MARK):
        try:
            data = json.loads(stored)
            return _(data["m"]).format(**{k: _(v) for k, v in data.get("a", {}).items()})
        except (ValueError, KeyError, TypeError, AttributeError):
            return stored
    return _(stored)
