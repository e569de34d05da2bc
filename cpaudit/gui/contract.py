# SPDX-License-Identifier: Apache-2.0
"""Methods a widget base class leaves to every subclass, checked when the subclass is defined.

Qt's metaclass creates widgets without ABCMeta's abstract-method check, so a
subclass that forgot ``load`` would only fail when the method was called. This
check fails at import instead, and every page and editor is imported by the
application and the tests.
"""

from __future__ import annotations


def require_overrides(cls: type, base: type, names: tuple[str, ...]) -> None:
    """Raise TypeError when ``cls`` inherits any of ``names`` from ``base`` unchanged."""
    missing = [n for n in names if getattr(cls, n) is getattr(base, n)]
    if missing:
        raise TypeError(f"{cls.__qualname__} must define {', '.join(missing)} (the {base.__qualname__} contract)")
