"""Handoffs on SQLite and PostgreSQL: one open per user, the topic reused, the queue oldest first."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot import handoff as rules
from bot.storage.handoffs import HandoffRepository

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def test_one_open_handoff_per_user_and_the_topic_is_reused(sessions) -> None:
    handoffs = HandoffRepository(sessions)
    first, new = handoffs.open(user_id=5, language="bn", return_to={"article": "mi-verify"}, state=rules.opened(NOW))
    assert new and first.topic_id is None and first.return_to == {"article": "mi-verify"}
    same, new_again = handoffs.open(user_id=5, language="bn", return_to={}, state=rules.opened(NOW))
    assert not new_again and same.id == first.id
    handoffs.set_topic(handoff_id=first.id, topic_id=900)
    handoffs.save_state(handoff_id=first.id, state=rules.closed(first.state))
    assert handoffs.active(user_id=5) is None and handoffs.in_topic(topic_id=900).state.status == rules.CLOSED
    later, new = handoffs.open(user_id=5, language="bn", return_to={}, state=rules.opened(NOW))
    assert new and later.id != first.id and later.topic_id == 900, "the user's old topic is reused"


def test_the_queue_lists_open_chats_longest_waiting_first(sessions) -> None:
    handoffs = HandoffRepository(sessions)
    for user_id, minutes in ((1, 30), (2, 90), (3, 10)):
        handoffs.open(user_id=user_id, language="th", return_to={}, state=rules.opened(NOW - timedelta(minutes=minutes)))
    answered, _ = handoffs.open(user_id=4, language="th", return_to={}, state=rules.opened(NOW))
    handoffs.save_state(handoff_id=answered.id, state=rules.staff_replied(answered.state))
    closed, _ = handoffs.open(user_id=6, language="th", return_to={}, state=rules.opened(NOW - timedelta(days=1)))
    handoffs.save_state(handoff_id=closed.id, state=rules.closed(closed.state))
    assert [record.user_id for record in handoffs.queue()] == [2, 1, 3, 4]
    assert handoffs.queue()[0].state.waiting_since == NOW - timedelta(minutes=90)
