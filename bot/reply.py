"""The neutral Reply: a small tree of blocks that every adapter can render.

Text is *rich*: a tuple of spans, where a ``str`` is user or bot text (always
escaped by renderers, never interpreted as markup), ``When`` is a date or
time each platform may show in its reader's format, ``Mention`` a person and
``Ref`` a board reference such as ``A12``. Because user text only ever enters
as plain ``str`` spans, nobody can inject ``<!channel>`` or a link.

Replies serialise to JSON (``to_dict``/``from_dict``) so the outbox can
store exactly what will be sent.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class When:
    """A date (all day) or an aware datetime; rendered in the board's timezone."""

    value: dt.date | dt.datetime
    with_time: bool = False


@dataclass(frozen=True)
class Mention:
    """A board member named in a reply.

    ``address`` is the member's account on the platform about to show the
    reply, filled in just before rendering (``bot.identity.addressed``); the
    core leaves it empty and it is never stored, so one outbox row can go to
    any platform. Without one a renderer shows the member's name or handle.
    """

    member_id: int | None
    handle: str
    name: str
    address: str | None = None


@dataclass(frozen=True)
class Ref:
    ref: str  # "A12"


Span = str | When | Mention | Ref
Rich = tuple[Span, ...]


def rich(*spans: Span | None) -> Rich:
    """Build rich text, dropping None spans."""
    return tuple(s for s in spans if s is not None and s != "")


@dataclass(frozen=True)
class Heading:
    text: Rich


@dataclass(frozen=True)
class Paragraph:
    text: Rich


@dataclass(frozen=True)
class Fields:
    rows: tuple[tuple[str, Rich], ...]


@dataclass(frozen=True)
class Item:
    text: Rich
    ref: str | None = None
    flag: str | None = None  # short status tag: "overdue", "late", "due soon"


@dataclass(frozen=True)
class Items:
    items: tuple[Item, ...]
    title: str | None = None
    empty: str = "Nothing here."


@dataclass(frozen=True)
class Button:
    """A button runs a board command as whoever presses it.

    ``command`` is the command text without ``/board`` (``action done A12``).
    ``form`` names a form the adapter should open instead (``action.update``)
    with ``ref`` prefilled; ``choices`` (label, command) make a small menu.
    """

    label: str
    command: str | None = None
    form: str | None = None
    ref: str | None = None
    style: str | None = None  # "primary" | "danger" | None
    choices: tuple[tuple[str, str], ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Note:
    """Small print under a reply: a hint, a reference id."""

    text: Rich


Block = Heading | Paragraph | Fields | Items | Buttons | Note


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (an export, a report, a built document): each
    adapter delivers it its own way (a Slack upload, a served link, a file the console writes)."""

    filename: str
    media_type: str
    data: bytes
    title: str = ""  # what a platform shows for it; the filename when empty

    @property
    def label(self) -> str:
        return self.title or self.filename


@dataclass(frozen=True)
class DocumentRef:
    """A board document that goes with a reply, by reference: ``kind`` ("pack", "minutes")
    of the meeting ``ref`` ("M4"). Adapters build and typeset it when they send, so an
    outbox row stays small and the document is as current as the board when it goes out
    (``adapters.documents.attached.as_files`` turns it into an Attachment)."""

    kind: str
    ref: str
    title: str

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.ref}"


Attached = Attachment | DocumentRef


@dataclass
class Reply:
    """What the core answers a Command with.

    ``public`` replies change shared state; adapters show the channel a
    short confirmation (``summary``) and the rest only to the asker.
    ``error`` marks refusals and failures (``error_id`` for unexpected ones).
    """

    blocks: list[Block] = field(default_factory=list)
    summary: str = ""
    public: bool = False
    error: bool = False
    error_id: str | None = None
    refs: list[str] = field(default_factory=list)
    field_errors: dict[str, str] = field(default_factory=dict)
    attachments: list[Attached] = field(default_factory=list)

    def add(self, *blocks: Block) -> Reply:
        self.blocks.extend(blocks)
        return self

    def renews(self, ref: str | None) -> bool:
        """Whether this reply is the new state of ``ref`` (its card, with buttons
        of its own), so a chat may replace the message everyone saw about it.
        "Send apologies" on a meeting reminder is not: that reminder stays."""
        return bool(ref) and ref in self.refs and any(isinstance(b, Buttons) for b in self.blocks)


def _block_texts(block: Block) -> list[Rich]:
    if isinstance(block, Heading | Paragraph | Note):
        return [block.text]
    if isinstance(block, Fields):
        return [value for _, value in block.rows]
    if isinstance(block, Items):
        return [item.text for item in block.items]
    return []


def all_refs(reply: Reply) -> list[str]:
    """Every board reference the reply names, once each, in order: the ones it
    is about first, then those its text mentions (a meeting in a card, say)."""
    found = list(reply.refs)
    for block in reply.blocks:
        if isinstance(block, Items):
            found += [item.ref for item in block.items if item.ref]
        found += [span.ref for text in _block_texts(block) for span in text if isinstance(span, Ref)]
    return list(dict.fromkeys(found))


def mentioned(reply: Reply) -> set[int]:
    """The ids of the members the reply names."""
    return {span.member_id for block in reply.blocks for text in _block_texts(block) for span in text
            if isinstance(span, Mention) and span.member_id is not None}


def map_spans(reply: Reply, change: Callable[[Span], Span]) -> Reply:
    """A copy of ``reply`` with ``change`` applied to every span of its text."""
    def text(rich_text: Rich) -> Rich:
        return tuple(change(span) for span in rich_text)

    def block(b: Block) -> Block:
        if isinstance(b, Heading | Paragraph | Note):
            return type(b)(text(b.text))
        if isinstance(b, Fields):
            return Fields(tuple((label, text(value)) for label, value in b.rows))
        if isinstance(b, Items):
            return replace(b, items=tuple(replace(item, text=text(item.text)) for item in b.items))
        return b

    return replace(reply, blocks=[block(b) for b in reply.blocks])


def split_rich(text: Rich) -> tuple[Rich, Rich] | None:
    """Rich text cut in two near its middle (at a space if there is one close by), for a
    renderer whose platform limits how much one block may hold; None if it cannot be cut."""
    lengths = [len(s) if isinstance(s, str) else 1 for s in text]
    total = sum(lengths)
    if total < 2:
        return None
    middle, seen = total // 2, 0
    for index, (span, length) in enumerate(zip(text, lengths, strict=True)):
        if seen + length > middle and isinstance(span, str) and length > 1:
            at = middle - seen
            space = span.rfind(" ", max(1, at - 200), at + 1)
            cut = space if space > 0 else max(1, at)
            return (*text[:index], span[:cut]), (span[cut:], *text[index + 1:])
        seen += length
        if seen >= middle and 0 < index + 1 < len(text):
            return text[:index + 1], text[index + 1:]
    return None


def halve(block: Block) -> tuple[Block, Block] | None:
    """A block as two blocks of the same kind that together say the same (None: it cannot be
    cut). Lists and rows are divided between items; a single long text is cut in two."""
    if isinstance(block, Heading | Paragraph | Note):
        halves = split_rich(block.text)
        return None if halves is None else (type(block)(halves[0]), type(block)(halves[1]))
    if isinstance(block, Items) and len(block.items) > 1:
        middle = len(block.items) // 2
        return replace(block, items=block.items[:middle]), replace(block, items=block.items[middle:])
    if isinstance(block, Items) and block.items:
        item = block.items[0]
        halves = split_rich(item.text)
        if halves is None:
            return None
        return (replace(block, items=(Item(halves[0], item.ref),)),
                replace(block, items=(Item(halves[1], item.ref, item.flag),)))
    if isinstance(block, Fields) and len(block.rows) > 1:
        middle = len(block.rows) // 2
        return Fields(block.rows[:middle]), Fields(block.rows[middle:])
    if isinstance(block, Fields) and block.rows:
        label, value = block.rows[0]
        halves = split_rich(value)
        return None if halves is None else (Fields(((label, halves[0]),)), Fields(((label, halves[1]),)))
    if isinstance(block, Buttons) and len(block.buttons) > 1:
        middle = len(block.buttons) // 2
        return Buttons(block.buttons[:middle]), Buttons(block.buttons[middle:])
    return None


def _span_to_json(span: Span) -> object:
    if isinstance(span, str):
        return span
    if isinstance(span, When):
        kind = "datetime" if isinstance(span.value, dt.datetime) else "date"
        return {"when": span.value.isoformat(), "kind": kind, "time": span.with_time}
    if isinstance(span, Mention):
        return {"mention": span.handle, "name": span.name, "member": span.member_id}
    return {"ref": span.ref}


def _span_from_json(obj: object) -> Span:
    if isinstance(obj, str):
        return obj
    assert isinstance(obj, dict)
    if "when" in obj:
        parse = dt.datetime.fromisoformat if obj["kind"] == "datetime" else dt.date.fromisoformat
        return When(parse(obj["when"]), bool(obj.get("time")))
    if "mention" in obj:
        return Mention(obj.get("member"), obj["mention"], obj["name"])  # rows stored before ids: shown by name
    return Ref(obj["ref"])


def _rich_to_json(text: Rich) -> list[object]:
    return [_span_to_json(s) for s in text]


def _rich_from_json(items: list[object]) -> Rich:
    return tuple(_span_from_json(s) for s in items)


def _block_to_json(block: Block) -> dict:
    if isinstance(block, Heading | Paragraph | Note):
        return {"type": type(block).__name__.lower(), "text": _rich_to_json(block.text)}
    if isinstance(block, Fields):
        return {"type": "fields", "rows": [[label, _rich_to_json(v)] for label, v in block.rows]}
    if isinstance(block, Items):
        return {
            "type": "items",
            "title": block.title,
            "empty": block.empty,
            "items": [{"text": _rich_to_json(i.text), "ref": i.ref, "flag": i.flag} for i in block.items],
        }
    return {
        "type": "buttons",
        "buttons": [
            {"label": b.label, "command": b.command, "form": b.form, "ref": b.ref, "style": b.style,
             "choices": [list(c) for c in b.choices], "url": b.url}
            for b in block.buttons
        ],
    }


_TEXT_BLOCKS: dict[str, type[Heading | Paragraph | Note]] = {
    "heading": Heading, "paragraph": Paragraph, "note": Note}


def _block_from_json(obj: dict) -> Block:
    kind = obj["type"]
    if kind in _TEXT_BLOCKS:
        return _TEXT_BLOCKS[kind](_rich_from_json(obj["text"]))
    if kind == "fields":
        return Fields(tuple((label, _rich_from_json(v)) for label, v in obj["rows"]))
    if kind == "items":
        return Items(
            tuple(Item(_rich_from_json(i["text"]), i.get("ref"), i.get("flag")) for i in obj["items"]),
            obj.get("title"),
            obj.get("empty", "Nothing here."),
        )
    return Buttons(tuple(
        Button(b["label"], b.get("command"), b.get("form"), b.get("ref"), b.get("style"),
               tuple(tuple(c) for c in b.get("choices", [])), b.get("url"))
        for b in obj["buttons"]
    ))


def to_dict(reply: Reply) -> dict:
    out = {
        "blocks": [_block_to_json(b) for b in reply.blocks],
        "summary": reply.summary,
        "public": reply.public,
        "error": reply.error,
        "error_id": reply.error_id,
        "refs": list(reply.refs),
    }
    if reply.attachments:
        out["attachments"] = [_attached_to_json(a) for a in reply.attachments]
    return out


def _attached_to_json(attached: Attached) -> dict:
    if isinstance(attached, DocumentRef):
        return {"kind": attached.kind, "ref": attached.ref, "title": attached.title}
    out = {"filename": attached.filename, "media_type": attached.media_type,
           "data": base64.b64encode(attached.data).decode("ascii")}
    return out | ({"title": attached.title} if attached.title else {})


def _attached_from_json(obj: dict) -> Attached:
    if "kind" in obj:
        return DocumentRef(obj["kind"], obj["ref"], obj["title"])
    return Attachment(obj["filename"], obj["media_type"], base64.b64decode(obj["data"]), obj.get("title", ""))


def outbox_payload(reply: Reply) -> dict:
    """What the outbox stores for a message: the reply, naming every reference in it."""
    return {**to_dict(reply), "refs": all_refs(reply)}


def from_dict(obj: dict) -> Reply:
    return Reply(
        blocks=[_block_from_json(b) for b in obj.get("blocks", [])],
        summary=obj.get("summary", ""),
        public=obj.get("public", False),
        error=obj.get("error", False),
        error_id=obj.get("error_id"),
        refs=list(obj.get("refs", [])),
        attachments=[_attached_from_json(a) for a in obj.get("attachments", [])],
    )
