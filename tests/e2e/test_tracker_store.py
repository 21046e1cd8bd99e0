"""The conversation state (Rasa's tracker) survives a restart the same way on SQLite and PostgreSQL,
and /forget and retention erase it on both."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.brain.rasa_brain import RasaBrain
from bot.brain.training import model_path
from bot.services import campaigns_for
from bot.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("postgres_url")


def events_of(url: str, *senders: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return sum(connection.execute(text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": s}).scalar_one() for s in senders)
    finally:
        engine.dispose()


async def test_state_survives_a_restart_and_is_erased_on_request(action_settings: Settings, tracker_url: str) -> None:
    user = "7301" if tracker_url.startswith("sqlite") else "7302"
    model = model_path(action_settings.models_dir)
    before = await RasaBrain.load(model, tracker_url, action_settings.action_server_url)
    try:
        opened = await before.respond(user, before.payload("campaign"), {"language": "en"})
        assert any(spec.get("campaign") == "ask" for spec in opened), opened
        await before.respond(user, "Neighbours Together", {"language": "en"})
    finally:
        before.close()

    after = await RasaBrain.load(model, tracker_url, action_settings.action_server_url)  # as a new process would
    try:
        reply = await after.respond(user, "misinformation", {"language": "en"})
        draft = campaigns_for(action_settings).latest_in_progress(user_id=int(user)).draft
        assert draft["answers"].get("problem") == "misinformation", (reply, draft)
        assert not any("article" in spec or "not_covered" in spec for spec in reply), "still inside the form"

        other = f"{user}9"
        await after.respond(other, "how do we verify a viral photo", {"language": "en"})
        stored = events_of(tracker_url, user)
        assert await after.forget(user) == stored > 0 and events_of(tracker_url, user) == 0
        assert await after.purge(datetime.now(timezone.utc) - timedelta(days=90)) == 0, "nothing is that old"
        assert await after.purge(datetime.now(timezone.utc) + timedelta(seconds=1)) > 0, "idle conversations go whole"
        assert events_of(tracker_url, other) == 0
    finally:
        after.close()
