"""Anonymous daily counts on SQLite and PostgreSQL, and the summary /stats shows."""

from __future__ import annotations

from datetime import date, timedelta

from bot.storage.campaigns import CampaignRepository
from bot.storage.stats import QUESTIONS, StatsRepository
from bot.storage.users import UserRepository

DAY = date(2026, 11, 30)


def test_counts_add_up_and_users_count_once_a_day(sessions) -> None:
    stats, users = StatsRepository(sessions), UserRepository(sessions)
    users.get_or_create(user_id=7)
    assert stats.first_today(user_id=7, day=DAY) and not stats.first_today(user_id=7, day=DAY)
    assert stats.first_today(user_id=7, day=DAY + timedelta(days=1))
    for language, times in (("bn", 3), ("th", 2)):
        for _ in range(times):
            stats.increment(day=DAY, language=language, metric=QUESTIONS)
    stats.increment(day=DAY, language="bn", metric="answered", key="misinformation", by=2)
    stats.increment(day=DAY, language="th", metric="not_covered")
    stats.increment(day=DAY, language="en", metric="vote_down", key="mi-verify", by=3)
    stats.increment(day=DAY, language="en", metric="vote_up", key="mi-verify")
    stats.increment(day=DAY, language="en", metric="vote_up", key="gs-platform", by=4)
    stats.increment(day=DAY - timedelta(days=40), language="bn", metric=QUESTIONS, by=99)  # too old
    campaigns = CampaignRepository(sessions)
    campaigns.create(user_id=7, draft={"name": "A", "answers": {}})
    campaigns.create(user_id=7, draft={"name": "B", "answers": {}, "status": "complete"})

    summary = stats.summary(since=DAY - timedelta(days=29))
    assert summary.questions == 5 and summary.questions_by_day[DAY] == {"bn": 3, "th": 2}
    assert summary.outcomes == {"answered": 2, "not_covered": 1} and summary.sections == {"misinformation": 2}
    assert summary.worst_articles() == [("mi-verify", 1, 3)], "only articles with a 👎, worst first"
    assert (summary.plans_started, summary.plans_finished) == (2, 1)
