"""What the outbox is told when the Bot Connector refuses a proactive send."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from adapters.teams.messenger import delivery_error


class ConnectorError(Exception):
    def __init__(self, status: int, headers: dict | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.response = SimpleNamespace(status_code=status, headers=headers or {})


def test_429_waits_for_retry_after():
    error = delivery_error(ConnectorError(429, {"Retry-After": "7"}))
    assert error.retry_after == 7.0 and not error.permanent


def test_429_without_a_usable_retry_after_still_waits_a_little():
    assert delivery_error(ConnectorError(429, {"Retry-After": "soon"})).retry_after == 1.0


@pytest.mark.parametrize("status", [403, 404])
def test_removed_bots_and_deleted_chats_are_permanent(status):
    error = delivery_error(ConnectorError(status))
    assert error.permanent and error.retry_after is None


@pytest.mark.parametrize("status", [500, 502, 503])
def test_an_unavailable_connector_is_waited_out_without_counting_an_attempt(status):
    failed = delivery_error(ConnectorError(status))
    assert not failed.permanent and failed.retry_after == 30.0


def test_a_5xx_retry_after_is_honoured_whatever_the_header_case():
    assert delivery_error(ConnectorError(503, {"retry-after": "12"})).retry_after == 12.0


def test_a_reset_connection_is_a_failed_attempt_retried_with_backoff():
    failed = delivery_error(ConnectionResetError())
    assert not failed.permanent and failed.retry_after is None
