"""Custom actions for Rasa's action server. Thin: they call bot.library and bot.campaign."""
