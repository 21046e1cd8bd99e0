"""Sends the reminders that fall due, from PTB's job queue, at most once each.

Each round: jobs left unsent far past their time are marked missed (a "today" message a day late
would only confuse), then every due job is claimed in the database before it is sent, so a restart
or a second replica never sends it again. Sends are paced under Telegram's 30 messages a second;
a user who blocked the bot has their reminders stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.handlers.reminders import ReminderHandlers
from bot.storage.models import utcnow
from bot.storage.reminders import BLOCKED, ReminderRepository
from bot.telegram.render import send_reply

log = logging.getLogger(__name__)

EVERY = 30.0  # seconds between looks for due reminders
GRACE = timedelta(hours=6)  # a reminder the bot could not send within this is missed, not sent late
PER_SECOND = 25  # messages a second at most: under Telegram's 30 overall, leaving room for replies
BATCH = 200  # due jobs taken per round; the rest wait for the next one


class ReminderSender:
    def __init__(
        self,
        handlers: ReminderHandlers,
        repository: ReminderRepository,
        clock: Callable[[], datetime] = utcnow,
        per_second: float = PER_SECOND,
    ) -> None:
        self.handlers = handlers
        self.repository = repository
        self.clock = clock
        self.pause = 1.0 / per_second

    def schedule(self, application: Application, every: float = EVERY) -> None:
        """Look for due reminders every `every` seconds, in PTB's job queue."""
        if application.job_queue is None:
            log.warning("No job queue (python-telegram-bot[job-queue] missing): reminders will not be sent")
            return
        application.job_queue.run_repeating(self._tick, interval=every, first=5.0, name="reminders")

    async def _tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.send_due(context.bot)
        except Exception as error:  # a database hiccup must not end the job; the next round retries
            log.warning("Reminder round failed (%s: %s); will retry", type(error).__name__, error)

    async def send_due(self, bot: Bot) -> int:
        """One round; returns how many reminders were sent."""
        now = self.clock()
        missed = await asyncio.to_thread(self.repository.miss_overdue, before=now - GRACE)
        if missed:
            log.info("Reminders: %d fell due more than %s ago (bot not running?) and were skipped", missed, GRACE)
        sent = 0
        for job, plan in await asyncio.to_thread(self.repository.due, now=now, limit=BATCH):
            if not await asyncio.to_thread(self.repository.claim, job_id=job.id, now=now):
                continue  # another replica, or an earlier round, has it
            replies = await asyncio.to_thread(self.handlers.message_for, job, plan)
            try:
                for reply in replies:
                    await send_reply(bot, plan.user_id, reply)
                sent += 1
            except Forbidden:
                log.info("User %s has blocked the bot; their reminders are stopped", plan.user_id)
                await asyncio.to_thread(self.repository.set_status, plan_id=plan.id, user_id=plan.user_id, status=BLOCKED)
            except TelegramError as error:
                log.warning("Reminder %s to user %s failed (%s); not retried", job.id, plan.user_id, error)
                await asyncio.to_thread(self.repository.mark_failed, job_id=job.id)
            await asyncio.sleep(self.pause)
        return sent
