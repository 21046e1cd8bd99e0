"""What the bot does for each kind of user action that needs no engine: one module per concern.

The router (`bot.conversation`) picks the handler; each returns replies built by `bot.views`.
"""
