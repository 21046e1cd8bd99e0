from __future__ import annotations

from sqlalchemy import inspect

from bot.storage.db import make_engine, migrate
from bot.storage.users import UserRepository


def test_new_user_has_no_language_until_one_is_chosen(sessions) -> None:
    users = UserRepository(sessions)
    user = users.get_or_create(user_id=7_000_000_001)
    assert (user.language, user.language_source, user.romanized_offer_shown) == (None, "auto", False)
    assert users.get_or_create(user_id=7_000_000_001) == user  # idempotent, big Telegram ids fit


def test_language_choice_is_stored_and_survives_a_new_repository(sessions) -> None:
    UserRepository(sessions).set_language(user_id=5, language="bn", manual=True)
    again = UserRepository(sessions).get_or_create(user_id=5)
    assert (again.language, again.language_source) == ("bn", "manual")


def test_romanized_offer_is_remembered(sessions) -> None:
    users = UserRepository(sessions)
    users.get_or_create(user_id=9)
    users.mark_romanized_offer_shown(user_id=9)
    assert users.get_or_create(user_id=9).romanized_offer_shown is True


def test_migrations_create_the_app_tables_and_are_idempotent(database_url: str) -> None:
    migrate(database_url)
    migrate(database_url)  # a second run is a no-op, as on every start-up
    engine = make_engine(database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"users", "question_log", "campaigns", "alembic_version"} <= tables


def test_a_sqlite_file_writes_ahead_and_flushes_at_checkpoints(tmp_path) -> None:
    """WAL with synchronous=NORMAL (1): commits survive a killed process without a flush each."""
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    with engine.connect() as connection:
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    engine.dispose()
    assert (journal, synchronous) == ("wal", 1)
