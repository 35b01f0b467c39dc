"""``partnerbot serve`` for the benchmarks: ``python serve.py serve --host … --port … --no-jobs``.

Changes to what a deployment runs, all about the benchmark's rig, not the bot:

* the per-person command rate limit (adapters.web.limits: 20 at once, then 5 a second) is lifted,
  because one load generator plays the member who asks everything; it is patched before Slack's or
  Teams' modules import it, and nothing else is imported here, so memory is measured as deployed;
* with ``BENCH_LOCAL_TEAMS_TOKENS=1``, outbound Bot Framework tokens are handed out locally instead
  of by Entra ID, as tests/e2e/conftest.py does.
"""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from adapters.web import limits  # noqa: E402


@dataclass
class Unlimited(limits.RateLimit):
    burst: float = 1e12
    per_second: float = 1e12


limits.RateLimit = Unlimited
if os.environ.get("BENCH_LOCAL_TEAMS_TOKENS"):
    from adapters.teams import auth
    from tests.adapters.teams.teams_fakes import StaticCredentialFactory

    auth.credentials_factory = lambda settings: StaticCredentialFactory(settings.teams_app_id)

from adapters import cli  # noqa: E402

sys.argv[0] = "partnerbot"
cli.main()
