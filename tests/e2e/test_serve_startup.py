"""`partnerbot serve` refuses configurations that could not work or would be unsafe."""

import pytest

from adapters.config import Settings
from adapters.services import build_services
from adapters.web.server import StartupRefused, build_web_app


def test_a_teams_app_id_without_its_secret_is_refused_with_a_plain_reason(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", teams_app_id="5a6b7c8d-0000-4000-8000-000000000001")
    with pytest.raises(StartupRefused, match="PARTNERBOT_TEAMS_APP_PASSWORD"):
        build_web_app(build_services(settings))


def test_a_managed_identity_needs_no_secret(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", teams_app_id="5a6b7c8d-0000-4000-8000-000000000001",
                        teams_app_type="UserAssignedMSI", teams_tenant_id="tenant")
    app = build_web_app(build_services(settings))
    assert any(r.resource.canonical == "/api/messages" for r in app.router.routes() if r.resource is not None)
