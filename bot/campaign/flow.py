"""One user's way through the planner: which draft is active, what each input does, what to say next.

Plain Python over the campaign repository, so the Rasa form's actions stay thin and this is
unit-tested without Rasa. Replies are language-neutral specs (`{"campaign": ...}`) that the
conversation layer renders in the user's language (see bot.campaign.cards).

Stages (kept in a Rasa slot so they survive restarts with the conversation):
- None: the form was just opened; offer to continue an unfinished plan or start a new one.
- "offer": that offer is showing.  - "active": questions are being asked.
- "cancel": "really stop?" is showing.  - "edit": the list of answers to change is showing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.campaign.choices import choice_ids, name_of
from bot.campaign.draft import CANCEL_REQUESTED, CANCELLED_KIND, CONFIRMED, HELP, CampaignDraft, Outcome
from bot.campaign.parsing import OUT_OF_LIMITS
from bot.campaign.steps import STEP_NAMES, get_step
from bot.language.locales import Locales
from bot.storage.campaigns import CampaignRecord, CampaignRepository

Spec = dict[str, Any]
FREE_TEXT = "text"
QUESTION_WORDS = 3  # a shorter message without "?" is taken as an answer
RETURNING_AFTER = timedelta(hours=3)  # a typed message after this long away is not taken as an answer


@dataclass
class Turn:
    specs: list[Spec] = field(default_factory=list)
    stage: str | None = "active"
    finished: bool = False  # the form ends: plan delivered, or planning cancelled
    interrupted: bool = False  # a library question: answer it, then ask the same question again


def ends_with_question_mark(text: str) -> bool:
    """ "?" in any script (Arabic ؟, fullwidth ？...), told by its Unicode name."""
    last = text.rstrip()[-1:]
    return bool(last) and "QUESTION MARK" in unicodedata.name(last, "")


def encode_choices(values: list[str], step: str, locales: Locales) -> str:
    """A multi-choice selection as a decimal bit mask over `choice_ids` (at most 20 bits: 7 digits), short
    enough for Telegram's 64-byte callback data; names the user typed are not in it."""
    choices = choice_ids(get_step(step), locales)
    return str(sum(1 << choices.index(v) for v in values if v in choices))


def decode_choices(mask: str, step: str, locales: Locales) -> list[str]:
    """The choices of a mask, in the order of `choice_ids`; anything but a decimal number is no choice."""
    choices = choice_ids(get_step(step), locales)
    bits = int(mask) if mask.isascii() and mask.isdigit() and len(mask) <= 16 else 0
    return [choice for index, choice in enumerate(choices) if bits >> index & 1]


class Planner:
    def __init__(
        self,
        campaigns: CampaignRepository,
        locales: Locales,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.campaigns = campaigns
        self.locales = locales
        self.today = today
        self.now = now

    # --- asking -------------------------------------------------------------------------------

    def ask(self, user_id: int, stage: str | None, value: str | None = None) -> Turn:
        """What the form says when it asks: the offer, the current question or the summary."""
        if stage in ("cancel", "edit"):
            return Turn([], stage)  # the question was shown with the last answer
        if value and value.startswith("continue:"):
            record = self._resume(user_id, value.partition(":")[2])
            if record is not None:
                return Turn([self._ask_spec(record)], "active")
        if value == "new":
            return Turn([self._ask_spec(self._create(user_id), intro=True)], "active")
        record = self.campaigns.latest_in_progress(user_id=user_id)
        if record is None:
            return Turn([self._ask_spec(self._create(user_id), intro=True)], "active")
        if stage in (None, "offer") and record.draft.get("answers"):
            return Turn([{"campaign": "offer", "id": record.id}], "offer")
        return Turn([self._ask_spec(record)], "active")

    def opens_with(self, user_id: int, value: str | None) -> bool:
        """May this message open the form? Asking, "new" and "continue" may; any other planner button
        only while its draft is still the active one (Confirm pressed twice must not start a new plan)."""
        if value is None or value == "new" or value.startswith("continue:"):
            return True
        return self.campaigns.latest_in_progress(user_id=user_id) is not None

    # --- answering ----------------------------------------------------------------------------

    def handle(self, user_id: int, text: str, value: str | None, stage: str | None, library_question: bool) -> Turn:
        """One message inside the form: a button value, a typed answer, a control word or a question."""
        if value == "":  # a command or menu button inside the form: ask the same question again
            return Turn([], "offer" if stage == "offer" else "active")
        if stage == "offer" and value is None:
            return Turn([], "offer")  # only the two buttons move on from the offer
        if value and (value.startswith("continue:") or value == "new"):
            return Turn([], "active")  # the form's ask, which sees the same button, resumes or creates
        if value == "later":
            return Turn([{"key": "campaign.paused", "menu": "main"}], None, finished=True)  # the draft stays saved
        record = self.campaigns.latest_in_progress(user_id=user_id)
        if record is None:  # deleted from /campaigns, or finished: the database decides, and the form ends
            if value:
                return Turn([{"key": "stale_button", "menu": "main"}], None, finished=True)
            return Turn([], None, finished=True, interrupted=True)  # the message is answered like any other
        if value is None and self._returning(record):
            return Turn([{"campaign": "offer", "id": record.id, "returning": True}], "offer")
        draft = CampaignDraft.from_dict(record.draft)
        if value:
            return self._button(user_id, record, draft, value, stage)
        if library_question and self._is_question_not_answer(draft, text):
            return Turn([], "active", interrupted=True)
        return self._apply(user_id, record, draft, draft.handle(text, self.today(), self.locales))

    def _returning(self, record: CampaignRecord) -> bool:
        """Back after hours away: their first message is probably not an answer to a question they
        have forgotten, so ask "Continue <plan>" / "Not now" first."""
        if not record.draft.get("answers"):
            return False
        updated = record.updated_at if record.updated_at.tzinfo else record.updated_at.replace(tzinfo=timezone.utc)
        return self.now() - updated > RETURNING_AFTER

    def _is_question_not_answer(self, draft: CampaignDraft, text: str) -> bool:
        """A library-sounding message is a question if it ends with "?", or if at a structured step it
        has a few words and does not parse as an answer (trying costs no failure)."""
        step = draft.next_step()
        if step is None or ends_with_question_mark(text):
            return True
        if get_step(step).kind == FREE_TEXT or len(text.split()) < QUESTION_WORDS:
            return False  # "someday" at the date step is a wrong answer, not a question
        trial = CampaignDraft.from_dict(draft.to_dict())
        outcome = trial.handle(text, self.today(), self.locales)
        if outcome.refused:
            return outcome.error not in OUT_OF_LIMITS  # "100 posts a week" answers the question, out of range
        values = outcome.value if isinstance(outcome.value, list) else []  # only "names", unasked: a question's words
        return draft.pending is None and bool(values) and all(name_of(value) is not None for value in values)

    def _button(self, user_id: int, record: CampaignRecord, draft: CampaignDraft, value: str, stage: str | None) -> Turn:
        kind, _, rest = value.partition(":")
        if kind == "yes" and stage == "cancel":
            draft.cancel()
            self.campaigns.delete(campaign_id=record.id, user_id=user_id)
            return Turn([{"campaign": "cancelled"}], None, finished=True)
        if kind in ("no", "yes"):
            return Turn([], "active")
        if kind == "edit":
            return Turn([{"campaign": "edit_menu", "id": record.id}], "edit")
        step = draft.next_step()
        actions: dict[str, Callable[[], Outcome]] = {
            "back": draft.back,
            "skip": draft.skip,
            "help": draft.help,
            "cancel": draft.request_cancel,
            "confirm": draft.confirm,
        }
        if kind in actions:
            outcome = actions[kind]()
        elif kind == "e" and rest in STEP_NAMES:
            outcome = draft.edit(rest)
        elif kind == "v" and step and rest.startswith(f"{step}:"):
            outcome = draft.answer(step, rest.partition(":")[2], self.today(), self.locales)
        elif kind == "m" and step and rest.startswith(f"{step}:"):
            outcome = draft.answer(step, decode_choices(rest.partition(":")[2], step, self.locales), self.today(), self.locales)
        else:  # a choice from another question (an old message) never lands under this one
            return Turn([], "active")  # a button from an older question: just ask again
        return self._apply(user_id, record, draft, outcome)

    def _apply(self, user_id: int, record: CampaignRecord, draft: CampaignDraft, outcome: Outcome) -> Turn:
        """Save the draft (every answer as it is given), then say what the outcome needs said."""
        self.campaigns.save(campaign_id=record.id, user_id=user_id, draft=draft.to_dict())
        if outcome.kind == CONFIRMED:
            return Turn([{"campaign": "plan", "id": record.id}], None, finished=True)
        if outcome.kind == CANCELLED_KIND:
            return Turn([{"campaign": "cancelled"}], None, finished=True)
        if outcome.refused or outcome.kind in (HELP, CANCEL_REQUESTED):
            stage = "cancel" if outcome.kind == CANCEL_REQUESTED else "active"
            return Turn([{"campaign": "outcome", "id": record.id, "outcome": asdict(outcome)}], stage)
        return Turn([], "active")

    # --- drafts -------------------------------------------------------------------------------

    def _create(self, user_id: int) -> CampaignRecord:
        return self.campaigns.create(user_id=user_id, draft=CampaignDraft().to_dict())

    def _resume(self, user_id: int, campaign_id: str) -> CampaignRecord | None:
        """Make a plan the active one again (a finished plan reopens at its summary, for editing)."""
        record = self.campaigns.get(campaign_id=int(campaign_id), user_id=user_id) if campaign_id.isdigit() else None
        if record is None:
            return None
        draft = CampaignDraft.from_dict(record.draft)
        if draft.status != "in_progress":
            draft.status, draft.current_step = "in_progress", None
        return self.campaigns.save(campaign_id=record.id, user_id=user_id, draft=draft.to_dict())

    def _ask_spec(self, record: CampaignRecord, intro: bool = False) -> Spec:
        """The current question; `intro` with the first question of a plan just created (said once)."""
        draft = CampaignDraft.from_dict(record.draft)
        step = draft.next_step()
        spec: Spec = {"campaign": "ask", "id": record.id, "tip": get_step(step).tip if step else None}
        return {**spec, "intro": True} if intro else spec


def outcome_from(data: dict[str, Any]) -> Outcome:
    return Outcome(**data)
