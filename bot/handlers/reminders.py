"""Reminders for a finished plan: the offer, the time zone, Done/Skip, the weekly numbers, /reminders,
and the messages the scheduler sends (`message_for`).

The rules live in `bot.reminders` (when, what to read, how numbers are typed); the rows in
`bot.storage.reminders`; this module only connects them to the user's buttons and words.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timedelta

from bot import callbacks
from bot.campaign.display import campaign_name, choice_label, format_date, join_list, localize_digits
from bot.language.locales import Locales
from bot.reminders import review
from bot.reminders.numbers import has_digits, read_numbers
from bot.reminders.schedule import NUMBERS, POST, REVIEW, jobs_for, time_zone
from bot.replies import Button, Reply, rows
from bot.storage.campaigns import CampaignRecord
from bot.storage.reminders import ACTIVE, PAUSED, STOPPED, JobRecord, ReminderPlanRecord, ReminderRepository
from bot.views import Services, Views

CHECK_IN_OPEN = timedelta(days=3)  # a check-in sent longer ago no longer reads numbers from the user's messages
EXAMPLE_NUMBERS = (1200, 85, 30, 12, 40, 5, 150)


class ReminderHandlers:
    def __init__(self, services: Services, views: Views) -> None:
        self.s = services
        self.views = views

    @property
    def repo(self) -> ReminderRepository | None:
        return self.s.reminders

    def t(self, lang: str, key: str, **params: object) -> str:
        return self.views.t(lang, key, **params)

    # --- switching them on ----------------------------------------------------------------------

    def offer(self, campaign_id: int, user_id: int, lang: str, now: datetime | None = None) -> Reply | None:
        """Under a confirmed plan: reminders, yes or no. A plan whose reminders are on was edited: they
        follow its new dates, and the user is told so."""
        if self.repo is None:
            return None
        existing = self.repo.plan_for_campaign(campaign_id=campaign_id, user_id=user_id)
        if existing is not None:
            campaign = self.s.campaigns.get(campaign_id=campaign_id, user_id=user_id)
            if existing.status not in (ACTIVE, PAUSED) or campaign is None or now is None:
                return None
            self._reschedule(existing, campaign, existing.time_zone, lang, now)
            return Reply(self.t(lang, "reminders.updated"))
        yes = Button(self.t(lang, "reminders.offer_yes"), callbacks.reminders("on", campaign_id))
        no = Button(self.t(lang, "reminders.offer_no"), callbacks.reminders("no", campaign_id))
        return Reply(self.t(lang, "reminders.offer"), ((yes, no),))

    def button(self, user_id: int, button: callbacks.Callback, lang: str, now: datetime) -> list[Reply]:
        """Every `r:` button; anything that is not the user's own finds nothing and has expired."""
        if self.repo is None:
            return [self.views.expired(lang)]
        action, ids = button.args[0], button.args[1:]
        if action in ("on", "no", "z"):
            return self._switch_on(user_id, action, int(ids[0]), ids[1] if len(ids) > 1 else None, lang, now)
        if action in ("d", "k", "n"):
            return self._answer(user_id, action, int(ids[0]), lang, now)
        return self._manage(user_id, action, int(ids[0]), ids[1] if len(ids) > 1 else None, lang, now)

    def _switch_on(self, user_id: int, action: str, campaign_id: int, zone: str | None, lang: str, now: datetime) -> list[Reply]:
        campaign = self.s.campaigns.get(campaign_id=campaign_id, user_id=user_id)
        if campaign is None or campaign.status != "complete":
            return [self.views.expired(lang)]
        if action == "no":
            return [Reply(self.t(lang, "reminders.declined"), edit=True)]
        if self.repo.plan_for_campaign(campaign_id=campaign_id, user_id=user_id) is not None and action == "on":
            return [Reply(self.t(lang, "reminders.already_on"), edit=True)]
        zone = zone or self.repo.last_time_zone(user_id=user_id)
        if zone is None or time_zone(zone) is None:
            return [self._zone_question(lang, lambda name: callbacks.reminders("z", campaign_id, name))]
        return [self._start(campaign, zone, lang, now)]

    def _start(self, campaign: CampaignRecord, zone: str, lang: str, now: datetime) -> Reply:
        jobs = jobs_for(campaign.draft.get("answers", {}), time_zone(zone), now)
        if not any(job.kind == POST for job in jobs):
            return Reply(self.t(lang, "reminders.nothing_left"), edit=True)
        plan = self.repo.start(campaign_id=campaign.id, user_id=campaign.user_id, language=lang, time_zone=zone, jobs=jobs)
        counts = self.repo.counts(plan_id=plan.id)
        review_day = next(job.day for job in jobs if job.kind == REVIEW)
        text = self.t(
            lang,
            "reminders.on",
            name=self._name(campaign, lang),
            posts=self._digits(counts.get(POST, 0), lang),
            check_ins=self._digits(counts.get(NUMBERS, 0), lang),
            review_day=format_date(review_day, self.s.locales, lang),
            zone=self._zone_name(zone, lang),
        )
        return Reply(text, edit=True)

    def _zone_question(self, lang: str, data_for: Callable[[str], str]) -> Reply:
        """The time zones, the language's likely ones first."""
        zones = self._zones(lang)
        buttons = [Button(self._zone_name(zone, lang), data_for(zone)) for zone in zones]
        return Reply(self.t(lang, "reminders.zone_question"), rows(buttons, 2), edit=True)

    def _zones(self, lang: str) -> list[str]:
        """The language's zones first, then every other language's, each once, that this machine knows."""
        ordered = [*self.s.locales.word_list(lang, "reminders.zones")]
        for code in self.s.locales.codes:
            ordered += self.s.locales.word_list(code, "reminders.zones")
        return [zone for zone in dict.fromkeys(ordered) if time_zone(zone) is not None and callbacks.is_zone(zone)]

    def _zone_name(self, zone: str, lang: str) -> str:
        """The zone's country name in `lang` (or English); the zone id where none is given."""
        key = f"reminders.zone_names.{zone}"
        return self.t(lang, key) if self.s.locales.has(lang, key) or self.s.locales.has("en", key) else zone

    # --- answers to reminders -------------------------------------------------------------------

    def _answer(self, user_id: int, action: str, job_id: int, lang: str, now: datetime) -> list[Reply]:
        found = self.repo.job(job_id=job_id, user_id=user_id)
        if found is None or found[0].state != "sent":
            return [self.views.expired(lang)]
        job, plan = found
        if action == "n" and job.kind == NUMBERS:
            self.repo.answer(job_id=job.id, answer="skip", now=now)
            return [Reply(self.t(lang, "reminders.numbers_skipped", week=self._digits(job.details.get("week", 0), lang)), edit=True)]
        if job.kind != POST or action == "n":
            return [self.views.expired(lang)]
        self.repo.answer(job_id=job.id, answer="done" if action == "d" else "skip", now=now)
        campaign = self.s.campaigns.get(campaign_id=plan.campaign_id, user_id=user_id)
        base = self._post_text(job, campaign, lang) if campaign is not None else ""
        mark = self.t(lang, "reminders.marked_done" if action == "d" else "reminders.marked_skipped")
        return [Reply(f"{base}\n\n{mark}".strip(), edit=True)]

    def numbers_reply(self, user_id: int, text: str, lang: str, now: datetime) -> list[Reply] | None:
        """Typed numbers answer the open weekly check-in; None when the message is not that (it goes on
        to the engine as a question)."""
        if self.repo is None or not has_digits(text):
            return None
        found = self.repo.open_check_in(user_id=user_id, since=now - CHECK_IN_OPEN)
        if found is None:
            return None
        job, plan = found
        campaign = self.s.campaigns.get(campaign_id=plan.campaign_id, user_id=user_id)
        if campaign is None:
            return None
        metrics = list(campaign.draft.get("answers", {}).get("metrics") or [])
        values = read_numbers(text)
        if len(values) != len(metrics):
            if _has_letters_beyond(text, metrics, self.s.locales, lang):
                return None  # a question that happens to hold a number
            return [
                Reply(self.t(lang, "reminders.numbers_count", count=self._digits(len(metrics), lang), **self._metric_help(metrics, lang)))
            ]
        week = int(job.details.get("week", 0))
        given = {metric: value for metric, value in zip(metrics, values, strict=True) if value is not None}
        self.repo.record_numbers(plan_id=plan.id, week=week, values=given)
        self.repo.answer(job_id=job.id, answer="numbers", now=now)
        shown = join_list(
            [
                self.t(
                    lang,
                    "reminders.numbers_value",
                    metric=choice_label("metrics", metric, self.s.locales, lang),
                    value=self._number(value, lang),
                )
                for metric, value in given.items()
            ],
            self.s.locales,
            lang,
        )
        return [Reply(self.t(lang, "reminders.numbers_saved", week=self._digits(week, lang), values=shown or "—"))]

    # --- /reminders -----------------------------------------------------------------------------

    def command(self, user_id: int, lang: str) -> Reply:
        """/reminders: each plan's reminders with pause, resume, stop and the time zone."""
        plans = self.repo.plans_of(user_id=user_id) if self.repo is not None else []
        live = [plan for plan in plans if plan.status in (ACTIVE, PAUSED)]
        if not live:
            return Reply(self.t(lang, "reminders.list_none"), ((self.views.start_planning(lang),),))
        lines, buttons = [self.t(lang, "reminders.list_title")], []
        for plan in live[:5]:
            campaign = self.s.campaigns.get(campaign_id=plan.campaign_id, user_id=user_id)
            name = self._name(campaign, lang)
            status = self.t(lang, f"reminders.status.{plan.status}")
            lines.append(self.t(lang, "reminders.list_item", name=name, status=status, zone=self._zone_name(plan.time_zone, lang)))
            toggle = ("r", "resume_button") if plan.status == PAUSED else ("p", "pause_button")
            buttons.append(
                (
                    Button(f"{self.t(lang, f'reminders.{toggle[1]}')} · {name[:20]}", callbacks.reminders(toggle[0], plan.id)),
                    Button(self.t(lang, "reminders.stop_button"), callbacks.reminders("x", plan.id)),
                    Button(self.t(lang, "reminders.zone_button"), callbacks.reminders("tz", plan.id)),
                )
            )
        return Reply("\n".join(lines), tuple(buttons))

    def _manage(self, user_id: int, action: str, plan_id: int, zone: str | None, lang: str, now: datetime) -> list[Reply]:
        plan = self.repo.plan(plan_id=plan_id, user_id=user_id)
        campaign = self.s.campaigns.get(campaign_id=plan.campaign_id, user_id=user_id) if plan is not None else None
        if plan is None or campaign is None or plan.status not in (ACTIVE, PAUSED):
            return [self.views.expired(lang)]
        name = self._name(campaign, lang)
        if action == "tz":
            return [self._zone_question(lang, lambda choice: callbacks.reminders("c", plan.id, choice))]
        if action == "c" and zone is not None and time_zone(zone) is not None:
            self._reschedule(plan, campaign, zone, lang, now)
            return [Reply(self.t(lang, "reminders.zone_changed", zone=self._zone_name(zone, lang)), edit=True)]
        status = {"p": PAUSED, "r": ACTIVE, "x": STOPPED}.get(action)
        if status is None:
            return [self.views.expired(lang)]
        self.repo.set_status(plan_id=plan.id, user_id=user_id, status=status)
        key = {PAUSED: "reminders.paused", ACTIVE: "reminders.resumed", STOPPED: "reminders.stopped"}[status]
        return [Reply(self.t(lang, key, name=name), edit=True)]

    def _reschedule(self, plan: ReminderPlanRecord, campaign: CampaignRecord, zone: str, lang: str, now: datetime) -> None:
        """What is still to come, again from the plan's answers and this zone; paused stays paused."""
        jobs = jobs_for(campaign.draft.get("answers", {}), time_zone(zone), now)
        self.repo.start(campaign_id=campaign.id, user_id=campaign.user_id, language=lang, time_zone=zone, jobs=jobs, status=plan.status)

    # --- what the scheduler sends ---------------------------------------------------------------

    def message_for(self, job: JobRecord, plan: ReminderPlanRecord) -> list[Reply]:
        """The messages of one due job, in the language the user had when they switched reminders on."""
        lang = plan.language if self.s.locales.supports(plan.language) else "en"
        campaign = self.s.campaigns.get(campaign_id=plan.campaign_id, user_id=plan.user_id)
        if campaign is None:
            return []
        if job.kind == POST:
            done = Button(self.t(lang, "reminders.done_button"), callbacks.reminders("d", job.id))
            skip = Button(self.t(lang, "reminders.skip_button"), callbacks.reminders("k", job.id))
            return [self.views.finish(Reply(self._post_text(job, campaign, lang), ((done, skip),)), lang)]
        if job.kind == NUMBERS:
            return [self.views.finish(self._numbers_question(job, campaign, lang), lang)]
        return [self.views.finish(reply, lang) for reply in self._review(plan, campaign, lang)]

    def _post_text(self, job: JobRecord, campaign: CampaignRecord, lang: str) -> str:
        locales = self.s.locales
        lines = [
            self.t(
                lang,
                "reminders.post_line",
                platform=html.escape(choice_label("platforms", platform, locales, lang)),
                format=html.escape(choice_label("formats", form, locales, lang)),
            )
            for platform, form in job.details.get("posts", [])
        ]
        return self.t(
            lang,
            "reminders.post",
            name=self._name(campaign, lang),
            week=self._digits(job.details.get("week", 0), lang),
            theme=self.t(lang, f"campaign.theme.{job.details.get('theme', 'introduce')}"),
            posts="\n".join(lines),
        )

    def _numbers_question(self, job: JobRecord, campaign: CampaignRecord, lang: str) -> Reply:
        metrics = list(campaign.draft.get("answers", {}).get("metrics") or [])
        week = self._digits(job.details.get("week", 0), lang)
        text = self.t(lang, "reminders.numbers", week=week, name=self._name(campaign, lang), **self._metric_help(metrics, lang))
        skip = Button(self.t(lang, "reminders.numbers_skip_button"), callbacks.reminders("n", job.id))
        return Reply(text, ((skip,),))

    def _review(self, plan: ReminderPlanRecord, campaign: CampaignRecord, lang: str) -> list[Reply]:
        """How it went: posting days done and skipped, the numbers first → last with a chart, and three
        articles chosen by how it went."""
        self.repo.finish(plan_id=plan.id)
        posts = [job for job in self.repo.jobs_of(plan_id=plan.id) if job.kind == POST and job.state in ("sent", "missed")]
        done = sum(job.answer == "done" for job in posts)
        skipped = sum(job.answer == "skip" for job in posts)
        answers = campaign.draft.get("answers", {})
        metrics = list(answers.get("metrics") or [])
        numbers = self.repo.numbers(plan_id=plan.id)
        digits = self._digits
        lines = [
            self.t(
                lang,
                "reminders.review",
                name=self._name(campaign, lang),
                done=digits(done, lang),
                skipped=digits(skipped, lang),
                unanswered=digits(len(posts) - done - skipped, lang),
                total=digits(len(posts), lang),
            )
        ]
        shown = [metric for metric in metrics if numbers.get(metric)]
        if shown:
            lines.append(self.t(lang, "reminders.review_numbers"))
            for index, metric in enumerate(shown, start=1):
                weeks = sorted(numbers[metric])
                first, last = numbers[metric][weeks[0]], numbers[metric][weeks[-1]]
                label = choice_label("metrics", metric, self.s.locales, lang)
                lines.append(
                    self.t(
                        lang,
                        "reminders.review_number_line",
                        index=digits(index, lang),
                        metric=label,
                        first=self._number(first, lang),
                        last=self._number(last, lang),
                    )
                )
        else:
            lines.append(self.t(lang, "reminders.review_no_numbers"))
        library = self.s.library.library
        reading = review.articles_to_read(done, len(posts), numbers, set(library.articles))
        buttons = tuple((Button(library.articles[a].text(lang)[0].title[:60], callbacks.article(a)),) for a in reading)
        if reading:
            lines.append(self.t(lang, "reminders.review_read"))
        replies = []
        if shown:
            chart = review.chart_png(numbers, shown, int(answers["duration_weeks"]))
            replies.append(Reply(self.t(lang, "reminders.review_caption"), photo=chart))
        replies.append(Reply("\n".join(lines), buttons))
        return replies

    # --- small helpers --------------------------------------------------------------------------

    def _metric_help(self, metrics: list[str], lang: str) -> dict[str, str]:
        labels = [choice_label("metrics", metric, self.s.locales, lang) for metric in metrics]
        example = " ".join(
            localize_digits(str(EXAMPLE_NUMBERS[i % len(EXAMPLE_NUMBERS)]), self.s.locales, lang) for i in range(len(metrics))
        )
        return {
            "metrics": "\n".join(f"{self._digits(i, lang)}. {html.escape(label)}" for i, label in enumerate(labels, start=1)),
            "example": example,
        }

    def _name(self, campaign: CampaignRecord | None, lang: str) -> str:
        return html.escape(campaign_name(campaign.name if campaign else None, self.s.locales, lang))

    def _digits(self, number: object, lang: str) -> str:
        return localize_digits(str(number), self.s.locales, lang)

    def _number(self, value: float, lang: str) -> str:
        text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
        return self._digits(text, lang)


def _has_letters_beyond(text: str, metrics: list[str], locales: Locales, lang: str) -> bool:
    """True when the message has words other than the metric names: a question, not numbers."""
    remaining = text.lower()
    for metric in metrics:
        for name in (metric, choice_label("metrics", metric, locales, lang), choice_label("metrics", metric, locales, "en")):
            remaining = remaining.replace(name.lower(), " ")
    return sum(char.isalpha() for char in remaining) > 3


__all__ = ["ReminderHandlers"]
