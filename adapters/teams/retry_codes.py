"""A fix for msrest's client set-up cost, which botbuilder pays on every activity.

botbuilder's CloudAdapter builds a new ConnectorClient and a new TokenApiClient for every
activity it handles and every proactive send. Each builds an msrest ``ClientRetryPolicy``,
whose constructor lists the status codes to retry by testing 999 codes for membership in a
500-entry *list* of safe codes: about 3 ms, so 6-7 ms of CPU per Teams message, more than the
rest of a proactive send (bench/results/delivery.json, profiled with pyinstrument). The same
codes as a frozenset give the same retry list in microseconds.
"""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy


def speed_up_retry_policy() -> None:
    """Make ``ClientRetryPolicy()`` cheap; the policy it builds is unchanged (idempotent)."""
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]  # membership only
