"""Command line: python -m bot {run,chat,train,migrate,content-check,gap-report}.

Every failure a user can fix is reported in one line that says what failed and how to fix it.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from bot.logs import configure_logging
from bot.settings import ConfigError, Settings, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Resiliency Guide")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the bot: Telegram if TELEGRAM_BOT_TOKEN is set, else a console chat")
    commands.add_parser("chat", help="talk to the bot in this terminal")
    train = commands.add_parser("train", help="train the Rasa model if its inputs changed")
    train.add_argument("--force", action="store_true")
    commands.add_parser("migrate", help="create or upgrade the database tables")
    commands.add_parser("content-check", help="check the library files and report problems with file and line")
    report = commands.add_parser("gap-report", help="write a CSV per language of questions the library did not answer well")
    report.add_argument("--out", type=Path, default=Path("reports"))
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # clean up child processes as on Ctrl-C
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        return COMMANDS[args.command](settings, args)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        return 0
    except Exception as error:
        if not _is_user_fixable(error):
            raise
        print(f"Error: {error}", file=sys.stderr)
    return 1


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _is_user_fixable(error: Exception) -> bool:
    from bot.brain.rasa_brain import BrainUnavailable
    from bot.brain.training import TrainingFailed
    from bot.language.locales import LocaleError
    from bot.library.loader import ContentError
    from bot.runner import StartupError
    from bot.storage.db import DatabaseUnavailable

    return isinstance(error, (BrainUnavailable, TrainingFailed, LocaleError, ContentError, StartupError, DatabaseUnavailable))


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot import runner
    from bot.storage.db import migrate

    migrate(settings.database_url)
    with runner.action_server(settings):
        if settings.telegram_bot_token:
            runner.run_telegram(settings)
        else:
            print("No TELEGRAM_BOT_TOKEN set: starting a console chat.")
            runner.run_console(settings)
    return 0


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot import runner
    from bot.storage.db import migrate

    migrate(settings.database_url)
    with runner.action_server(settings):
        runner.run_console(settings)
    return 0


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    from bot.brain.training import train

    seconds = train(settings.project_root, settings.models_dir, force=args.force)
    print("Model is up to date." if seconds is None else f"Model trained in {seconds:.0f} s.")
    return 0


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.storage.db import migrate

    migrate(settings.database_url)
    print("Database is up to date.")
    return 0


def cmd_content_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.library.loader import ContentError, load_library
    from bot.services import locales_for

    languages = locales_for(settings).codes
    try:
        library, warnings = load_library(settings.locales_dir, languages)
    except ContentError as error:
        for finding in error.findings:
            print(finding)
        print(f"\n{len(error.findings)} error(s): the bot keeps serving the last good content until they are fixed.")
        return 1
    for finding in warnings:
        print(finding)
    for section in library.sections.values():
        counts = ", ".join(f"{lang} {library.count(section.id, lang)}" for lang in languages)
        print(f"{section.id}: {counts}")
    print(f"OK: {len(library.articles)} articles, {len(warnings)} warning(s).")
    return 0


def cmd_gap_report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import repositories_for
    from bot.storage.db import migrate
    from bot.storage.questions import write_gap_report

    migrate(settings.database_url)
    _, questions = repositories_for(settings)
    for path in write_gap_report(questions.all(), args.out) or []:
        print(f"wrote {path}")
    return 0


COMMANDS = {
    "run": cmd_run,
    "chat": cmd_chat,
    "train": cmd_train,
    "migrate": cmd_migrate,
    "content-check": cmd_content_check,
    "gap-report": cmd_gap_report,
}

if __name__ == "__main__":
    sys.exit(main())
