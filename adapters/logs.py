"""Logging: one JSON object per line (or plain text), to stderr.

Message bodies of issues and DMs are never logged: the core logs command
names, references and ids only, and this formatter adds nothing else.
"""

from __future__ import annotations

import json
import logging
import sys

from adapters.config import Settings

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(settings: Settings, quiet: bool = False) -> None:
    """``quiet`` (console, CLI tools) shows warnings and above only."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.log_json else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if quiet else settings.log_level.upper())
    # Libraries that log request bodies at DEBUG (a parent's words could be in them) stay at WARNING.
    for noisy in ("sqlalchemy.engine", "aiosqlite", "apscheduler.executors.default", "slack_sdk", "slack_bolt",
                  "msrest", "botframework", "botbuilder", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
