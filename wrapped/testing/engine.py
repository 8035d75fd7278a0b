"""The scripted server's state and choices: which rule fires, which fault or defect, what reply.

`Engine` holds the `Script`, the request log and the delivery counts of one running server;
`request_context` reads what rules match on from a chat-completion body. Every random draw is
seeded by the script's seed and the request's body, so a run is reproducible.
"""

from __future__ import annotations

import hashlib
import random
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wrapped.story import Draft
from wrapped.testing.defects import plant
from wrapped.testing.script import Rule, Script

if TYPE_CHECKING:
    from wrapped.testing.blocks import Block, BlockMemo


class LogRecord(BaseModel):
    """One request as the server saw it."""

    model_config = ConfigDict(extra="forbid")

    id: int
    ts: str
    path: str
    model: str | None = None
    user_id: str | None = None
    day: str | None = None
    attempt: int | None = None
    delivery: int = Field(default=1, description="how many times this exact body was seen")
    outcome: str
    status: int
    paid: bool
    kind: Literal["writer", "judge", "other"] = "writer"
    response_format: str | None = Field(
        default=None, description="the request's response_format type (json_schema, ...)"
    )
    headers: list[str] = Field(
        default_factory=list,
        description="the names of the request's headers, as sent (never their values)",
    )
    retry_count: int | None = Field(
        default=None,
        description="the request's X-Stainless-Retry-Count (retries its client says it took "
        "before this one), when it sent a whole number",
    )


class Decision(BaseModel):
    """What the script decided for one delivery of a request (nothing: a plain reply)."""

    model_config = ConfigDict(extra="forbid")

    fault: str | None = None
    defect: str | None = None
    retry_after_s: float | None = None
    retry_after_http_date: bool = False


class Engine:
    """The script, the log and the delivery counts; one per running server."""

    def __init__(self, script: Script) -> None:
        self.script = script
        # plain dicts: a LogRecord per request cost more than the rest of recording it;
        # `log` builds the models when asked (GET /_log)
        self.records: list[dict[str, Any]] = []
        self.seen: dict[str, int] = {}
        self.fired: dict[int, int] = {}
        self._grounded: OrderedDict[tuple[str, int], Draft] = OrderedDict()
        self._blocks: BlockMemo | None = None

    @property
    def blocks(self) -> BlockMemo:
        """Parsed data blocks and listeners' validated years (imported on first use: the
        server serves faults without the prompts package)."""
        if self._blocks is None:
            from wrapped.testing.blocks import BlockMemo

            self._blocks = BlockMemo()
        return self._blocks

    @property
    def log(self) -> list[LogRecord]:
        """The request log, oldest first."""
        return [LogRecord(**r) for r in self.records]

    def replace(self, script: Script) -> None:
        self.script = script
        self.fired.clear()

    def clear(self) -> None:
        self.records.clear()
        self.seen.clear()
        self.fired.clear()

    # -- deciding ---------------------------------------------------------------------------

    def rng(self, body_hash: str, try_: int, salt: str) -> random.Random:
        seed = f"{self.script.seed}:{body_hash}:{try_}:{salt}"
        return random.Random(hashlib.sha256(seed.encode()).digest())

    def decide(self, ctx: dict[str, Any], body_hash: str, try_: int) -> Decision:
        s = self.script
        for i, rule in enumerate(s.rules):
            if not _matches(rule, ctx, try_):
                continue
            if rule.probability < 1.0 and self.rng(body_hash, try_, f"r{i}").random() >= (
                rule.probability
            ):
                continue
            if rule.times is not None:
                if self.fired.get(i, 0) >= rule.times:
                    continue
                self.fired[i] = self.fired.get(i, 0) + 1
            return Decision(
                fault=rule.fault,
                defect=rule.defect,
                retry_after_s=rule.retry_after_s,
                retry_after_http_date=rule.retry_after_http_date,
            )
        persona = s.personas.get(ctx["model"] or "") if ctx["kind"] == "writer" else None
        if persona is not None and persona.defect_rate:
            rng = self.rng(body_hash, try_, "persona")
            if rng.random() < persona.defect_rate and persona.defect_mix:
                mix = persona.defect_mix
                if persona.together:
                    return Decision(defect="+".join(mix))
                return Decision(defect=rng.choices(list(mix), weights=list(mix.values()))[0])
        if not s.fault_rate and not (s.defect_rate and ctx["kind"] == "writer"):
            return Decision()  # nothing to draw (the generator is seeded per request anyway)
        rng = self.rng(body_hash, try_, "background")
        if s.fault_rate and rng.random() < s.fault_rate and s.fault_mix:
            fault = rng.choices(list(s.fault_mix), weights=list(s.fault_mix.values()))[0]
            return Decision(fault=fault, retry_after_s=s.retry_after_s)
        if s.defect_rate and ctx["kind"] == "writer" and rng.random() < s.defect_rate:
            defect = rng.choices(list(s.defect_mix), weights=list(s.defect_mix.values()))[0]
            return Decision(defect=defect)
        return Decision()

    # -- replying ---------------------------------------------------------------------------

    def grounded(self, block: Block | None, model: str | None = None) -> Draft:
        """compose() on the data block, memoised (the same block and seed compose the same);
        the fixed draft for a `reply="fixed"` script or persona."""
        persona = self.script.personas.get(model or "")
        fixed = self.script.reply == "fixed" or (persona is not None and persona.reply == "fixed")
        if block is None or fixed:
            return self.script.fixed_draft
        key = (block.text, self.script.seed)
        hit = self._grounded.get(key)
        if hit is not None:
            return hit
        from wrapped.writer import compose

        request = self.blocks.story_request(block, self.script.seed)
        # The year is the one the prompt showed, already through the input-side filter (the
        # renderer builds every block from the sanitized year); a model does not filter its
        # prompt again, and filtering it again was a fifth of this server's CPU per call.
        draft = self._grounded[key] = compose(request, sanitized=request.user_year)
        if len(self._grounded) > 1024:
            self._grounded.popitem(last=False)
        return draft

    def content(self, ctx: dict[str, Any], decision: Decision, body_hash: str, try_: int) -> str:
        if ctx["kind"] == "judge":
            from wrapped.testing.scripted_judge import judge_reply

            return judge_reply(ctx["messages"], ctx["data"])
        draft = self.grounded(ctx["block"], ctx["model"])
        if decision.defect:
            rng = self.rng(body_hash, try_, "defect")
            for defect in decision.defect.split("+"):  # a persona's defects planted together
                draft = plant(defect, draft, ctx["data"] or {}, rng)
        return draft.model_dump_json()


def _matches(rule: Rule, ctx: dict[str, Any], try_: int) -> bool:
    return (
        (rule.user_id is None or rule.user_id == ctx["user_id"])
        and (rule.day is None or rule.day == ctx["day"])
        and (rule.category is None or rule.category == ctx["category"])
        and (rule.model is None or rule.model == ctx["model"])
        and (rule.attempt is None or ctx["attempt"] in rule.attempt)
        and (rule.tries is None or try_ in rule.tries)
    )


#: what only a judge's prompt holds: the panel's <draft> block (a writer's data block escapes
#: every "<"), or the full suite's case markers and rubric tags
_JUDGE_MARKS = ("\n<draft>\n", "<<STORY>>", "[rubric:")


def _judge_prompt(messages: list[Any]) -> bool:
    """A judge request sent with the writer's model (the default judge is the writer's model at
    the writer's endpoint) is still answered as a judge."""
    return any(
        isinstance(m, dict)
        and isinstance(m.get("content"), str)
        and any(mark in m["content"] for mark in _JUDGE_MARKS)
        for m in messages
    )


def request_context(
    body: dict[str, Any], judge_model: str, engine: Engine | None = None
) -> dict[str, Any]:
    """What rules match on and the log records, with the request's data block (parsed through
    `engine`'s memo when given)."""
    messages = body.get("messages") or []
    model = body.get("model")
    ctx: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "kind": "judge" if model == judge_model or _judge_prompt(messages) else "writer",
        "block": None,
        "data": None,
        "user_id": None,
        "day": None,
        "category": None,
        "attempt": None,
        "response_format": (body.get("response_format") or {}).get("type"),
    }
    try:
        if engine is not None:
            blocks = engine.blocks
        else:
            from wrapped.testing.blocks import BlockMemo

            blocks = BlockMemo()
        block = blocks.find(messages)
    except Exception:  # the prompts package is unavailable
        return ctx
    if block is None:  # no block (a plain chat, a judge prompt)
        return ctx
    data = block.data
    request = data.get("request") or {}
    ctx.update(
        block=block,
        data=data,
        user_id=(data.get("listener") or {}).get("user_id"),
        day=request.get("day"),
        category=request.get("category"),
        attempt=request.get("attempt"),
    )
    return ctx
