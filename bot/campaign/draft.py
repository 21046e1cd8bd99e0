"""A campaign plan being built, and the state machine that moves it from question to question.

The draft is plain data (`to_dict()` is JSON-ready for storage); its methods change the draft in place and
return an `Outcome` telling the caller what to say next. No I/O, no clock: "today" is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.campaign.choices import OTHER
from bot.campaign.parsing import parse_answer
from bot.campaign.steps import FIRST_STEP, STEP_NAMES, STEPS, get_step, next_step_name, previous_step_name
from bot.campaign.words import Vocabulary, control_word

if TYPE_CHECKING:
    from bot.language.locales import Locales

IN_PROGRESS = "in_progress"
COMPLETE = "complete"
CANCELLED = "cancelled"
STATUSES = (IN_PROGRESS, COMPLETE, CANCELLED)

# Outcome kinds
ACCEPTED = "accepted"  # the reply was understood and stored
NAME_ASKED = "name_asked"  # "Other" was picked: the same question asks for its name (the rest is kept)
INVALID = "invalid"  # the reply or command was refused; `error` says why
OFFER_HELP = "offer_help"  # refused again at the same question: also offer help (and skip, when allowed)
MOVED = "moved"  # back or edit: ask `next_step` (or show the summary)
SKIPPED = "skipped"  # an optional question was skipped
HELP = "help"  # show the help text of `step` (or of the summary)
CANCEL_REQUESTED = "cancel_requested"  # ask "really stop?"; call cancel() on yes
CANCELLED_KIND = "cancelled"
CONFIRMED = "confirmed"  # the summary was confirmed: build and send the plan

EDIT_UNAVAILABLE = "campaign.error.edit_unavailable"
HELP_OFFER_AFTER = 2  # failed replies at one question before help (or skip) is offered
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Outcome:
    """What happened, and what to ask next: `next_step` None (with the draft in progress) means the summary."""

    kind: str
    step: str | None = None
    next_step: str | None = None
    value: Any = None
    error: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    can_skip: bool = False
    tip: str | None = None  # library article id that helps with `step`

    @property
    def refused(self) -> bool:
        """The reply or command was not accepted: show `error`."""
        return self.kind in (INVALID, OFFER_HELP)


@dataclass
class CampaignDraft:
    """One user's campaign plan in progress; `current_step` None means the summary is showing."""

    id: int | str | None = None
    name: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    current_step: str | None = FIRST_STEP
    status: str = IN_PROGRESS
    editing: bool = False  # answering a question picked from the summary: go back to the summary after it
    failures: dict[str, int] = field(default_factory=dict)
    pending: list[str] | None = None  # "Other" was picked at current_step: these choices wait for its name

    # --- storage -----------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy for the database or the Rasa tracker."""
        return {
            "version": FORMAT_VERSION,
            "id": self.id,
            "name": self.name,
            "answers": dict(self.answers),
            "current_step": self.current_step,
            "status": self.status,
            "editing": self.editing,
            "failures": dict(self.failures),
            "pending": None if self.pending is None else list(self.pending),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CampaignDraft:
        """Rebuild a stored draft; refuses data that would leave the conversation stuck."""
        status = data.get("status", IN_PROGRESS)
        if status not in STATUSES:
            raise ValueError(f"draft status {status!r} is not one of {STATUSES}")
        current = data.get("current_step", FIRST_STEP)
        if current is not None and current not in STEP_NAMES:
            raise ValueError(f"draft current_step {current!r} is not a campaign step")
        answers = data.get("answers") or {}
        if not isinstance(answers, Mapping):
            raise ValueError("draft answers must be a mapping")
        failures = {str(k): int(v) for k, v in (data.get("failures") or {}).items() if k in STEP_NAMES}
        pending = data.get("pending")  # absent in drafts saved before "Other" asked for a name
        naming = isinstance(pending, list) and current is not None and get_step(current).named
        draft = cls(
            id=data.get("id"),
            name=str(data.get("name") or answers.get("name") or ""),
            answers=dict(answers),
            current_step=current,
            status=status,
            editing=bool(data.get("editing", False)) and current is not None,
            failures=failures,
            pending=[str(value) for value in pending] if naming and isinstance(pending, list) else None,
        )
        if draft.current_step is None:
            draft.current_step = draft.next_step()  # a summary with a required answer missing asks for it
        return draft

    # --- where we are ------------------------------------------------------------------------------------

    def is_complete(self) -> bool:
        """Every required question has an answer, so the summary and the plan can be shown."""
        return all(step.optional or self.answers.get(step.name) is not None for step in STEPS)

    def next_step(self) -> str | None:
        """The question to ask now; None when the draft is closed or the summary is due."""
        if self.status != IN_PROGRESS:
            return None
        if self.current_step is not None:
            return self.current_step
        missing = [step.name for step in STEPS if not step.optional and self.answers.get(step.name) is None]
        return missing[0] if missing else None

    def at_summary(self) -> bool:
        """In progress with every answer in: waiting for confirm or edit."""
        return self.status == IN_PROGRESS and self.next_step() is None

    def _advance(self, step: str) -> str | None:
        """After `step` is settled: the next question, or the summary when editing or at the end."""
        upcoming = None if self.editing else next_step_name(step)
        self.editing, self.pending = False, None
        if upcoming is None:
            self._to_summary()
        else:
            self.current_step = upcoming
        return self.current_step

    def _to_summary(self) -> None:
        """Show the summary, unless a required answer is missing (e.g. in an old stored draft): ask that."""
        self.current_step = None
        self.current_step = self.next_step()

    def _outcome_for_step(self, kind: str, step: str | None, **fields: Any) -> Outcome:
        """An outcome carrying the step's tip and whether it may be skipped."""
        definition = get_step(step) if step else None
        return Outcome(
            kind,
            step=step,
            next_step=self.next_step(),
            can_skip=bool(definition and definition.optional),
            tip=definition.tip if definition else None,
            **fields,
        )

    # --- transitions -------------------------------------------------------------------------------------

    def answer(self, step: str, reply: str | Sequence[str], today: date, locales: Locales) -> Outcome:
        """Store the reply to the current question if it parses; else count the failure and say why."""
        self._require_open()
        if step != self.current_step:
            raise ValueError(f"answer for {step!r} but the current question is {self.current_step!r}")
        definition = get_step(step)
        parsed = parse_answer(definition, reply, today, Vocabulary.of(locales))
        if not parsed.ok:
            self.failures[step] = self.failures.get(step, 0) + 1
            kind = OFFER_HELP if self.failures[step] >= HELP_OFFER_AFTER else INVALID
            return self._outcome_for_step(kind, step, error=parsed.error, params=dict(parsed.params))
        value = parsed.value
        if self.pending is not None and isinstance(reply, str):  # the name of "Other", typed: added to the rest
            value = list(dict.fromkeys([*self.pending, *value]))
        if definition.named and OTHER in value:
            self.pending = [choice for choice in value if choice != OTHER]
            self.failures.pop(step, None)
            return self._outcome_for_step(NAME_ASKED, step, value=list(self.pending))
        self._store(step, value, parsed.extra)
        self._advance(step)
        return self._outcome_for_step(ACCEPTED, step, value=value)

    def _store(self, step: str, value: Any, extra: Mapping[str, Any]) -> None:
        """Write an answer, dropping what an earlier answer to the same question left behind."""
        for key in get_step(step).extra_keys:
            self.answers.pop(key, None)
        self.answers[step] = value
        self.answers.update(extra)
        self.failures.pop(step, None)
        if step == "name":
            self.name = str(value)

    def back(self) -> Outcome:
        """Previous question; from an edit, back to the summary; from the summary, the last question."""
        self._require_open()
        if self.pending is not None:  # back from "which other platform?" to the question itself
            self.pending = None
            return self._outcome_for_step(MOVED, self.current_step)
        if self.current_step is None:
            self.current_step = STEP_NAMES[-1]
        elif self.editing:
            self.editing = False
            self._to_summary()
        else:
            previous = previous_step_name(self.current_step)
            if previous is None:
                return self._outcome_for_step(INVALID, self.current_step, error="campaign.error.no_back")
            self.current_step = previous
        return self._outcome_for_step(MOVED, self.current_step)

    def skip(self) -> Outcome:
        """Skip an optional question (its answer becomes None); required ones refuse with an error key."""
        self._require_open()
        step = self.current_step
        if step is None:
            return Outcome(INVALID, error="campaign.error.at_summary")
        if self.pending:  # "which other platform?" skipped: the platforms already picked are the answer
            self._store(step, list(self.pending), {})
            self._advance(step)
            return self._outcome_for_step(ACCEPTED, step, value=self.answers[step])
        if not get_step(step).optional:
            return self._outcome_for_step(INVALID, step, error="campaign.error.skip_required")
        self._store(step, None, {})
        self._advance(step)
        return self._outcome_for_step(SKIPPED, step)

    def edit(self, step: str) -> Outcome:
        """From the summary, re-ask one question; answering it returns to the summary."""
        self._require_open()
        get_step(step)
        if not self.at_summary():
            return self._not_ready()
        self.current_step, self.editing, self.pending = step, True, None
        return self._outcome_for_step(MOVED, step)

    def _not_ready(self) -> Outcome:
        """Edit and confirm need every answer first."""
        return Outcome(INVALID, step=self.current_step, next_step=self.next_step(), error=EDIT_UNAVAILABLE)

    def help(self) -> Outcome:
        """Help for the current question (or the summary); the caller shows `campaign.help.<step>`."""
        self._require_open()
        return self._outcome_for_step(HELP, self.current_step)

    def request_cancel(self) -> Outcome:
        """The user typed cancel: ask before deleting anything."""
        self._require_open()
        return self._outcome_for_step(CANCEL_REQUESTED, self.current_step)

    def cancel(self) -> Outcome:
        """Close the draft for good (the caller may delete it)."""
        self._require_open()
        self.status, self.current_step, self.editing, self.pending = CANCELLED, None, False, None
        return Outcome(CANCELLED_KIND)

    def confirm(self) -> Outcome:
        """Accept the summary: the draft is complete and the plan can be built."""
        self._require_open()
        if not self.at_summary():
            return self._not_ready()
        self.status = COMPLETE
        return Outcome(CONFIRMED)

    def handle(self, text: str, today: date, locales: Locales) -> Outcome:
        """One typed message: a control word (back/skip/cancel/help) in any language, else an answer."""
        if self.status != IN_PROGRESS:
            return Outcome(INVALID, error="campaign.error.not_active")
        command = control_word(text, locales)
        if command == "back":
            return self.back()
        if command == "skip":
            return self.skip()
        if command == "help":
            return self.help()
        if command == "cancel":
            return self.request_cancel()
        if self.current_step is None:
            return Outcome(INVALID, error="campaign.error.at_summary")
        return self.answer(self.current_step, text, today, locales)

    def _require_open(self) -> None:
        """Closed drafts are history: changing them is a bug in the caller."""
        if self.status != IN_PROGRESS:
            raise ValueError(f"campaign draft is {self.status}, not in progress")
