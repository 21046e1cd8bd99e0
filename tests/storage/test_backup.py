"""Backups and restore, tried for real with the very commands docs/deploy.md section 9 gives.

The commands are read from the guide itself, so the guide cannot drift from what works. The only
changes made to them: `sudo -u postgres` is dropped (PGHOST/PGUSER connect to 127.0.0.1 as postgres
instead), `systemctl` lines stand for stopping and starting the bot, /srv/resiliency-guide is a
temporary folder, the database `resiliency` and its owner are a throwaway database and role, and
the example date is the date of the backup just made. Crontab lines run as cron would run them.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from bot import handoff as rules
from bot.storage.campaigns import CampaignRepository
from bot.storage.db import make_engine, make_sessions, migrate
from bot.storage.handoffs import HandoffRepository
from bot.storage.questions import QuestionRepository
from bot.storage.stats import QUESTIONS, StatsRepository
from bot.storage.users import UserRepository

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploy.md"
EXAMPLE_DATE = "2025-01-31"  # the date the guide's restore commands use
DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
PG_ENV = {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "postgres"}


@dataclass(frozen=True)
class Block:
    lang: str
    body: str


def guide_blocks(heading: str) -> list[Block]:
    """The fenced code blocks under one heading of the guide, in order (up to the next heading)."""
    blocks: list[Block] = []
    inside, lang, body, in_fence = False, "", [], False
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if in_fence and inside:
                blocks.append(Block(lang, "\n".join(body)))
            in_fence, lang, body = not in_fence, line[3:].strip(), []
        elif in_fence:
            body.append(line)
        elif line.startswith("#"):
            if inside:
                break
            inside = line.strip() == heading
    assert blocks, f"no code blocks under {heading!r} in {GUIDE}"
    return blocks


def shell_commands(blocks: list[Block]) -> list[str]:
    """The `sh` blocks' lines. Stopping/starting the service is the test's job; sudo -u postgres is PG_ENV's."""
    lines = [line.strip() for block in blocks if block.lang == "sh" for line in block.body.splitlines()]
    return [line.replace("sudo -u postgres ", "") for line in lines if line and not line.startswith("sudo systemctl")]


def run(command: str, cwd: Path, env: dict[str, str] | None = None) -> None:
    """One line of the guide in bash, as an operator would paste it; any error fails the test."""
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and not result.stderr.strip(), f"{command}\nexit {result.returncode}\n{result.stderr}"


def require(*binaries: str) -> None:
    missing = [name for name in binaries if shutil.which(name) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: the guide's backup commands need it")


# --- the data: seeded through the project's repositories, changed after the backup ---------------


def seed(engine: Engine) -> dict[str, Any]:
    """A little of everything the bot keeps: users, plans, the question log, a staff chat, counts."""
    sessions = make_sessions(engine)
    users, campaigns = UserRepository(sessions), CampaignRepository(sessions)
    users.set_language(user_id=7_000_000_001, language="bn", manual=True)
    users.set_language(user_id=42, language="ur", manual=False)
    plan = campaigns.create(user_id=7_000_000_001, draft={"name": "ভুয়া খবর সপ্তাহ", "answers": {"goal": "awareness"}})
    campaigns.create(user_id=42, draft={"name": "Done", "answers": {}, "status": "complete"})
    QuestionRepository(sessions).record(kind="unanswered", text="ڈیپ فیک کیا ہے؟", language="ur", section_guess=None, best_guess=None)
    handoff, _ = HandoffRepository(sessions).open(user_id=42, language="ur", return_to={"article": "mi-verify"}, state=rules.opened(NOW))
    HandoffRepository(sessions).set_topic(handoff_id=handoff.id, topic_id=900)
    stats = StatsRepository(sessions)
    stats.first_today(user_id=42, day=DAY)
    stats.increment(day=DAY, language="bn", metric=QUESTIONS, by=3)
    return {"plan": plan.id, "handoff": handoff.id}


def change(engine: Engine, ids: dict[str, Any]) -> None:
    """What happens after the backup and should be undone by the restore."""
    sessions = make_sessions(engine)
    UserRepository(sessions).set_language(user_id=42, language="th", manual=True)
    UserRepository(sessions).get_or_create(user_id=99)
    CampaignRepository(sessions).delete(campaign_id=ids["plan"], user_id=7_000_000_001)
    HandoffRepository(sessions).save_state(handoff_id=ids["handoff"], state=rules.closed(rules.opened(NOW)))
    QuestionRepository(sessions).record(kind="thumbs_down", text="later", language="en", section_guess=None, best_guess="mi-verify")
    StatsRepository(sessions).increment(day=DAY, language="bn", metric=QUESTIONS, by=10)
    CampaignRepository(sessions).create(user_id=99, draft={"name": "after the backup", "answers": {}})  # ids move on


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table there is (read from the database, so new migrations are covered too)."""
    tables = {}
    with engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()
            tables[name] = sorted((tuple(row) for row in rows), key=repr)
    return tables


def assert_restored(url: str, before: dict[str, list[tuple[Any, ...]]], ids: dict[str, Any]) -> None:
    """The seeded rows are back, the later changes gone, and the bot can carry on writing."""
    engine = make_engine(url)
    try:
        assert snapshot(engine) == before
        sessions = make_sessions(engine)
        plan = CampaignRepository(sessions).get(campaign_id=ids["plan"], user_id=7_000_000_001)
        assert plan is not None and plan.name == "ভুয়া খবর সপ্তাহ"
        assert UserRepository(sessions).get_or_create(user_id=42).language == "ur"
        migrate(url)  # the restored schema is current: nothing to upgrade, no error
        new = CampaignRepository(sessions).create(user_id=5, draft={"name": "after the restore", "answers": {}})
        assert new.id not in {row[0] for row in before["campaigns"]}, "new rows get new ids (sequences restored too)"
    finally:
        engine.dispose()


# --- SQLite: section 9.1 ---------------------------------------------------------------------------


def make_tracker(path: Path) -> None:
    """A stand-in for Rasa's tracker database (one table of events), so its backup line is tried too."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)")
        connection.execute("INSERT INTO events (sender_id, data) VALUES ('42', '{\"event\": \"user\"}')")
    connection.close()


def tracker_rows(path: Path) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT * FROM events ORDER BY id").fetchall()
    finally:
        connection.close()


def backup_date(folder: Path, prefix: str, suffix: str) -> str:
    """The date in the name of the one backup the guide's command wrote (so midnight cannot split it)."""
    found = sorted(folder.glob(f"{prefix}*{suffix}"))
    assert len(found) == 1, f"expected one {prefix}<date>{suffix} in {folder}, found {found}"
    return found[0].name[len(prefix) : -len(suffix)]


def crontab_command(line: str) -> str:
    """A crontab line as cron runs it: without the five time fields, `\\%` read as `%`."""
    return line.split(maxsplit=5)[5].replace("\\%", "%")


def sqlite_server(tmp_path: Path) -> tuple[Path, str]:
    """A bot folder as on the server: var/ with a migrated app database and a tracker store."""
    require("sqlite3")
    home = tmp_path / "srv"
    (home / "var").mkdir(parents=True)
    url = f"sqlite:///{home / 'var' / 'resiliency.db'}"
    migrate(url)
    make_tracker(home / "var" / "tracker.db")
    return home, url


def test_sqlite_backup_while_running_and_restore_with_the_guides_commands(tmp_path: Path) -> None:
    home, url = sqlite_server(tmp_path)
    running = make_engine(url)
    bot = running.connect()  # the bot, running: while it holds a connection its writes stay in the -wal file
    bot.execute(text("SELECT count(*) FROM users")).all()
    ids = seed(running)
    before, tracker_before = snapshot(running), tracker_rows(home / "var" / "tracker.db")
    assert before["campaigns"] and before["users"] and before["handoffs"] and before["question_log"]
    assert (home / "var" / "resiliency.db-wal").stat().st_size > 0, "the backup must include what is only in the WAL"

    steps = [block for block in guide_blocks("### 9.1 SQLite (the default)") if block.lang == "sh"]
    backup, restore = shell_commands(steps[:1]), shell_commands(steps[1:])
    assert any(line.startswith("cp ") for line in restore), "the guide's restore copies the backup back"
    for command in backup:
        run(command, home)
    change(running, ids)
    with sqlite3.connect(home / "var" / "tracker.db") as connection:
        connection.execute("DELETE FROM events")
    connection.close()
    assert snapshot(running) != before
    bot.close()  # sudo systemctl stop resiliency-guide
    running.dispose()

    when = backup_date(home / "var", "backup-", ".db")
    for command in restore:
        run(command.replace(EXAMPLE_DATE, when), home)

    assert_restored(url, before, ids)  # sudo systemctl start resiliency-guide
    assert tracker_rows(home / "var" / "tracker.db") == tracker_before


def test_sqlite_nightly_crontab_line_writes_both_backups(tmp_path: Path) -> None:
    home, url = sqlite_server(tmp_path)
    engine = make_engine(url)
    seed(engine)
    before = snapshot(engine)
    engine.dispose()

    [cron] = [block.body.strip() for block in guide_blocks("### 9.1 SQLite (the default)") if block.body.strip().startswith("30 3 * * *")]
    run(crontab_command(cron).replace("cd /srv/resiliency-guide", f"cd {home}"), home)

    when = backup_date(home / "var", "backup-", ".db")
    copy = make_engine(f"sqlite:///{home / 'var' / f'backup-{when}.db'}")
    try:
        assert snapshot(copy) == before
    finally:
        copy.dispose()
    assert tracker_rows(home / "var" / f"tracker-backup-{when}.db") == tracker_rows(home / "var" / "tracker.db")


# --- PostgreSQL: section 9.2 -----------------------------------------------------------------------


@dataclass(frozen=True)
class Throwaway:
    """A database and the role that owns it, like step 4.1's `resiliency` user and database."""

    name: str

    @property
    def url(self) -> str:
        """How the bot connects: as the owner."""
        return f"postgresql+psycopg2://{self.name}@127.0.0.1:5432/{self.name}"

    @property
    def as_owner(self) -> dict[str, str]:
        """The guide's "as `resiliency`" (peer authentication on a server; trust on 127.0.0.1 here)."""
        return {**PG_ENV, "PGUSER": self.name}


@pytest.fixture
def throwaway() -> Iterator[Throwaway]:
    """A role and a database of their own on the local server, dropped afterwards (`test` is not touched)."""
    require("createuser", "createdb", "dropdb", "dropuser", "pg_dump", "pg_restore")
    owner = Throwaway(f"rg_backup_{uuid.uuid4().hex[:10]}")
    run(f"createuser {owner.name}", Path.cwd(), PG_ENV)
    try:
        run(f"createdb -O {owner.name} {owner.name}", Path.cwd(), PG_ENV)
        yield owner
    finally:
        run(f"dropdb --if-exists --force {owner.name}", Path.cwd(), PG_ENV)
        run(f"dropuser --if-exists {owner.name}", Path.cwd(), PG_ENV)


def as_operator(command: str, home: Path, database: str, when: str = EXAMPLE_DATE) -> str:
    """The guide's folder, database `resiliency` and example date become the test's (names like
    resiliency-….dump stay as they are)."""
    command = command.replace("/srv/resiliency-guide", str(home)).replace(EXAMPLE_DATE, when)
    return re.sub(r"\bresiliency\b(?![-.])", database, command)


def test_postgresql_dump_and_restore_with_the_guides_commands(throwaway: Throwaway, tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    migrate(throwaway.url)
    running = make_engine(throwaway.url)
    ids = seed(running)
    before = snapshot(running)
    assert before["campaigns"] and before["alembic_version"]

    steps = [block for block in guide_blocks("### 9.2 PostgreSQL") if block.lang == "sh"]
    dump, restore = shell_commands(steps[:1]), shell_commands(steps[1:])
    assert any("pg_dump" in line for line in dump) and any("pg_restore" in line for line in restore)
    for command in dump:  # as `resiliency`, the database's owner
        run(as_operator(command, tmp_path, throwaway.name), tmp_path, throwaway.as_owner)
    change(running, ids)
    assert snapshot(running) != before
    running.dispose()  # sudo systemctl stop resiliency-guide

    when = backup_date(tmp_path / "var", "resiliency-", ".dump")
    for command in restore:  # sudo -u postgres
        run(as_operator(command, tmp_path, throwaway.name, when), Path.cwd(), PG_ENV)

    assert_restored(throwaway.url, before, ids)  # the bot, as the owner, reads and writes the restored tables


def test_postgresql_nightly_dump_restores_on_a_new_server(throwaway: Throwaway, tmp_path: Path) -> None:
    """The crontab line, as the bot's own user; then the guide's restore into a new, empty database
    (step 4.1 on a new server)."""
    (tmp_path / "var").mkdir()
    migrate(throwaway.url)
    engine = make_engine(throwaway.url)
    seed(engine)
    before = snapshot(engine)
    engine.dispose()

    [cron] = [block.body.strip() for block in guide_blocks("### 9.2 PostgreSQL") if block.body.strip().startswith("30 3 * * *")]
    run(as_operator(crontab_command(cron), tmp_path, throwaway.name), tmp_path, throwaway.as_owner)
    when = backup_date(tmp_path / "var", "resiliency-", ".dump")

    new_server = f"{throwaway.name}_new"
    run(f"createdb -O {throwaway.name} {new_server}", Path.cwd(), PG_ENV)
    try:
        restore = shell_commands([block for block in guide_blocks("### 9.2 PostgreSQL") if block.lang == "sh"][1:])
        for command in restore:
            run(as_operator(command, tmp_path, new_server, when), Path.cwd(), PG_ENV)
        restored = make_engine(throwaway.url.rsplit("/", 1)[0] + f"/{new_server}")
        try:
            assert snapshot(restored) == before
        finally:
            restored.dispose()
    finally:
        run(f"dropdb --if-exists --force {new_server}", Path.cwd(), PG_ENV)
