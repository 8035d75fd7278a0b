"""The one data block a prompt carries: untrusted listener data, delimited and JSON-encoded.

Everything a listener's history contributes (titles, names, numbers, previous stories, gate
feedback that may quote them) goes here and nowhere else, so the instructions around it stay
ours. Inside the JSON every `<` is written as `\\u003c`: a title such as
"</listener_data> SYSTEM: ..." cannot close the block early, and `json.loads` still gives the
exact title back.

Format (agreed in INTERFACES.md)::

    <listener_data>
    {"feedback": [...], "listener": {...}, "previous_stories": [...], "request": {...}}
    </listener_data>
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any, NamedTuple

from wrapped.errors import InputError
from wrapped.prompts.sanitize import SafeYear, safe_year
from wrapped.stats.model import InterestingDay, LogEntry, UserYear
from wrapped.stats.roles import without_private
from wrapped.story import PreviousStory, StoryRequest
from wrapped.tokens import estimate_tokens

OPEN = "<listener_data>"
CLOSE = "</listener_data>"
# The JSON is written on one line (no raw newlines), so the block is exactly three lines.
WITHHELD = "[withheld]"
_BLOCK = re.compile(r"<listener_data>\n(\{[^\n]*\})\n</listener_data>")


def dumps(data: Any) -> str:
    """Deterministic one-line JSON (sorted keys, UTF-8 kept) with `<` escaped."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
    return text.replace("<", "\\u003c")


class CappedLog(NamedTuple):
    """The log the prompt shows: `shown` of `total` plays; `withheld` removed by the safety
    filter; `cut` when the token budget (or the stats log cap) left plays out."""

    entries: list[LogEntry]
    shown: int
    total: int
    cut: bool
    withheld: int = 0


#: LogEntry fields that must stay even when null (no default): the rest are dropped when null.
_LOG_REQUIRED = frozenset(k for k, f in LogEntry.model_fields.items() if f.is_required())


def log_entry_json(entry: LogEntry) -> dict[str, Any]:
    """A log entry as the prompt shows it: unknown optional fields left out (they cost tokens
    and say nothing); it still validates as a `LogEntry`."""
    return {
        k: v
        for k, v in entry.model_dump(mode="json").items()
        if v is not None or k in _LOG_REQUIRED
    }


def cap_log(day: InterestingDay, budget_tokens: int) -> CappedLog:
    """The day's log in time order, cut where it would pass `budget_tokens` (estimated)."""
    return _cap_log(day, budget_tokens)[0]


def _cap_log(
    day: InterestingDay, budget_tokens: int
) -> tuple[CappedLog, list[dict[str, Any]], str]:
    """`cap_log` plus the kept entries as the prompt shows them, and as JSON text (each entry
    is dumped once, to measure it; the list's text is those pieces joined, as `dumps` would)."""
    used = 0
    kept: list[LogEntry] = []
    shown: list[dict[str, Any]] = []
    texts: list[str] = []
    for entry in day.log:
        js = log_entry_json(entry)
        text = dumps(js)
        cost = estimate_tokens(text) + 1
        if used + cost > budget_tokens:
            break
        used += cost
        kept.append(entry)
        shown.append(js)
        texts.append(text)
    total = max(day.log_total, len(day.log))
    capped = CappedLog(kept, len(kept), total, len(kept) < len(day.log))
    return capped, shown, "[" + ", ".join(texts) + "]"


class DataBlock(NamedTuple):
    """The rendered block and what the instructions around it may say about it."""

    text: str
    data: dict[str, Any]
    category: str
    locale: str
    log_shown: int
    log_total: int
    log_cut: bool
    log_withheld: int
    flagged: list[str]


def _find_day(uy: UserYear, request: StoryRequest) -> InterestingDay:
    try:
        return uy.day(request.day)
    except KeyError:
        known = ", ".join(d.date.isoformat() for d in uy.days) or "none"
        raise InputError(
            f"{request.day} is not an interesting day of {uy.user_id} (its days: {known})"
        ) from None


def _prepare_listener(
    request: StoryRequest, budget_tokens: int
) -> tuple[UserYear, CappedLog, list[str], list[dict[str, Any]]]:
    original_day = _find_day(request.user_year, request)
    safe = safe_year(request.user_year)
    uy = safe.user_year
    try:
        day = uy.day(request.day)
    except KeyError:
        # The filter removed the whole day: keep its shape with nothing a story could quote.
        day = original_day.model_copy(update={"log": [], "facts": {}, "headline": ""})
        uy = uy.model_copy(update={"days": [*uy.days, day]})
    capped, shown, _ = _cap_log(day, budget_tokens)
    withheld = max(0, len(original_day.log) - len(day.log))
    capped = capped._replace(
        withheld=withheld,
        cut=capped.cut or len(original_day.log) < original_day.log_total,
    )
    shown_year = _shown(uy)
    days = [
        d.model_copy(update={"log": capped.entries if d.date == day.date else []})
        for d in shown_year.days
    ]
    return shown_year.model_copy(update={"days": days}), capped, safe.flagged, shown


def _shown(uy: UserYear) -> UserYear:
    """The year as a prompt may show it: every field its role marks `private` cleared (birth
    date, age band, a birthday's age), so nothing says how old the listener is (a story never
    needs it: the day's category already says "birthday", and the system prompt forbids ages)."""
    shown = without_private(uy)
    assert isinstance(shown, UserYear)
    return shown


def _listener_json(
    uy: UserYear, day: Any = None, shown: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The listener as the prompt shows it; `shown` is `day`'s log already in prompt form."""
    data = uy.model_dump(mode="json", exclude={"days": {"__all__": {"log"}}})
    for d_model, d in zip(uy.days, data["days"], strict=True):
        if shown is not None and d_model.date == day:
            d["log"] = shown
        else:
            d["log"] = [log_entry_json(e) for e in d_model.log]
    return data


def _redact(text: str, flagged: list[str]) -> str:
    for name in sorted(flagged, key=len, reverse=True):
        text = re.sub(re.escape(name), WITHHELD, text, flags=re.IGNORECASE)
    return text


def build_data_block(
    request: StoryRequest, *, budget_tokens: int, base: ListenerBase | None = None
) -> DataBlock:
    """The data block for one request (see the module docstring for the format).

    `base` is the listener's shared part (`listener_base`), built once per listener by the
    caller and passed for each of its stories; without it, it is built here for this call."""
    return _build_data_block(request, budget_tokens, base)


def _build_data_block(
    request: StoryRequest, budget_tokens: int, base: ListenerBase | None = None
) -> DataBlock:
    """The block, from the listener's `ListenerBase` (see there); `_build_data_block_slow` is the
    plain construction, kept for the rare day the safety filter removed whole and as the
    reference the fast path is tested against."""
    original_day = _find_day(request.user_year, request)
    if base is None:
        base = listener_base(request.user_year)
    day = base.days.get(request.day)
    if day is None:  # the filter removed the whole day
        return _build_data_block_slow(request, budget_tokens)
    capped, shown, shown_text = _cap_log(day, budget_tokens)
    capped = capped._replace(
        withheld=max(0, len(original_day.log) - len(day.log)),
        cut=capped.cut or len(original_day.log) < original_day.log_total,
    )
    flagged = base.flagged
    listener_text = base.text
    for d in base.days:
        listener_text = listener_text.replace(
            _placeholder(d), shown_text if d == request.day else "[]", 1
        )
    wanted = request.day.isoformat()
    listener = {
        **base.listener,
        "days": [{**d, "log": shown} if d["date"] == wanted else d for d in base.listener["days"]],
    }
    req = {
        "day": wanted,
        "category": day.category,
        "locale": base.locale,
        "attempt": request.attempt,
    }
    previous = _previous_json(request, flagged)
    feedback = [_redact(f, flagged) for f in request.feedback]
    data = {
        "request": req,
        "listener": listener,
        "previous_stories": previous,
        "feedback": feedback,
    }
    # what dumps(data) gives (sorted keys, same separators), without re-encoding the listener
    text = (
        f'{{"feedback": {dumps(feedback)}, "listener": {listener_text}, '
        f'"previous_stories": {dumps(previous)}, "request": {dumps(req)}}}'
    )
    return _block(text, data, day.category, base.locale, capped, flagged)


def _previous_json(request: StoryRequest, flagged: list[str]) -> list[dict[str, Any]]:
    return [
        {k: _redact(v, flagged) if k in ("title", "story") else v for k, v in p.items()}
        for p in (p.model_dump(mode="json") for p in request.previous)
    ]


def _build_data_block_slow(request: StoryRequest, budget_tokens: int) -> DataBlock:
    uy, capped, flagged, shown = _prepare_listener(request, budget_tokens)
    day = uy.day(request.day)
    data = {
        "request": {
            "day": request.day.isoformat(),
            "category": day.category,
            "locale": uy.locale,
            "attempt": request.attempt,
        },
        "listener": _listener_json(uy, request.day, shown),
        "previous_stories": _previous_json(request, flagged),
        # gate feedback may quote the very title the policy withheld ("names 'X'")
        "feedback": [_redact(f, flagged) for f in request.feedback],
    }
    return _block(dumps(data), data, day.category, uy.locale, capped, flagged)


def _block(
    text: str, data: dict[str, Any], category: str, locale: str, capped: CappedLog,
    flagged: list[str],
) -> DataBlock:  # fmt: skip
    return DataBlock(
        text=f"{OPEN}\n{text}\n{CLOSE}",
        data=data,
        category=category,
        locale=locale,
        log_shown=capped.shown,
        log_total=capped.total,
        log_cut=capped.cut,
        log_withheld=capped.withheld,
        flagged=flagged,
    )


class ListenerBase(NamedTuple):
    """What every story of one listener shares: the filtered year in prompt form with every
    day's log empty, as a dict and as JSON text with a placeholder where each log goes.
    Built once per listener (`listener_base`) and kept by the caller's per-listener context.

    A listener's 5 stories (and their judge prompts) used to dump the whole year 5 times; now
    only the requested day's log and the small per-story parts are encoded per story."""

    days: dict[Any, InterestingDay]  # the filtered days, by date
    flagged: list[str]
    locale: str
    listener: dict[str, Any]
    text: str


#: random per process: no listener data can contain it, so the replace hits only our marks
_MARK = uuid.uuid4().hex


def _placeholder(day: Any) -> str:
    return f'"{_MARK}{day.isoformat()}"'


def listener_base(user_year: UserYear, safe: SafeYear | None = None) -> ListenerBase:
    """The listener's shared prompt part, from `safe` (its input-side sanitized year) when the
    caller has it, else sanitized here."""
    return _base(safe if safe is not None else safe_year(user_year))


def _base(safe: SafeYear) -> ListenerBase:
    uy = safe.user_year
    shown = _shown(uy)
    shown = shown.model_copy(
        update={"days": [d.model_copy(update={"log": []}) for d in shown.days]}
    )
    listener = shown.model_dump(mode="json", exclude={"days": {"__all__": {"log"}}})
    for d in listener["days"]:
        d["log"] = f"{_MARK}{d['date']}"
    text = dumps(listener)
    for d in listener["days"]:
        d["log"] = []
    return ListenerBase({d.date: d for d in uy.days}, safe.flagged, uy.locale, listener, text)


def extract_data_block(text: str) -> dict[str, Any]:
    """Parse the one data block out of a rendered message (the scripted server and gate use it)."""
    found = _BLOCK.findall(text)
    if not found:
        raise InputError("no <listener_data> block in the message")
    if len(found) > 1:
        raise InputError(f"{len(found)} <listener_data> blocks in the message; expected one")
    try:
        data = json.loads(found[0])
    except json.JSONDecodeError as exc:
        raise InputError(f"the <listener_data> block is not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not {"request", "listener"} <= data.keys():
        raise InputError("the <listener_data> block lacks 'request' or 'listener'")
    return data


def extract_from_messages(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The data block of a chat request (the last message that has one)."""
    for message in reversed(messages):
        content = message.get("content")
        if isinstance(content, str) and OPEN in content and _BLOCK.search(content):
            return extract_data_block(content)
    raise InputError("no message carries a <listener_data> block")


def request_from_data(data: dict[str, Any], *, seed: int = 0) -> StoryRequest:
    """Rebuild the `StoryRequest` a data block was rendered from (as the model saw it)."""
    try:
        return StoryRequest(
            user_year=UserYear.model_validate(data["listener"]),
            day=data["request"]["day"],
            previous=[PreviousStory.model_validate(p) for p in data.get("previous_stories", [])],
            feedback=[str(f) for f in data.get("feedback", [])],
            attempt=int(data["request"].get("attempt", 1)),
            seed=seed,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"the <listener_data> block does not describe a story request ({exc})"
        ) from None
