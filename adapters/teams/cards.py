"""The neutral Reply as Adaptive Cards (schema 1.5, what Teams renders).

Buttons become ``Action.Execute`` (an ``adaptiveCard/action`` invoke, so the
card can be refreshed in place) or, inside dialogs, ``Action.Submit``; a
button that opens a form or offers choices becomes an ``Action.ShowCard``
holding the inputs. Long lists are split across several cards so no card
goes past Teams' size limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from adapters.teams.forms import COMMAND, FORMS, KIND, Form, FormChoices, form_body, submit_data
from adapters.teams.markup import RichWriter, escape, plain
from bot.reply import Attachment, Block, Button, Buttons, Fields, Heading, Item, Items, Note, Paragraph, Reply
from bot.text import LONDON

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_ITEMS_PER_CARD = 20
MAX_CARD_CHARS = 16000  # Teams refuses messages over ~28 KB; leave room for the envelope
_STYLES = {"primary": "positive", "danger": "destructive"}
_URL_SCHEMES = ("https://", "http://")


def new_card(body: list[dict], actions: list[dict] | None = None) -> dict:
    card = {"type": "AdaptiveCard", "$schema": SCHEMA_URL, "version": CARD_VERSION, "body": body,
            "msteams": {"width": "Full"}}
    if actions:
        card["actions"] = actions
    return card


def submit_action(title: str, data: dict, action: str = "Action.Execute", style: str | None = None) -> dict:
    """A button that sends ``data`` (plus the card's inputs) back to the bot."""
    out = {"type": action, "title": plain(title, 60), "data": data}
    if action == "Action.Execute":
        out["verb"] = data[KIND]
    if style:
        out["style"] = style
    return out


def command_data(command: str) -> dict:
    return {KIND: "command", COMMAND: command}


def form_card(form: Form, ref: str | None, choices: FormChoices, *, values: dict | None = None,
              errors: dict[str, str] | None = None, action: str = "Action.Execute") -> dict:
    """A whole card holding one form: a dialog, or a form that failed validation."""
    return new_card(form_body(form, ref, choices, values, errors),
                    [submit_action(form.submit, submit_data(form, ref), action, style="positive")])


@dataclass
class _Piece:
    """Card elements of one block (or part of a long list) and the mentions they use."""

    elements: list[dict]
    entities: list[dict] = field(default_factory=list)
    items: int = 0


class CardRenderer:
    def __init__(self, choices: FormChoices | None = None, tz: ZoneInfo = LONDON,
                 action: str = "Action.Execute", links: Callable[[Attachment], str | None] | None = None) -> None:
        self.choices = choices or FormChoices()
        self.tz = tz
        self.action = action
        self.links = links  # attached documents become "Open …" links (adapters.web.documents)

    def render(self, reply: Reply) -> list[dict]:
        """One card, or several when a list is too long for one."""
        blocks = list(reply.blocks)
        if reply.attachments and self.links is not None:
            opened = tuple(Button(f"Open the {a.title[0].lower()}{a.title[1:]}", url=url)
                           for a in reply.attachments if (url := self.links(a)))
            blocks += [Buttons(opened)] if opened else []
        pieces = [piece for index, block in enumerate(blocks)
                  for piece in self._pieces(block, reply.error and index == 0)]
        cards: list[tuple[list[dict], list[dict], int]] = []
        for piece in pieces:
            size = len(json.dumps(piece.elements))
            if cards and (cards[-1][2] + piece.items > MAX_ITEMS_PER_CARD
                          or len(json.dumps(cards[-1][0])) + size > MAX_CARD_CHARS):
                cards.append(([], [], 0))
            if not cards:
                cards.append(([], [], 0))
            body, entities, items = cards[-1]
            body.extend(piece.elements)
            entities.extend(e for e in piece.entities if e not in entities)
            cards[-1] = (body, entities, items + piece.items)
        out = []
        for body, entities, _ in cards or [([], [], 0)]:
            card = new_card(body)
            if entities:
                card["msteams"]["entities"] = entities
            out.append(card)
        return out

    def _pieces(self, block: Block, is_error: bool) -> list[_Piece]:
        writer = RichWriter(self.tz)
        if isinstance(block, Items):
            return self._items(block)
        if isinstance(block, Heading):
            element = {"type": "TextBlock", "text": writer.write(block.text), "size": "Medium",
                       "weight": "Bolder", "wrap": True}
        elif isinstance(block, Paragraph):
            element = {"type": "TextBlock", "text": writer.write(block.text), "wrap": True}
            if is_error:
                element["color"] = "Attention"
        elif isinstance(block, Note):
            element = {"type": "TextBlock", "text": writer.write(block.text), "isSubtle": True, "size": "Small",
                       "wrap": True}
        elif isinstance(block, Fields):
            element = {"type": "FactSet", "facts": [{"title": plain(label, 60), "value": writer.write(value)}
                                                    for label, value in block.rows]}
        elif isinstance(block, Buttons):
            actions = [a for a in (self.button(b) for b in block.buttons) if a]
            if not actions:
                return []
            element = {"type": "ActionSet", "actions": actions}
        else:
            raise TypeError(f"not a reply block: {block!r}")
        return [_Piece([element], writer.entities)]

    def _items(self, block: Items) -> list[_Piece]:
        if not block.items:
            title = [self._title(block.title)] if block.title else []
            return [_Piece([*title, {"type": "TextBlock", "text": escape(block.empty), "isSubtle": True,
                                     "wrap": True}])]
        pieces = []
        for start in range(0, len(block.items), MAX_ITEMS_PER_CARD):
            writer = RichWriter(self.tz)
            chunk = block.items[start:start + MAX_ITEMS_PER_CARD]
            elements = [self._item(item, writer) for item in chunk]
            if block.title:
                elements.insert(0, self._title(block.title + (" (continued)" if start else "")))
            pieces.append(_Piece(elements, writer.entities, len(chunk)))
        return pieces

    @staticmethod
    def _title(title: str) -> dict:
        return {"type": "TextBlock", "text": escape(title), "weight": "Bolder", "wrap": True}

    @staticmethod
    def _item(item: Item, writer: RichWriter) -> dict:
        text = "• " + writer.write(item.text)
        element = {"type": "TextBlock", "text": text, "wrap": True, "spacing": "Small"}
        if item.flag:
            element["text"] = f"{text} — _{escape(item.flag)}_"
            if item.flag.startswith("overdue"):
                element["color"] = "Attention"
        return element

    def button(self, button: Button) -> dict | None:
        title = plain(button.label, 60)
        style = _STYLES.get(button.style or "")
        if button.url:
            return {"type": "Action.OpenUrl", "title": title, "url": button.url} \
                if button.url.startswith(_URL_SCHEMES) else None
        form = FORMS.get(button.form) if button.form else None
        if button.choices or (form and not button.command):
            actions = [submit_action(label, command_data(command), self.action)
                       for label, command in button.choices]
            body = []
            if form:
                body = form_body(form, button.ref, self.choices)
                actions.append(submit_action(form.submit, submit_data(form, button.ref), self.action, "positive"))
            return {"type": "Action.ShowCard", "title": title, "card": new_card(body, actions)}
        if button.command:
            return submit_action(title, command_data(button.command), self.action, style)
        return None
