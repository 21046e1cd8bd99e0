"""How the bot's processes log: one format, quiet third-party chatter, no users' text from the engine.

Shared by `python -m bot` and the engine's own process (bot/brain/engine_process.py), so both log alike.
"""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _quiet_noisy_loggers()
    logging.captureWarnings(True)  # the ML stack's deprecation chatter goes to a logger users don't see
    logging.getLogger("py.warnings").setLevel(logging.DEBUG if level == "DEBUG" else logging.ERROR)


def _quiet_noisy_loggers() -> None:
    for name in ("httpx", "rasa", "tensorflow", "absl", "sanic", "apscheduler", "urllib3", "matplotlib", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
    if logging.getLogger().level > logging.DEBUG:
        for handler in logging.getLogger().handlers:
            handler.addFilter(EngineErrorsWithoutUserText())


class EngineErrorsWithoutUserText(logging.Filter):
    """Rasa's errors can carry a whole conversation (users' messages) in their text or traceback. Below
    DEBUG, an engine error is logged as its first line, cut short, with the exception's type only."""

    LIMIT = 300

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(("rasa", "rasa_sdk")):
            first_line = record.getMessage().splitlines()[0] if record.getMessage() else ""
            error = record.exc_info[1] if record.exc_info else None
            suffix = f" ({type(error).__name__})" if error is not None else ""
            record.msg, record.args, record.exc_info, record.exc_text = first_line[: self.LIMIT] + suffix, (), None, None
        return True
