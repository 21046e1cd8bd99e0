"""Resiliency Guide: a multilingual Telegram bot for civil-society organisations countering hate and
misinformation on social media."""

import os

# The sentence encoder's and the numeric libraries' OpenMP threads spin on the CPU while they wait for
# work (GNU OpenMP's default). With the engine, the action server and the bot sharing two cores, the
# spinning starved everything else: 30 users at once got 2.2 replies a second, 12.5 with spinning off
# (measured in the engine alone, same model, same machine). Set before any of them is loaded; an
# operator's own value wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# python-telegram-bot 22 warns on every flood wait that `retry_after` will become a timedelta; we read
# it either way (bot/telegram/render.py), so take the new type now and keep the log free of the warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")
