"""Typed settings: the only module that reads the environment (and the git-ignored `.env`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(Exception):
    """Bad configuration: the message names the variable and the fix."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment, validated once at start-up."""

    telegram_bot_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'resiliency.db'}"
    tracker_store_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
    admin_telegram_ids: frozenset[int] = field(default_factory=frozenset)
    log_level: str = "INFO"
    action_server_port: int = 5055
    redis_url: str | None = None  # set: replicas share update ordering, de-duplication and Rasa's locks
    operator_name: str | None = None  # who runs this copy of the bot, shown in /privacy
    contact: str | None = None  # how to reach them (e-mail or link), shown in /privacy and "talk to a person"
    retention_days: int = 90  # conversation history older than this is purged
    staff_chat_id: int | None = None  # the staff supergroup (topics on, bot an admin): "talk to a person"
    staff_hours: str | None = None  # when staff usually answer, shown to users, e.g. "Mon–Fri, 9:00–17:00 Dhaka time"
    staff_reply_minutes: int = 240  # the reply-time promise: past it, staff get one reminder
    digest_hour: int | None = 3  # Mondays at this hour (UTC) staff get the weekly digest; None: never
    project_root: Path = PROJECT_ROOT
    locales_dir: Path = PROJECT_ROOT / "locales"

    @property
    def models_dir(self) -> Path:
        return self.project_root / "models"

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.action_server_port}/webhook"


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines of a `.env` file; comments and blank lines are skipped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ConfigError(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


def load_settings(environ: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Build Settings from the environment, falling back to `.env`; raise ConfigError on bad values."""
    env = read_dotenv(dotenv if dotenv is not None else PROJECT_ROOT / ".env")
    env.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    defaults = Settings()
    webhook_url = get("WEBHOOK_URL")
    webhook_secret = get("WEBHOOK_SECRET")
    if webhook_url and not webhook_url.startswith("https://"):
        raise ConfigError("WEBHOOK_URL must start with https:// (Telegram only calls HTTPS webhooks)")
    if webhook_url and not webhook_secret:
        raise ConfigError("WEBHOOK_SECRET is required with WEBHOOK_URL: set 1-256 characters of A-Z a-z 0-9 _ -")
    if webhook_secret and not _SECRET_PATTERN.match(webhook_secret):
        raise ConfigError("WEBHOOK_SECRET may only hold 1-256 characters of A-Z a-z 0-9 _ -")
    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, not {log_level!r}")
    return Settings(
        telegram_bot_token=get("TELEGRAM_BOT_TOKEN"),
        telegram_api_url=(get("TELEGRAM_API_URL") or defaults.telegram_api_url).rstrip("/"),
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        webhook_listen=get("WEBHOOK_LISTEN") or defaults.webhook_listen,
        webhook_port=_port(get("WEBHOOK_PORT"), "WEBHOOK_PORT", defaults.webhook_port),
        database_url=_database_url(get("DATABASE_URL"), "DATABASE_URL") or defaults.database_url,
        tracker_store_url=_database_url(get("TRACKER_STORE_URL"), "TRACKER_STORE_URL") or defaults.tracker_store_url,
        admin_telegram_ids=_id_set(get("ADMIN_TELEGRAM_IDS")),
        log_level=log_level,
        action_server_port=_port(get("ACTION_SERVER_PORT"), "ACTION_SERVER_PORT", defaults.action_server_port),
        locales_dir=_folder(get("LOCALES_DIR"), "LOCALES_DIR", defaults.locales_dir),
        redis_url=_redis_url(get("REDIS_URL")),
        operator_name=get("OPERATOR_NAME"),
        contact=get("CONTACT"),
        retention_days=_days(get("RETENTION_DAYS"), "RETENTION_DAYS", defaults.retention_days),
        staff_chat_id=_staff_chat(get("STAFF_CHAT_ID")),
        staff_hours=get("STAFF_HOURS"),
        staff_reply_minutes=_minutes(get("STAFF_REPLY_MINUTES"), defaults.staff_reply_minutes),
        digest_hour=_digest_hour(get("DIGEST_HOUR"), defaults.digest_hour),
    )


def _port(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError(f"{name} must be a port number from 1 to 65535, not {value!r}")
    return int(value)


def _database_url(value: str | None, name: str) -> str | None:
    """Hosting providers hand out postgres://user:pw@host/db; SQLAlchemy wants the driver named."""
    if value is None:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg2://" + value[len(prefix) :]
    if not value.startswith(("sqlite:", "postgresql+")):
        raise ConfigError(f"{name} must be sqlite:///path/to/file.db or postgresql://user@host:5432/database, not {value.split(':')[0]}:…")
    return value


def _redis_url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"REDIS_URL must look like redis://host:6379/0, not {value!r}")
    return value


def _staff_chat(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.startswith("-100") or not value[1:].isdigit():
        raise ConfigError(
            f"STAFF_CHAT_ID must be the staff supergroup's id, which starts with -100 (e.g. -1001234567890), not {value!r};"
            " README, 'Talk to a person', shows how to find it"
        )
    return int(value)


def _minutes(value: str | None, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= 7 * 24 * 60:
        raise ConfigError(f"STAFF_REPLY_MINUTES must be a whole number of minutes from 1 to 10080, not {value!r}")
    return int(value)


def _digest_hour(value: str | None, default: int | None) -> int | None:
    if value is None:
        return default
    if value.lower() == "off":
        return None
    if not value.isdigit() or not 0 <= int(value) <= 23:
        raise ConfigError(f"DIGEST_HOUR must be an hour from 0 to 23 (UTC; 3 is 09:00 in Dhaka), or off, not {value!r}")
    return int(value)


def _days(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= 3650:
        raise ConfigError(f"{name} must be a whole number of days from 1 to 3650, not {value!r}")
    return int(value)


def _folder(value: str | None, name: str, default: Path) -> Path:
    if value is None:
        return default
    path = Path(value).expanduser().resolve()
    if not (path / "en" / "meta.yml").is_file():
        raise ConfigError(f"{name}={value} has no en/meta.yml: point it at a copy of the project's locales/ folder")
    return path


def _id_set(value: str | None) -> frozenset[int]:
    if not value:
        return frozenset()
    ids = [part.strip() for part in value.split(",") if part.strip()]
    bad = [part for part in ids if not part.lstrip("-").isdigit()]
    if bad:
        raise ConfigError(f"ADMIN_TELEGRAM_IDS must be comma-separated numeric Telegram user ids; bad: {bad}")
    return frozenset(int(part) for part in ids)
