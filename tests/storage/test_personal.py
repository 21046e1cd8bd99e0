"""/forget erases every row about a person, on SQLite and PostgreSQL; the question log never had one."""

from __future__ import annotations

from datetime import datetime, timezone

from bot import handoff as rules
from bot.storage.campaigns import CampaignRepository
from bot.storage.handoffs import HandoffRepository
from bot.storage.models import Base
from bot.storage.personal import PERSONAL_COLUMNS, PersonalData
from bot.storage.questions import QuestionRepository
from bot.storage.reminders import ReminderRepository
from bot.storage.users import UserRepository


def test_erase_leaves_no_row_about_the_user_and_keeps_everyone_else(sessions) -> None:
    users, campaigns, personal = UserRepository(sessions), CampaignRepository(sessions), PersonalData(sessions)
    for user_id in (1, 2):
        users.set_language(user_id=user_id, language="th", manual=True)
        campaigns.create(user_id=user_id, draft={"name": "Plan", "answers": {}})
    campaigns.create(user_id=1, draft={"name": "Second", "answers": {}})
    HandoffRepository(sessions).open(user_id=1, language="th", return_to={}, state=rules.opened(datetime.now(timezone.utc)))
    reminders = ReminderRepository(sessions)
    for user_id in (1, 2):
        plan = reminders.start(campaign_id=user_id, user_id=user_id, language="th", time_zone="Asia/Bangkok", jobs=[])
        reminders.record_numbers(plan_id=plan.id, week=1, values={"reach": 10.0})
    QuestionRepository(sessions).record(kind="unanswered", text="q", language="th", section_guess=None, best_guess=None)
    assert personal.plans(user_id=1) == 2

    erased = personal.erase(user_id=1)
    assert (erased.settings, erased.plans) == (1, 2)
    assert personal.rows_about(user_id=1) == {"users": 0, "campaigns": 0, "handoffs": 0, "reminder_plans": 0}
    assert personal.rows_about(user_id=2) == {"users": 1, "campaigns": 1, "handoffs": 0, "reminder_plans": 1}
    assert reminders.numbers(plan_id=reminders.plans_of(user_id=2)[0].id) == {"reach": {1: 10.0}}
    assert personal.erase(user_id=1).plans == 0, "erasing twice is harmless"


def test_every_column_that_names_a_user_is_erased() -> None:
    """A new table with a user id must be added to PERSONAL_COLUMNS, or /forget would leave it behind."""
    covered = {(column.table.name, column.name) for column in PERSONAL_COLUMNS.values()}
    naming = {(table.name, column.name) for table in Base.metadata.tables.values() for column in table.columns if "user" in column.name}
    assert naming | {("users", "id")} <= covered | {("users", "id")}
    assert ("users", "id") in covered
