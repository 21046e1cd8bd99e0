"""Train the Rasa model only when its inputs changed since the last one."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

MODEL_NAME = "current"
FINGERPRINT = "fingerprint.json"


class TrainingFailed(Exception):
    pass


def model_path(models_dir: Path) -> Path:
    return models_dir / f"{MODEL_NAME}.tar.gz"


def training_inputs(project_root: Path) -> list[Path]:
    """Everything the model is trained from: config, domain, the YAML under data/, and our own pipeline
    components (bot/brain/sentence_features.py)."""
    files = [project_root / "config.yml", project_root / "domain.yml"]
    code = [project_root / "bot" / "brain" / "sentence_features.py"]
    return files + sorted((project_root / "data").rglob("*.yml")) + [path for path in code if path.exists()]


def fingerprint(project_root: Path) -> str:
    """Changes when an input file, the installed Rasa (a new Rasa may not load an old model) or the
    sentence encoder's model changes."""
    from bot.understanding.encoder import MODEL_ID

    digest = hashlib.sha256(f"rasa {installed_version('rasa')}\nencoder {MODEL_ID}\n".encode())
    for path in training_inputs(project_root):
        digest.update(str(path.relative_to(project_root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def installed_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def needs_training(project_root: Path, models_dir: Path) -> bool:
    stamp = models_dir / FINGERPRINT
    if not model_path(models_dir).exists() or not stamp.exists():
        return True
    return json.loads(stamp.read_text()).get("fingerprint") != fingerprint(project_root)


def train(project_root: Path, models_dir: Path, force: bool = False) -> float | None:
    """Run `rasa train` if needed; return the seconds it took, or None when the model was current."""
    if not force and not needs_training(project_root, models_dir):
        return None
    started = time.monotonic()
    inputs = fingerprint(project_root)  # taken before: an edit made while training must retrain next time
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
        "--out", str(models_dir), "--fixed-model-name", MODEL_NAME, "--force",
    ]  # fmt: skip
    # TensorFlow's multithreaded CPU kernels are not deterministic even with DIET's random_seed: two
    # trainings of the same data differed by up to 4.4 points of intent accuracy in one language.
    # With deterministic ops two trainings gave identical predictions, in about the same time.
    deterministic = {"TF_DETERMINISTIC_OPS": "1"}
    env = {**deterministic, **os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(command, cwd=project_root, env=env, check=False)
    if result.returncode != 0 or not model_path(models_dir).exists():
        raise TrainingFailed("rasa train failed (see its output above); fix the training data, then run `make train`")
    (models_dir / FINGERPRINT).write_text(json.dumps({"fingerprint": inputs}))
    return time.monotonic() - started
