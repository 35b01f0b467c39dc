"""Conversation references: what the bot needs to message a chat or channel later.

Teams only lets a bot post where it has been installed, to the service URL of
that tenant's region. Every activity carries both, so each conversation
(channel, group chat, personal chat) is stored under its id, and a personal
chat also under ``user:<aadObjectId>`` so reminders can find a member's chat.
A channel is stored without the ``;messageid=`` suffix of a thread, so a
proactive post starts a new thread instead of answering an old one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

PLATFORM = "teams"


class References(Protocol):
    """The platform store's conversation references (storage.platform.PlatformStore)."""

    async def get_ref(self, platform: str, key: str) -> dict | None: ...
    async def save_ref(self, platform: str, key: str, data: dict) -> None: ...
    async def list_refs(self, platform: str) -> list[tuple[str, dict]]: ...


class ReferenceUnit(Protocol):
    """A unit of work that also holds the platform store, which the core's UnitOfWork leaves out."""

    @property
    def platform(self) -> References: ...
    async def __aenter__(self) -> ReferenceUnit: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...


def base_conversation_id(conversation_id: str) -> str:
    return conversation_id.split(";messageid=")[0]


def user_key(aad_object_id: str) -> str:
    return f"user:{aad_object_id}"


def conversation_type(activity: Activity) -> str:
    """``personal``, ``groupChat`` or ``channel``."""
    conversation = activity.conversation
    return (conversation.conversation_type if conversation and conversation.conversation_type else "personal")


def tenant_of(activity: Activity) -> str | None:
    if activity.conversation and activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    tenant = (activity.channel_data or {}).get("tenant") if isinstance(activity.channel_data, dict) else None
    return tenant.get("id") if tenant else None


def reference_data(activity: Activity) -> dict:
    """A JSON-able conversation reference for proactive sends (no thread, no user)."""
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    reference.user = None
    reference.conversation.id = base_conversation_id(reference.conversation.id)
    reference.conversation.tenant_id = tenant_of(activity)
    data = reference.serialize()
    data["tenantId"] = tenant_of(activity)
    return data


def to_reference(data: dict) -> ConversationReference:
    return ConversationReference().deserialize(data)


class ConversationStore:
    """Keeps references current; the cache spares a database read per message."""

    def __init__(self, uow_factory: Callable[[], ReferenceUnit]) -> None:
        self.uow_factory = uow_factory
        self._known: dict[str, dict] = {}

    @staticmethod
    def keys(activity: Activity) -> list[str]:
        keys = [base_conversation_id(activity.conversation.id)]
        account = activity.from_property
        if conversation_type(activity) == "personal" and account and account.aad_object_id:
            keys.append(user_key(account.aad_object_id))
        return keys

    async def remember(self, activity: Activity) -> None:
        if not activity.conversation or not activity.service_url:
            return
        data = reference_data(activity)
        changed = [key for key in self.keys(activity) if self._known.get(key) != data]
        if not changed:
            return
        async with self.uow_factory() as uow:
            for key in changed:
                if await uow.platform.get_ref(PLATFORM, key) != data:
                    await uow.platform.save_ref(PLATFORM, key, data)
            await uow.commit()
        self._known.update(dict.fromkeys(changed, data))

    async def get(self, key: str) -> dict | None:
        if key in self._known:
            return self._known[key]
        async with self.uow_factory() as uow:
            data = await uow.platform.get_ref(PLATFORM, key)
        if data is not None:
            self._known[key] = data
        return data

    async def save(self, key: str, data: dict) -> None:
        async with self.uow_factory() as uow:
            await uow.platform.save_ref(PLATFORM, key, data)
            await uow.commit()
        self._known[key] = data
