"""Rasa's own checks on the training data and dialogue, run through Rasa's CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.brain.training import model_path

ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}


def rasa(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rasa", *args], cwd=root, env=ENV, capture_output=True, text=True, timeout=600)


def test_rasa_data_validate_passes(root: Path) -> None:
    result = rasa(root, "data", "validate", "--domain", "domain.yml", "--data", "data", "--config", "config.yml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_story_tests_have_no_prediction_errors(root: Path, tmp_path: Path) -> None:
    result = rasa(
        root, "test", "core",
        "--model", str(model_path(root / "models")),
        "--stories", "tests/stories",
        "--out", str(tmp_path / "results"),
        "--fail-on-prediction-errors",
    )  # fmt: skip
    failed = tmp_path / "results" / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details[-3000:] + result.stdout[-2000:] + result.stderr[-2000:]
