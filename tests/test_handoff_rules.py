"""The handoff state machine: open, waiting, answered, closed, user blocked the bot."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot import handoff as rules

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
PROMISE = timedelta(hours=4)


def test_a_new_handoff_waits_from_the_moment_it_opened() -> None:
    state = rules.opened(T0)
    assert state.status == rules.WAITING and state.is_open and rules.waited(state, T0 + timedelta(minutes=5)) == timedelta(minutes=5)


def test_the_wait_counts_from_the_oldest_unanswered_message() -> None:
    state = rules.user_wrote(rules.opened(T0), T0 + timedelta(hours=1))
    assert state.waiting_since == T0
    answered = rules.staff_replied(state)
    assert answered.status == rules.ANSWERED and answered.waiting_since is None
    again = rules.user_wrote(answered, T0 + timedelta(hours=2))
    assert again.status == rules.WAITING and again.waiting_since == T0 + timedelta(hours=2)


def test_one_reminder_per_wait_only_past_the_promise() -> None:
    state = rules.opened(T0)
    assert not rules.needs_reminder(state, T0 + PROMISE, PROMISE)
    assert rules.needs_reminder(state, T0 + PROMISE + timedelta(seconds=1), PROMISE)
    reminded = rules.reminded(state)
    assert not rules.needs_reminder(reminded, T0 + 2 * PROMISE, PROMISE)
    fresh_wait = rules.user_wrote(rules.staff_replied(reminded), T0 + 3 * PROMISE)
    assert rules.needs_reminder(fresh_wait, T0 + 5 * PROMISE, PROMISE), "a new wait may be reminded again"
    assert not rules.needs_reminder(rules.staff_replied(state), T0 + 9 * PROMISE, PROMISE), "answered: nothing to remind"


def test_closed_and_blocked_stay_so() -> None:
    for end in (rules.closed, rules.blocked):
        state = end(rules.opened(T0))
        assert not state.is_open
        assert rules.user_wrote(state, T0 + PROMISE) == state and rules.staff_replied(state) == state
        assert not rules.needs_reminder(state, T0 + 9 * PROMISE, PROMISE)
