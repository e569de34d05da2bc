"""Sample audits shipped for trainers and tests (``resources/samples/<name>/``).

A sample is a folder: ``audit.json`` (format, workflow id, audit block,
justifications) plus one ``<phase file stem>.json`` per phase holding
``{"values": {step: {field: value}}}``. Splitting by phase keeps the files
readable next to the workflow definition; ``sample_data`` merges them into one
audit document (the format ``cpaudit dump`` writes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cpaudit import paths


def samples_root() -> Path:
    return paths.resource_path("samples")


def sample_names() -> list[str]:
    root = samples_root()
    return sorted(p.name for p in root.iterdir() if (p / "audit.json").is_file()) if root.is_dir() else []


def sample_data(name: str) -> dict[str, Any]:
    folder = samples_root() / name
    data = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
    values: dict[str, Any] = data.setdefault("values", {})
    for part in sorted(folder.glob("*.json")):
        if part.name == "audit.json":
            continue
        chunk = json.loads(part.read_text(encoding="utf-8"))
        for step, fields in chunk.get("values", {}).items():
            if step in values:
                raise ValueError(f"{part}: step {step!r} is already given by another file")
            values[step] = fields
    return data
