"""Which ``serviceUrl`` the bot may believe: the host it will later POST to.

Every activity names the connector the bot must answer through. A forged
activity could point it anywhere (an internal host, a cloud metadata address),
and a stored conversation reference would keep the bot posting there, so the
URL is checked before anything is called or stored:

* ``PARTNERBOT_TEAMS_ALLOWED_SERVICE_URLS`` set: only URLs starting with one of
  its comma-separated prefixes (scheme, host and port must match exactly);
* otherwise the Bot Framework channel hosts over https (public with its
  regional paths, GCC, GCC High, DoD, and the other Bot Framework channels),
  plus loopback in ``--dev`` for the Bot Framework Emulator.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

CHANNEL_HOSTS = (
    "smba.trafficmanager.net",              # public cloud, /amer/ /emea/ /apac/ /teams/ … paths
    "smba.infra.gcc.teams.microsoft.com",   # GCC
    "smba.infra.gov.teams.microsoft.us",    # GCC High
    "smba.infra.dod.teams.microsoft.us",    # DoD
)
CHANNEL_DOMAINS = (".botframework.com", ".botframework.azure.us", ".botframework.us")


def _parts(url: str) -> tuple[str, str, int | None, str] | None:
    try:
        split = urlsplit(url.strip())
        port = split.port
    except ValueError:
        return None
    if split.scheme not in ("http", "https") or not split.hostname or split.username or split.password:
        return None
    return split.scheme, split.hostname.lower(), port, split.path or "/"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServiceUrlPolicy:
    prefixes: tuple[str, ...] = ()
    allow_loopback: bool = False

    @classmethod
    def from_setting(cls, value: str | None, *, dev: bool) -> ServiceUrlPolicy:
        prefixes = tuple(p.strip() for p in (value or "").split(",") if p.strip())
        for prefix in prefixes:
            if _parts(prefix) is None:
                raise ValueError(f"PARTNERBOT_TEAMS_ALLOWED_SERVICE_URLS: {prefix!r} is not an http(s) URL")
        return cls(prefixes, allow_loopback=dev and not prefixes)

    def allows(self, url: str | None) -> bool:
        parts = _parts(url or "")
        if parts is None:
            return False
        scheme, host, port, path = parts
        if self.prefixes:
            return any(self._under(parts, prefix) for prefix in self.prefixes)
        if self.allow_loopback and is_loopback(host):
            return True
        if scheme != "https" or port not in (None, 443):
            return False
        return host in CHANNEL_HOSTS or host.endswith(CHANNEL_DOMAINS)

    @staticmethod
    def _under(parts: tuple[str, str, int | None, str], prefix: str) -> bool:
        allowed = _parts(prefix)
        if allowed is None or parts[:3] != allowed[:3]:
            return False
        base = allowed[3] if allowed[3].endswith("/") else allowed[3] + "/"
        return parts[3] == allowed[3] or (parts[3] + "/").startswith(base)
