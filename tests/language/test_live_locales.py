"""Edits to locale files go live in the running bot; a broken edit is refused and the old strings stay."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.language.locales import LiveLocales, load_locales


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 1_000_000
    os.utime(path, ns=(stamp, stamp))


def test_an_edit_goes_live_and_a_broken_one_is_refused(root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "locales"
    shutil.copytree(root / "locales", folder)
    locales = load_locales(folder)
    live = LiveLocales(locales, folder, min_interval=0.0)
    before = locales.text("bn", "too_slow")

    edit(folder / "bn" / "bot.yml", "too_slow: ", "too_slow: নতুন। ")
    assert live.refresh() and locales.text("bn", "too_slow") == "নতুন। " + before

    edit(folder / "en" / "campaign.yml", "campaign:", "campaign:\n\tbroken: yes")
    assert not live.refresh()
    assert "campaign.yml" in (live.last_error or "") and "tab" in (live.last_error or "")
    assert locales.text("bn", "too_slow") == "নতুন। " + before, "the previous strings stay in use"
