"""Opt-in reminders for a finished plan: what to post each posting day, the week's numbers, a review.

`schedule` turns a plan into dated jobs (pure), `numbers` reads the numbers people type, `review`
draws the end-of-campaign chart, `messages` says it all in the user's language. Jobs are stored by
`bot.storage.reminders` and sent by `bot.telegram.reminders`.
"""
