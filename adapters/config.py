"""Process configuration from the environment (prefix ``PARTNERBOT_``) or ``.env``.

Board rules (offsets, quiet hours, ladder) are not here: they live in the
database and are changed with ``/board config``.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARTNERBOT_", env_file=".env", extra="ignore")

    database_url: str = Field("sqlite:///./partnerbot.db", description="SQLite file or PostgreSQL URL")
    timezone: str = Field("Europe/London", description="Board timezone for new databases")
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_json: bool = Field(True, description="One JSON object per log line (false: plain text)")

    slack_bot_token: str | None = Field(None, description="Bot token xoxb-… (single workspace)")
    slack_signing_secret: str | None = Field(None, description="Signing secret; required for HTTP mode")
    slack_app_token: str | None = Field(None, description="App-level token xapp-… for Socket Mode")
    slack_api_url: str = Field("https://slack.com/api/",
                               description="Slack Web API base URL (tests point it at a fake)")
    slack_workers: int = Field(8, ge=1, description="Slack answers worked on at once")
    slack_queue: int = Field(200, ge=1, description="Slack answers waiting beyond those; more are told to try again")

    teams_app_id: str | None = Field(None, description="Microsoft App ID of the bot registration")
    teams_app_password: str | None = Field(None, description="Client secret of the bot registration")
    teams_app_type: str = Field("SingleTenant", description="SingleTenant, MultiTenant or UserAssignedMSI")
    teams_tenant_id: str | None = Field(None, description="Tenant id (SingleTenant and UserAssignedMSI)")
    teams_openid_metadata_url: str | None = Field(
        None, description="Override Bot Framework OpenID metadata URL (tests use a local one)"
    )
    teams_allowed_service_urls: str | None = Field(
        None, description="Comma-separated serviceUrl prefixes the bot may answer through (default: the Bot "
        "Framework channel hosts, plus loopback in --dev)"
    )
    max_request_bytes: int = Field(512 * 1024,
                                   description="Largest request body /slack/events and /api/messages accept")

    files_dir: str | None = Field(None, description="Folder the console writes files the bot sends to "
                                  "(default: a new temporary folder)")
    public_url: str | None = Field(None, description="Public base URL of `partnerbot serve` (https://board.example.org),"
                                   " for calendar links and, in Teams, links to files and documents")
    document_link_secret: str | None = Field(None, description="Secret that signs document links (default: random "
                                                               "per process; set it when running replicas)")
    document_link_days: int = Field(7, description="Days a document link stays valid")

    worker_id: str | None = Field(None, description="Name of this delivery worker (default host:pid)")
    dispatch_interval_seconds: float = Field(5.0, description="How often the dispatcher looks for due messages")
    plan_interval_seconds: float = Field(60.0, description="How often the planner re-derives reminders")
    max_attempts: int = Field(8, description="Delivery attempts before a message is dead-lettered")
    delivery_parallel: int = Field(8, description="Sends a worker has in flight at once (each conversation in order)")
    delivery_call_timeout_seconds: float = Field(15.0, description="A chat API call is abandoned (and retried) "
                                                 "after this long")
    health_port: int | None = Field(None, description="Port for the worker's /healthz and /readyz (off if unset)")
