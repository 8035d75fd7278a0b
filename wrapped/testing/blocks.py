"""The scripted server's view of a request's data block: parsed once, validated per listener.

The server stands in for the LLM on the same cores as the pipeline it serves, so its CPU per
call caps the calls per second a benchmark can reach. Two facts make much of its work
repeatable: the judge's prompt carries the very block the writer's prompt carried, and a
listener's stories differ only in the requested day's log (the renderer leaves every other
day's log empty) and the small per-story parts. So a block is parsed once, and a listener's
year with that log left empty (its "base") is parsed and validated once; each request then
decodes and validates only its own log and the small parts.

Every shortcut gives exactly what `extract_from_messages` and `request_from_data` give: a block
not in the renderer's layout, or one that fails anywhere, takes the plain path.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from wrapped.prompts.datablock import CLOSE, OPEN, extract_data_block
from wrapped.stats.model import LogEntry, UserYear
from wrapped.story import StoryRequest
from wrapped.testing import jsonio

#: the renderer's block: one line of JSON between the tags (as in `wrapped.prompts.datablock`)
BLOCK_RE = re.compile(rf"{re.escape(OPEN)}\n(\{{[^\n]*\}})\n{re.escape(CLOSE)}")
_DECODER = json.JSONDecoder()
_LOG = TypeAdapter(list[LogEntry])
_HEAD = '{"feedback": '
_LISTENER = ', "listener": '
_PREVIOUS = ', "previous_stories": '
_REQUEST = ', "request": '
#: where the one non-empty log starts (the renderer writes entries as objects)
_LOG_START = '"log": [{'


class _Base(NamedTuple):
    """A listener as the block shows it, every day's log empty: parsed and validated.

    `days` maps the offset of each `"log": []` in the base's text to the index of the day
    whose log it is (found by decoding the text with a distinct mark in each)."""

    raw: dict[str, Any]
    year: UserYear | None  # None: the base does not validate (the plain path says why)
    days: dict[int, int]


class Block(NamedTuple):
    """A parsed data block. Shared by every request that carries it: read-only."""

    text: str  # the block's JSON, as sent
    data: dict[str, Any]  # equal to json.loads(text)
    base: _Base | None = None  # data["listener"] is this base with day `day`'s log `log`
    day: int = -1
    log: list[Any] | None = None


def _raw_listener(base: _Base, day: int, log: list[Any]) -> dict[str, Any]:
    days = list(base.raw["days"])
    days[day] = {**days[day], "log": log}
    return {**base.raw, "days": days}


class _Cut(NamedTuple):
    """A block's text around its listener's one non-empty log: the base's key and the rest."""

    start: int  # where the listener's value starts
    key: str  # the listener's text with that log written `[]`
    offset: int  # where the log starts in the listener's text
    log: list[Any]
    stop: int  # where `, "previous_stories": ` starts


def _cut(text: str) -> tuple[list[Any], _Cut] | None:
    """Find the listener's first non-empty log without decoding the rest of the listener."""
    if not text.startswith(_HEAD):
        return None
    feedback, pos = _DECODER.raw_decode(text, len(_HEAD))
    if not text.startswith(_LISTENER, pos):
        return None
    start = pos + len(_LISTENER)
    at = text.find(_LOG_START, start)
    if at < 0:
        return None
    at += len('"log": ')
    log, end = _DECODER.raw_decode(text, at)
    stop = text.find(_PREVIOUS, end)
    if stop < 0:
        return None
    return feedback, _Cut(start, f"{text[start:at]}[]{text[end:stop]}", at - start, log, stop)


def _tail(text: str, stop: int) -> tuple[Any, Any] | None:
    """previous_stories and request, when the text after `stop` is exactly those two values."""
    previous, pos = _DECODER.raw_decode(text, stop + len(_PREVIOUS))
    if not text.startswith(_REQUEST, pos):
        return None
    request, pos = _DECODER.raw_decode(text, pos + len(_REQUEST))
    if pos != len(text) - 1 or text[pos] != "}" or not isinstance(request, dict):
        return None
    return previous, request


_EMPTY_LOG = re.compile(r'"log": \[\]')


def _new_base(text: str) -> _Base | None:
    """Decode a base, and find which day's log each `"log": []` in its text is.

    Each is decoded once more with a distinct mark in place of `[]`: a day whose log is empty
    in the base and holds mark k in the marked text has its log at occurrence k (the text
    before a `"log": ` value is a key, so each replacement is one whole value)."""
    spots = [m.end() - 2 for m in _EMPTY_LOG.finditer(text)]
    if not spots:
        return None
    pieces, last = [], 0
    for k, at in enumerate(spots):
        pieces += [text[last:at], f"[{k}]"]
        last = at + 2
    pieces.append(text[last:])
    try:
        raw, marked = jsonio.loads(text), jsonio.loads("".join(pieces))
    except ValueError:
        return None
    if not isinstance(raw, dict) or not isinstance(marked, dict):
        return None
    days, marked_days = raw.get("days"), marked.get("days")
    if not isinstance(days, list) or not isinstance(marked_days, list):
        return None
    found: dict[int, int] = {}
    for i, (d, m) in enumerate(zip(days, marked_days, strict=False)):
        if not (isinstance(d, dict) and isinstance(m, dict) and d.get("log") == []):
            continue
        mark = m.get("log")
        if isinstance(mark, list) and len(mark) == 1 and type(mark[0]) is int:
            k = mark[0]
            if 0 <= k < len(spots) and spots[k] not in found:
                found[spots[k]] = i
    if not found:
        return None
    try:
        year: UserYear | None = UserYear.model_validate(raw)
    except ValueError:
        year = None
    return _Base(raw, year, found)


class BlockMemo:
    """Bounded memos of parsed blocks (by their text) and of listeners' bases."""

    def __init__(self, blocks: int = 512, bases: int = 256) -> None:
        self._blocks: OrderedDict[str, Block] = OrderedDict()
        self._bases: OrderedDict[str, _Base] = OrderedDict()
        self._sizes = (blocks, bases)

    def find(self, messages: list[Any]) -> Block | None:
        """The block `extract_from_messages(messages)` would parse (the last message that has
        one), or None where it would raise."""
        try:
            for message in reversed(messages):
                content = message.get("content")
                if isinstance(content, str) and OPEN in content:
                    found = BLOCK_RE.findall(content)
                    if found:
                        return self._block(found[0]) if len(found) == 1 else None
        except Exception:  # not a list of messages, a block that is not a block: no data
            return None
        return None

    def _block(self, text: str) -> Block:
        hit = self._blocks.get(text)
        if hit is not None:
            self._blocks.move_to_end(text)
            return hit
        try:
            block = self._from_base(text)
        except ValueError:  # not JSON where the layout expects it: the plain parse says so
            block = None
        if block is None:  # raises as extract_from_messages does
            block = Block(text, extract_data_block(f"{OPEN}\n{text}\n{CLOSE}"))
        self._blocks[text] = block
        if len(self._blocks) > self._sizes[0]:
            self._blocks.popitem(last=False)
        return block

    def _from_base(self, text: str) -> Block | None:
        """The block from its listener's base, decoding only the log and the other parts.

        The base's text is a complete JSON value whose `[]` at the log's offset is a known
        day's log, and the log is a complete value too, so the listener's text here is the
        base's with that `[]` replaced by the log: it decodes to the base with that day's log
        set, and the values around it are decoded as `json.loads` would."""
        found = _cut(text)
        if found is None:
            return None
        feedback, cut = found
        base = self._base(cut.key)
        if base is None or cut.offset not in base.days:
            return None
        tail = _tail(text, cut.stop)
        if tail is None:
            return None
        day = base.days[cut.offset]
        data = {
            "feedback": feedback,
            "listener": _raw_listener(base, day, cut.log),
            "previous_stories": tail[0],
            "request": tail[1],
        }
        return Block(text, data, base, day, cut.log)

    def _base(self, key: str) -> _Base | None:
        base = self._bases.get(key)
        if base is not None:
            self._bases.move_to_end(key)
            return base
        base = _new_base(key)
        if base is not None:
            self._bases[key] = base
            if len(self._bases) > self._sizes[1]:
                self._bases.popitem(last=False)
        return base

    def story_request(self, block: Block, seed: int) -> StoryRequest:
        """`request_from_data(block.data, seed=seed)`, with the listener's year built from its
        base (the plain call, whenever the shortcut does not apply, raises the same)."""
        from wrapped.prompts import request_from_data

        year = self._year(block)
        if year is not None:
            try:
                return request_from_data({**block.data, "listener": year}, seed=seed)
            except Exception:  # the plain path below reports what is wrong with the block
                pass
        return request_from_data(block.data, seed=seed)

    @staticmethod
    def _year(block: Block) -> UserYear | None:
        """The listener's `UserYear`: the base's, with its day's log validated and set (the
        models have no cross-field validators, so this equals validating the whole)."""
        base, log = block.base, block.log
        if base is None or base.year is None or log is None:
            return None
        try:
            entries = _LOG.validate_python(log)
        except ValueError:
            return None
        days = list(base.year.days)
        days[block.day] = days[block.day].model_copy(update={"log": entries})
        return base.year.model_copy(update={"days": days})
