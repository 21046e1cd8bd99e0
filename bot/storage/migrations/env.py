"""Alembic environment: runs migrations for the app's own tables only."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.storage.models import Base

APP_TABLES = set(Base.metadata.tables)


def include_object(obj, name, type_, reflected, compare_to):
    """Leave Rasa's tracker tables alone when both share a database."""
    return type_ != "table" or name in APP_TABLES


def run() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
