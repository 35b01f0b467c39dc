"""Which serviceUrl the bot believes: Bot Framework's channel hosts, or exactly the configured prefixes."""

import pytest

from adapters.teams.trust import ServiceUrlPolicy

DEFAULT = ServiceUrlPolicy.from_setting(None, dev=False)
DEV = ServiceUrlPolicy.from_setting(None, dev=True)
LISTED = ServiceUrlPolicy.from_setting("https://bots.example.org/teams/, http://127.0.0.1:3978/", dev=True)


@pytest.mark.parametrize("url", [
    "https://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net/amer/", "https://smba.trafficmanager.net/teams/",
    "https://smba.infra.gcc.teams.microsoft.com/teams", "https://smba.infra.gov.teams.microsoft.us/teams",
    "https://smba.infra.dod.teams.microsoft.us/teams", "https://europe.webchat.botframework.com/",
    "https://SMBA.trafficmanager.net:443/uk/"])
def test_bot_framework_channel_hosts_are_believed_by_default(url):
    assert DEFAULT.allows(url) and DEV.allows(url)


@pytest.mark.parametrize("url", [
    "http://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net:8443/emea/",
    "https://smba.trafficmanager.net.evil.example/", "https://evilbotframework.com/",
    "https://smba.trafficmanager.net@evil.example/", "https://user:pw@smba.trafficmanager.net/emea/",
    "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:3978/", "file:///etc/passwd", "", None,
    "https://[::1/"])
def test_anything_else_is_refused(url):
    assert not DEFAULT.allows(url)


def test_loopback_only_in_dev_for_the_emulator():
    for url in ("http://127.0.0.1:3978/", "http://localhost:3978/", "http://[::1]:3978/"):
        assert DEV.allows(url) and not DEFAULT.allows(url)
    assert not DEV.allows("http://10.0.0.5/") and not DEV.allows("http://169.254.169.254/")


def test_a_configured_list_is_the_only_one_and_matches_whole_hosts_ports_and_paths():
    assert LISTED.allows("https://bots.example.org/teams/emea/") and LISTED.allows("http://127.0.0.1:3978/x")
    for url in ("https://bots.example.org/teamsX/", "https://bots.example.org/", "http://127.0.0.1:39780/",
                "http://bots.example.org/teams/", "https://smba.trafficmanager.net/emea/", "http://127.0.0.1:4000/"):
        assert not LISTED.allows(url), url


def test_a_malformed_list_is_refused_at_startup():
    with pytest.raises(ValueError, match="PARTNERBOT_TEAMS_ALLOWED_SERVICE_URLS"):
        ServiceUrlPolicy.from_setting("smba.trafficmanager.net", dev=False)
