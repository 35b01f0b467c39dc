"""Who may post to ``/api/messages``, and how the bot signs what it sends.

Inbound: the Bot Framework signs every activity with a JWT (RS256) whose keys
are published behind an OpenID metadata document; we check issuer, audience
(our app id), expiry and the ``serviceurl`` claim. The metadata URL can be
overridden (``PARTNERBOT_TEAMS_OPENID_METADATA_URL``) so tests validate tokens
signed with local keys through exactly the code production uses.

Outbound: tokens for the connector come from Entra ID for the app id and
password (SingleTenant, MultiTenant) or a managed identity (UserAssignedMSI).

With no app id botbuilder validates nothing; ``endpoint.mount`` only allows
that in ``--dev``.
"""

from __future__ import annotations

from types import SimpleNamespace

from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory
from botbuilder.schema import CallerIdConstants
from botframework.connector.auth import (
    AuthenticationConfiguration,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    BotFrameworkAuthenticationFactory,
    ServiceClientCredentialsFactory,
)

from adapters.config import Settings
from adapters.teams.retry_codes import speed_up_retry_policy

APP_TYPES = {"singletenant": "SingleTenant", "multitenant": "MultiTenant", "userassignedmsi": "UserAssignedMSI"}


def app_type(settings: Settings) -> str:
    kind = APP_TYPES.get(settings.teams_app_type.replace("-", "").replace("_", "").lower())
    if kind is None:
        raise ValueError(f"PARTNERBOT_TEAMS_APP_TYPE={settings.teams_app_type!r}: use one of "
                         + ", ".join(APP_TYPES.values()))
    return kind


def credentials_factory(settings: Settings) -> ServiceClientCredentialsFactory:
    """Credentials for outbound calls, from the app registration's settings."""
    if not settings.teams_app_id:
        # Authentication disabled (--dev): botbuilder sends no token and checks none.
        return ConfigurationServiceClientCredentialFactory(SimpleNamespace(APP_TYPE="MultiTenant"))
    config = SimpleNamespace(APP_ID=settings.teams_app_id, APP_PASSWORD=settings.teams_app_password,
                             APP_TYPE=app_type(settings), APP_TENANTID=settings.teams_tenant_id)
    return ConfigurationServiceClientCredentialFactory(config)


def build_authentication(settings: Settings) -> BotFrameworkAuthentication:
    """Public-cloud Bot Framework authentication with an overridable OpenID metadata URL."""
    speed_up_retry_policy()  # botbuilder builds two msrest clients per activity with it
    login = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
    return BotFrameworkAuthenticationFactory.create(
        validate_authority=True,
        to_channel_from_bot_login_url=login + (settings.teams_tenant_id or "botframework.com"),
        to_channel_from_bot_oauth_scope=AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
        to_bot_from_channel_token_issuer=AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
        oauth_url=AuthenticationConstants.OAUTH_URL,
        to_bot_from_channel_open_id_metadata_url=(settings.teams_openid_metadata_url
                                                  or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL),
        to_bot_from_emulator_open_id_metadata_url=AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
        caller_id=CallerIdConstants.public_azure_channel,
        credential_factory=credentials_factory(settings),
        auth_configuration=AuthenticationConfiguration(),
    )
