"""Microsoft Teams: the bot endpoint, Adaptive Cards, proactive delivery and the app package.

Every botbuilder/botframework import in the project lives in this package
(import-linter enforces it): the Python SDK is in maintenance, and keeping it
in one place makes it replaceable.
"""
