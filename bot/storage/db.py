"""Engine, sessions and migrations for the app database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """A 2.0-style engine; SQLite gets its folder created, WAL and a busy timeout for two processes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers work beside the one writer. With WAL, synchronous=NORMAL skips the disk flush
    on every commit, which kept writers waiting on each other under load; a commit still survives
    the process being killed (only a power cut can take back the last ones), per SQLite's docs."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, future=True, expire_on_commit=False)


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened; the message says which and how to fix it."""


def migrate(url: str) -> None:
    """Create or upgrade the app tables to the newest migration."""
    from alembic import command
    from sqlalchemy.exc import OperationalError

    try:
        make_engine(url).dispose()  # creates the SQLite folder if needed
        command.upgrade(alembic_config(url), "head")
    except (OperationalError, OSError) as error:
        raise DatabaseUnavailable(unavailable_message(url, error)) from None


def unavailable_message(url: str, error: Exception) -> str:
    """One line: which database, what it said, and the usual fix."""
    parsed = make_url(url)
    said = str(getattr(error, "orig", error)).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if parsed.get_backend_name() == "sqlite":
        return f"DATABASE_URL: cannot open {parsed.database} ({said}): make sure its folder exists and this user may write to it"
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"
    return (
        f"DATABASE_URL: cannot use the PostgreSQL database {where} ({said}): create it first"
        f" (e.g. createdb {parsed.database}), and check the user name, password and that the server is running"
    )
