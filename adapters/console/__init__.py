"""The terminal adapter: the bot in a console, and the demo."""
