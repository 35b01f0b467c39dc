"""`partnerbot serve` refuses configurations that could not work or would be unsafe."""

import pytest

from adapters.config import Settings
from adapters.services import build_services
from adapters.web.server import StartupRefused, build_web_app


def test_a_teams_app_id_without_its_secret_is_refused_with_a_plain_reason(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}",
                        teams_app_id="5a6b7c8d-0000-4000-8000-000000000001")
    with pytest.raises(StartupRefused, match="PARTNERBOT_TEAMS_APP_PASSWORD"):
        build_web_app(build_services(settings))


def test_a_managed_identity_needs_no_secret(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}",
                        teams_app_id="5a6b7c8d-0000-4000-8000-000000000001",
                        teams_app_type="UserAssignedMSI", teams_tenant_id="tenant")
    app = build_web_app(build_services(settings))
    assert any(r.resource.canonical == "/api/messages" for r in app.router.routes() if r.resource is not None)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "board.example.org"])
def test_dev_refuses_a_non_loopback_interface_without_dev_public(tmp_path, host):
    from typer.testing import CliRunner

    from adapters.cli import app

    result = CliRunner().invoke(app, ["serve", "--dev", "--host", host, "--db", f"sqlite:///{tmp_path / 'b.db'}"])
    assert result.exit_code == 2 and "Refusing to serve --dev" in result.output and "--dev-public" in result.output


def test_dev_public_serves_anyway_with_a_warning(caplog):
    from adapters.web.run import dev_bind_refusal

    assert dev_bind_refusal("0.0.0.0", dev_public=True) is None
    assert any("WITHOUT Teams authentication" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
    assert dev_bind_refusal("127.0.0.1", dev_public=False) is None and dev_bind_refusal("[::1]", False) is None
