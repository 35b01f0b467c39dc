"""``partnerbot serve`` for the Teams benchmark: ``python teams_partnerbot.py serve --host … --port … --no-jobs``.

Two changes to what a deployment runs, both about the benchmark's rig, not the bot: outbound Bot
Framework tokens are handed out locally instead of by Entra ID (as tests/e2e/conftest.py does), and
the per-person command rate limit (adapters.web.limits: 20 at once, then 5 a second) is lifted,
because one load generator plays the member who asks everything."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from adapters import cli  # noqa: E402
from adapters.teams import auth, bot  # noqa: E402
from adapters.web.limits import RateLimit  # noqa: E402
from tests.adapters.teams.teams_fakes import StaticCredentialFactory  # noqa: E402

auth.credentials_factory = lambda settings: StaticCredentialFactory(settings.teams_app_id)
bot.RateLimit = lambda: RateLimit(burst=1e9, per_second=1e9)
sys.argv[0] = "partnerbot"
cli.main()
