"""When the model must be retrained: its inputs, our pipeline code, or the installed Rasa changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.brain import training


@pytest.fixture
def project(tmp_path: Path, root: Path) -> Path:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(root / name, tmp_path / name)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "rules.yml").write_text('version: "3.1"\n')
    (tmp_path / "bot" / "brain").mkdir(parents=True)
    (tmp_path / "bot" / "brain" / "sentence_features.py").write_text("# v1\n")
    return tmp_path


def test_the_fingerprint_follows_data_code_and_rasa_version(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = training.fingerprint(project)
    assert training.fingerprint(project) == first
    (project / "bot" / "brain" / "sentence_features.py").write_text("# v2\n")
    second = training.fingerprint(project)
    assert second != first
    monkeypatch.setattr(training, "installed_version", lambda package: "9.9.9")
    assert training.fingerprint(project) != second


def test_a_model_without_a_matching_fingerprint_needs_training(project: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    assert training.needs_training(project, models)
    training.model_path(models).write_bytes(b"model")
    (models / training.FINGERPRINT).write_text(json.dumps({"fingerprint": training.fingerprint(project)}))
    assert not training.needs_training(project, models)
    (project / "data" / "rules.yml").write_text('version: "3.1"\nrules: []\n')
    assert training.needs_training(project, models)
