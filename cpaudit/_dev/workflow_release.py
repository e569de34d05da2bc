"""An earlier release of the shipped workflow, as tests need one (version 0.9, one label different)."""

from __future__ import annotations

import shutil
from pathlib import Path

from cpaudit.workflow.loader import workflow_dir


def earlier_release(root: Path) -> Path:
    """Copy the shipped definition to ``root/cn-cp-audit/0.9`` as release 0.9 would have been."""
    folder = root / "cn-cp-audit" / "0.9"
    shutil.copytree(workflow_dir(), folder)
    main = folder / "workflow.toml"
    main.write_text(main.read_text(encoding="utf-8").replace('version = "1.0"', 'version = "0.9"', 1), encoding="utf-8")
    profile = folder / "profile.toml"
    profile.write_text(profile.read_text(encoding="utf-8").replace('label = "Main products"', 'label = "Products"'),
                       encoding="utf-8")
    return folder
