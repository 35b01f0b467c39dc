"""The neutral Reply as Adaptive Cards (schema 1.5, what Teams renders).

Buttons become ``Action.Execute`` (an ``adaptiveCard/action`` invoke, so the
card can be refreshed in place) or, inside dialogs, ``Action.Submit``; a
button that opens a form opens it as a dialog (``task/fetch``), and one that
offers choices becomes an ``Action.ShowCard`` holding them (and its form).
Long lists are split across several cards so no card goes past Teams' size
limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from adapters.teams.forms import COMMAND, KIND, FormChoices, dialog_data, form_body, submit_data
from adapters.teams.markup import RichWriter, escape, plain
from bot.forms import Form, menu_label
from bot.reply import Block, Button, Buttons, Fields, Heading, Item, Items, Note, Paragraph, Reply, halve
from bot.text import LONDON

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_ITEMS_PER_CARD = 20
# Teams refuses activities over about 28 KB. A card's JSON stays under MAX_CARD_CHARS (measured with
# non-ASCII escaped, as it goes on the wire), leaving room for the activity around it; one block or
# list item over MAX_UNIT_CHARS is cut in two so it can never fill a card alone.
MAX_CARD_CHARS = 22000
MAX_UNIT_CHARS = 10000
CONTINUED = " (continued)"
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


def dialog_action(title: str, form_id: str, ref: str | None, style: str | None = None) -> dict:
    """A button that opens a form as a dialog: only ``Action.Submit`` can ask for a task module."""
    out = {"type": "Action.Submit", "title": plain(title, 60), "data": dialog_data(form_id, ref)}
    if style:
        out["style"] = style
    return out


def form_card(form: Form, ref: str | None, choices: FormChoices, *, values: dict | None = None,
              errors: dict[str, str] | None = None, action: str = "Action.Execute") -> dict:
    """A whole card holding one form: a dialog, or a form that failed validation."""
    return new_card(form_body(form, ref, choices, values, errors),
                    [submit_action(form.submit, submit_data(form.id, ref), action, style="positive")])


@dataclass
class _Unit:
    """The smallest thing a card can hold: one block, or one item of a list, with its
    rendered elements, the mentions they use and their serialised size."""

    block: Block
    source: int  # index of the reply block it came from (list items of one block pack together)
    elements: list[dict]
    entities: list[dict] = field(default_factory=list)
    items: int = 0

    @property
    def size(self) -> int:
        return len(json.dumps(self.elements)) + len(json.dumps(self.entities))


class CardRenderer:
    def __init__(self, tz: ZoneInfo = LONDON, action: str = "Action.Execute") -> None:
        self.tz = tz
        self.action = action

    def render(self, reply: Reply) -> list[dict]:
        """One card per part of the reply (see ``parts``)."""
        return [self.card(part) for part in self.parts(reply)]

    def parts(self, reply: Reply) -> list[Reply]:
        """The reply cut into replies of one card each: at most MAX_ITEMS_PER_CARD list
        items and MAX_CARD_CHARS of card JSON, a list that goes on titled "(continued)".
        Nothing is dropped: a text too long for one card is cut between cards."""
        units = [unit for index, block in enumerate(reply.blocks) for unit in self._units(block, index)]
        cards: list[list[_Unit]] = []
        size = items = 0
        for unit in units:
            joins = bool(cards and cards[-1]) and cards[-1][-1].source == unit.source and unit.items > 0
            extra = 0 if joins or not unit.items else self._title_size(unit.block)
            if not cards or (cards[-1] and (items + unit.items > MAX_ITEMS_PER_CARD
                                            or size + unit.size + extra > MAX_CARD_CHARS)):
                cards.append([])
                size = items = 0
                extra = self._title_size(unit.block) if unit.items else 0
            cards[-1].append(unit)
            size += unit.size + extra
            items += unit.items
        return [self._part(reply, card, first=index == 0) for index, card in enumerate(cards or [[]])]

    def card(self, part: Reply) -> dict:
        """A reply as exactly one card (a part from ``parts``)."""
        writer = RichWriter(self.tz)
        body = [element for index, block in enumerate(part.blocks)
                for element in self._elements(block, writer, part.error and index == 0)]
        card = new_card(body)
        if writer.entities:
            card["msteams"]["entities"] = writer.entities
        return card

    @staticmethod
    def _part(reply: Reply, units: list[_Unit], first: bool) -> Reply:
        blocks: list[Block] = []
        for previous, unit in zip([None, *units], units, strict=False):
            same_list = previous is not None and previous.source == unit.source and previous.items and unit.items
            if same_list and isinstance(blocks[-1], Items) and isinstance(unit.block, Items):
                blocks[-1] = replace(blocks[-1], items=blocks[-1].items + unit.block.items)
            else:
                blocks.append(unit.block)
        return Reply(blocks=blocks, summary=reply.summary, public=reply.public, error=reply.error and first,
                     error_id=reply.error_id, refs=list(reply.refs), field_errors=dict(reply.field_errors))

    def _units(self, block: Block, source: int) -> list[_Unit]:
        if not (isinstance(block, Items) and block.items):
            return self._fitting(block, source)
        units = [unit for item in block.items for unit in self._fitting(replace(block, items=(item,)), source)]
        if block.title:  # a card that starts inside the list says it is a continuation
            for unit in units[1:]:
                if isinstance(unit.block, Items):
                    unit.block = replace(unit.block, title=block.title + CONTINUED)
        return units

    def _fitting(self, block: Block, source: int) -> list[_Unit]:
        """The block as units, cut in two (and again) while one is too big for a card."""
        writer = RichWriter(self.tz)
        elements = self._elements(block, writer, False)
        unit = _Unit(block, source, elements, writer.entities,
                     len(block.items) if isinstance(block, Items) and block.items else 0)
        if unit.size <= MAX_UNIT_CHARS:
            return [unit]
        halves = halve(block)
        if halves is None:
            return [unit]
        return [u for half in halves for u in self._fitting(half, source)]

    def _title_size(self, block: Block) -> int:
        title = block.title if isinstance(block, Items) else None
        return len(json.dumps(self._title(title))) + 2 if title else 0

    def _elements(self, block: Block, writer: RichWriter, is_error: bool) -> list[dict]:
        if isinstance(block, Items):
            title = [self._title(block.title)] if block.title else []
            if not block.items:
                return [*title, {"type": "TextBlock", "text": escape(block.empty), "isSubtle": True, "wrap": True}]
            return [*title, *(self._item(item, writer) for item in block.items)]
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
        return [element]

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
        if button.choices:
            actions = [submit_action(label, command_data(command), self.action)
                       for label, command in button.choices]
            if button.form:
                actions.append(dialog_action(menu_label(button.form), button.form, button.ref))
            return {"type": "Action.ShowCard", "title": title, "card": new_card([], actions)}
        if button.form and not button.command:
            return dialog_action(title, button.form, button.ref, style)
        if button.command:
            return submit_action(title, command_data(button.command), self.action, style)
        return None
