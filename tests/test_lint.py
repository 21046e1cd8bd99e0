"""ruff, the project's linter, is part of the suite so style drift fails CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_ruff_check_is_clean(root: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "bot", "actions", "tests"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
