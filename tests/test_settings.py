from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings


def settings(env: dict[str, str], tmp_path: Path):
    return load_settings(environ=env, dotenv=tmp_path / "missing.env")


def test_defaults_need_no_configuration(tmp_path: Path) -> None:
    s = settings({}, tmp_path)
    assert s.telegram_bot_token is None
    assert s.telegram_api_url == "https://api.telegram.org"
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("var/resiliency.db")


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\nTELEGRAM_BOT_TOKEN=from-file\nLOG_LEVEL=debug\nADMIN_TELEGRAM_IDS=1, 2\n")
    s = load_settings(environ={"TELEGRAM_BOT_TOKEN": "from-env"}, dotenv=env_file)
    assert s.telegram_bot_token == "from-env"
    assert s.log_level == "DEBUG"
    assert s.admin_telegram_ids == frozenset({1, 2})


def test_api_url_trailing_slash_is_dropped(tmp_path: Path) -> None:
    assert settings({"TELEGRAM_API_URL": "http://127.0.0.1:8081/"}, tmp_path).telegram_api_url == "http://127.0.0.1:8081"


@pytest.mark.parametrize(
    ("env", "mentions"),
    [
        ({"WEBHOOK_URL": "https://example.org"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "http://example.org", "WEBHOOK_SECRET": "s"}, "https://"),
        ({"WEBHOOK_URL": "https://example.org", "WEBHOOK_SECRET": "bad secret!"}, "WEBHOOK_SECRET"),
        ({"ADMIN_TELEGRAM_IDS": "12,abc"}, "ADMIN_TELEGRAM_IDS"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"WEBHOOK_PORT": "99999"}, "WEBHOOK_PORT"),
    ],
)
def test_bad_configuration_names_the_variable(env: dict[str, str], mentions: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=mentions):
        settings(env, tmp_path)


def test_malformed_dotenv_line_names_file_and_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("GOOD=1\nthis is not a setting\n")
    with pytest.raises(ConfigError, match=r"\.env:2"):
        load_settings(environ={}, dotenv=env_file)


def test_engine_errors_are_logged_without_the_conversation_below_debug() -> None:
    import logging

    from bot.logs import EngineErrorsWithoutUserText

    try:
        raise ValueError("tracker: {'text': 'our secret plan for the march'}")
    except ValueError as error:
        record = logging.LogRecord(
            "rasa.core.processor", logging.ERROR, "x", 1, "Failed: %s\nfull tracker %s", ("boom", "..."), (ValueError, error, None)
        )
    assert EngineErrorsWithoutUserText().filter(record)
    assert record.getMessage() == "Failed: boom (ValueError)" and record.exc_info is None
    ours = logging.LogRecord("bot.conversation", logging.ERROR, "x", 1, "kept %s", ("as is",), None)
    EngineErrorsWithoutUserText().filter(ours)
    assert ours.getMessage() == "kept as is"


def test_hosting_providers_postgres_urls_are_accepted(tmp_path) -> None:
    from bot.settings import load_settings

    loaded = load_settings(environ={"DATABASE_URL": "postgres://u:p@db.example:5432/bot"}, dotenv=tmp_path / "none.env")
    assert loaded.database_url == "postgresql+psycopg2://u:p@db.example:5432/bot"


def test_a_missing_database_is_one_line_with_the_fix(tmp_path) -> None:
    import pytest

    from bot.storage.db import DatabaseUnavailable, migrate

    with pytest.raises(DatabaseUnavailable) as missing:
        migrate("postgresql+psycopg2://postgres@127.0.0.1:5432/no_such_database_here")
    assert "createdb no_such_database_here" in str(missing.value) and "\n" not in str(missing.value)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseUnavailable) as unwritable:
        migrate(f"sqlite:///{blocker}/app.db")
    assert "DATABASE_URL" in str(unwritable.value) and "\n" not in str(unwritable.value)


def test_digest_hour_defaults_to_monday_morning_in_asia_and_can_be_turned_off(tmp_path: Path) -> None:
    assert settings({}, tmp_path).digest_hour == 3
    assert settings({"DIGEST_HOUR": "0"}, tmp_path).digest_hour == 0
    assert settings({"DIGEST_HOUR": "Off"}, tmp_path).digest_hour is None
    for bad in ("24", "9am", "-1"):
        with pytest.raises(ConfigError, match=r"^DIGEST_HOUR must be an hour from 0 to 23 .*not '") as error:
            settings({"DIGEST_HOUR": bad}, tmp_path)
        assert "\n" not in str(error.value)
