"""The scripted OpenAI-compatible server: real HTTP (aiohttp), scripted replies and faults.

Routes: POST /v1/chat/completions, GET /v1/models, GET /_log (the request log), DELETE /_log
(clear it and the delivery counts), GET/POST /_script (read or replace the `Script`).

Writer requests (any model but the script's judge model) get a story built from the request's
data block: `wrapped.writer.compose(StoryRequest rebuilt from the block)`, or the script's
fixed draft, possibly with a planted defect. Judge requests get
`wrapped.testing.scripted_judge.judge_reply(messages)`. Both imports are lazy: the server
starts (and serves faults) without them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import time
from collections import OrderedDict
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wrapped.story import Draft
from wrapped.testing import jsonio
from wrapped.testing.defects import plant
from wrapped.testing.script import Rule, Script
from wrapped.turns import cpu_turn

if TYPE_CHECKING:
    from wrapped.testing.blocks import Block, BlockMemo

log = logging.getLogger("wrapped.testing")


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
    model_config = ConfigDict(extra="forbid")

    fault: str | None = None
    defect: str | None = None
    retry_after_s: float | None = None
    retry_after_http_date: bool = False


_STATUS = {
    "bad_request": (400, "invalid_request_error", "the scripted server rejected this request"),
    "unauthorized": (401, "invalid_api_key", "Incorrect API key provided."),
    "forbidden": (403, "permission_denied", "This key has no access to the model."),
    "not_found": (404, "model_not_found", "The model does not exist."),
    "rate_limit": (429, "rate_limit_exceeded", "Rate limit reached (scripted)."),
    "server_error": (500, "server_error", "The server had an error (scripted)."),
    "unavailable": (503, "service_unavailable", "The engine is overloaded (scripted)."),
}


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"message": message, "type": code, "code": code, "param": None}}
    return jsonio.response(body, status=status, headers=headers)


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

    def _rng(self, body_hash: str, try_: int, salt: str) -> random.Random:
        seed = f"{self.script.seed}:{body_hash}:{try_}:{salt}"
        return random.Random(hashlib.sha256(seed.encode()).digest())

    def decide(self, ctx: dict[str, Any], body_hash: str, try_: int) -> Decision:
        s = self.script
        for i, rule in enumerate(s.rules):
            if not _matches(rule, ctx, try_):
                continue
            if rule.probability < 1.0 and self._rng(body_hash, try_, f"r{i}").random() >= (
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
        if not s.fault_rate and not (s.defect_rate and ctx["kind"] == "writer"):
            return Decision()  # nothing to draw (the generator is seeded per request anyway)
        rng = self._rng(body_hash, try_, "background")
        if s.fault_rate and rng.random() < s.fault_rate and s.fault_mix:
            fault = rng.choices(list(s.fault_mix), weights=list(s.fault_mix.values()))[0]
            return Decision(fault=fault, retry_after_s=s.retry_after_s)
        if s.defect_rate and ctx["kind"] == "writer" and rng.random() < s.defect_rate:
            defect = rng.choices(list(s.defect_mix), weights=list(s.defect_mix.values()))[0]
            return Decision(defect=defect)
        return Decision()

    # -- replying ---------------------------------------------------------------------------

    def grounded(self, block: Block | None) -> Draft:
        """compose() on the data block, memoised (the same block and seed compose the same)."""
        if block is None or self.script.reply == "fixed":
            return self.script.fixed_draft
        key = (block.text, self.script.seed)
        hit = self._grounded.get(key)
        if hit is not None:
            return hit
        from wrapped.writer import compose

        draft = self._grounded[key] = compose(self.blocks.story_request(block, self.script.seed))
        if len(self._grounded) > 1024:
            self._grounded.popitem(last=False)
        return draft

    def content(self, ctx: dict[str, Any], decision: Decision, body_hash: str, try_: int) -> str:
        if ctx["kind"] == "judge":
            from wrapped.testing.scripted_judge import judge_reply

            return judge_reply(ctx["messages"], ctx["data"])
        draft = self.grounded(ctx["block"])
        if decision.defect:
            rng = self._rng(body_hash, try_, "defect")
            draft = plant(decision.defect, draft, ctx["data"] or {}, rng)
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


def _context(body: dict, judge_model: str, engine: Engine | None = None) -> dict:
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


def _loggable(rec: dict[str, Any]) -> bool:
    """Whether `rec` is a valid LogRecord as it stands (the data block's fields are whatever
    the client sent; the rest the server sets)."""
    texts = (rec["model"], rec["user_id"], rec["day"], rec["response_format"])
    attempt = rec["attempt"]
    return all(v is None or type(v) is str for v in texts) and (
        attempt is None or type(attempt) is int
    )


def _tokens(messages: list[dict[str, Any]]) -> int:
    return sum(len(str(m.get("content", ""))) for m in messages) // 4 + 4 * len(messages)


def _completion(
    model: str, content: str, finish: str, prompt_tokens: int, n: int
) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-scripted-{n}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(content) // 4,
            "total_tokens": prompt_tokens + len(content) // 4,
        },
    }


ENGINE = web.AppKey("engine", Engine)


def build_app(script: Script) -> web.Application:
    """The aiohttp application around one `Engine`."""
    engine = Engine(script)
    app = web.Application(client_max_size=32 * 2**20)
    app[ENGINE] = engine
    counter = iter(range(1, 2**62))

    def record(
        ctx: dict[str, Any] | None,
        path: str,
        outcome: str,
        status: int,
        try_: int = 1,
        *,
        headers: tuple[str, ...] = (),
        retry_count: int | None = None,
    ) -> None:
        ctx = ctx or {}
        rec = {
            "id": len(engine.records) + 1,
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "path": path,
            "model": ctx.get("model"),
            "user_id": ctx.get("user_id"),
            "day": ctx.get("day"),
            "attempt": ctx.get("attempt"),
            "delivery": try_,
            "outcome": outcome,
            "status": status,
            "paid": status == 200,
            "kind": ctx.get("kind", "other"),
            "response_format": ctx.get("response_format"),
            "headers": list(headers),
            "retry_count": retry_count,
        }
        if not _loggable(rec):  # validate now, failing the request as a LogRecord always did
            rec = LogRecord(**rec).model_dump()
        engine.records.append(rec)

    async def chat(request: web.Request) -> web.StreamResponse:
        s = engine.script
        path = request.path
        names = tuple(request.headers)
        retries = request.headers.get("X-Stainless-Retry-Count", "")
        retry_count = int(retries) if retries.isascii() and retries.isdigit() else None

        def logged(*args: Any) -> None:
            record(*args, headers=names, retry_count=retry_count)

        loop = asyncio.get_running_loop()
        arrived = loop.time()

        async def answer_at(deadline: float) -> None:
            # the reply leaves `latency_ms` after the request came in, however long building
            # it took (a real endpoint's compute runs on its own machine, not on this one's
            # time line); a reply that took longer than that leaves as soon as it is ready
            rest = deadline - loop.time()
            if rest > 0:
                await asyncio.sleep(rest)

        if s.api_key is not None and request.headers.get("Authorization") != f"Bearer {s.api_key}":
            logged(None, path, "fault:unauthorized", 401)
            return _error(*_STATUS["unauthorized"])
        raw = await request.read()
        # Reading the body and building the reply is this server's CPU work; replies whose time
        # has come are sent between two such steps, not after every one that was ready before.
        await cpu_turn()
        try:
            body = jsonio.loads(raw)
            assert isinstance(body, dict) and isinstance(body.get("messages"), list)
        except (ValueError, AssertionError):
            logged(None, path, "bad_body", 400)
            return _error(400, "invalid_request_error", "body is not a chat completion request")
        body_hash = hashlib.sha256(raw).hexdigest()
        try_ = engine.seen[body_hash] = engine.seen.get(body_hash, 0) + 1
        ctx = _context(body, s.judge_model, engine)
        decision = engine.decide(ctx, body_hash, try_)
        delay = s.latency_ms / 1000.0
        if s.jitter_ms:
            delay += engine._rng(body_hash, try_, "jitter").uniform(0, s.jitter_ms / 1000.0)
        fault = decision.fault
        if fault == "hang":
            logged(ctx, path, "fault:hang", 504, try_)
            await asyncio.sleep(s.hang_s)
            return _error(504, "timeout", "scripted hang")
        deadline = arrived + delay
        fmt = body.get("response_format") or {}
        if s.reject_json_schema and fmt.get("type") == "json_schema":
            await answer_at(deadline)
            logged(ctx, path, "rejected:json_schema", 500, try_)
            return _error(500, "server_error", "json_schema response_format is not supported")
        if fault in _STATUS:
            await answer_at(deadline)
            status, code, message = _STATUS[fault]
            headers = {}
            after = decision.retry_after_s
            if after is None and fault == "rate_limit":
                after = s.retry_after_s
            if after is not None and fault in ("rate_limit", "unavailable"):
                if decision.retry_after_http_date:
                    # HTTP dates have whole seconds: round up so the wait is never shorter
                    when = datetime.fromtimestamp(int(time.time() + after) + 1, UTC)
                    headers["Retry-After"] = format_datetime(when, usegmt=True)
                else:
                    headers["Retry-After"] = f"{after:g}"
            logged(ctx, path, f"fault:{fault}", status, try_)
            return _error(status, code, message, headers)
        model = str(body.get("model") or "scripted")
        n = next(counter)
        prompt_tokens = _tokens(ctx["messages"])
        if fault == "malformed":
            await answer_at(deadline)
            logged(ctx, path, "fault:malformed", 200, try_)
            text = json.dumps(_completion(model, "{}", "stop", prompt_tokens, n))
            return web.Response(text=text[: len(text) // 2], content_type="application/json")
        try:
            content = engine.content(ctx, decision, body_hash, try_)
        except Exception as exc:  # a reply the script cannot build is a 500, logged, not a crash
            await answer_at(deadline)
            log.warning("scripted server cannot build a reply: %s", exc)
            logged(ctx, path, f"error:{type(exc).__name__}", 500, try_)
            return _error(500, "server_error", f"scripted reply failed: {type(exc).__name__}")
        finish = "stop"
        outcome = "judge" if ctx["kind"] == "judge" else "ok"
        if decision.defect:
            outcome = f"defect:{decision.defect}"
        if fault == "truncated":
            content, finish, outcome = (
                content[: max(1, len(content) // 2)],
                "length",
                "fault:truncated",
            )
        elif fault == "content_filter":
            content, finish, outcome = "", "content_filter", "fault:content_filter"
        elif fault == "invalid_output":
            content = "Here is a lovely story about your day, written in plain prose."
            outcome = "fault:invalid_output"
        reply = _completion(model, content, finish, prompt_tokens, n)
        await answer_at(deadline)
        logged(ctx, path, outcome, 200, try_)
        return jsonio.response(reply)

    async def models(request: web.Request) -> web.Response:
        data = [
            {"id": m, "object": "model", "created": 0, "owned_by": "wrapped-scripted"}
            for m in engine.script.models
        ]
        return jsonio.response({"object": "list", "data": data})

    async def get_log(request: web.Request) -> web.Response:
        return jsonio.response([r.model_dump() for r in engine.log])

    async def clear_log(request: web.Request) -> web.Response:
        engine.clear()
        return jsonio.response({"cleared": True})

    async def get_script(request: web.Request) -> web.Response:
        return jsonio.response(engine.script.model_dump(mode="json"))

    async def set_script(request: web.Request) -> web.Response:
        try:
            engine.replace(Script.model_validate_json(await request.read()))
        except ValidationError as exc:
            return _error(400, "invalid_script", str(exc.errors()[0]["msg"]))
        return jsonio.response(engine.script.model_dump(mode="json"))

    app.router.add_post("/v1/chat/completions", chat)
    app.router.add_post("/chat/completions", chat)
    app.router.add_get("/v1/models", models)
    app.router.add_get("/_log", get_log)
    app.router.add_delete("/_log", clear_log)
    app.router.add_get("/_script", get_script)
    app.router.add_post("/_script", set_script)
    return app
