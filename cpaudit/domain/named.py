"""Pure functions registered under a name and found by that name, never ``eval``-ed.

The workflow refers to computed functions, cross-field rules and figure
sections by name. Each kind has one ``Named`` table. The function that imports
the modules filling it (plain imports, no plugin discovery, so PyInstaller sees
them) runs on the first lookup: importing a table is cheap and free of cycles.
"""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

F = TypeVar("F", bound=Callable[..., object])


class Named(Generic[F]):
    def __init__(self, kind: str, load: Callable[[], None]) -> None:
        self.kind = kind  # for the error of a name registered twice
        self._load_modules = load
        self._items: dict[str, F] = {}
        self._loaded = False

    def register(self, name: str) -> Callable[[F], F]:
        def deco(fn: F) -> F:
            if self._items.get(name, fn) is not fn:
                raise ValueError(f"{self.kind} {name!r} registered twice")
            self._items[name] = fn
            return fn

        return deco

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            self._load_modules()

    def names(self) -> list[str]:
        self._load()
        return sorted(self._items)

    def __getitem__(self, name: str) -> F:
        """The function registered as ``name`` (KeyError when there is none)."""
        self._load()
        return self._items[name]
