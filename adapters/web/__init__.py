"""The one aiohttp server: Slack events, the Teams endpoint and health."""
