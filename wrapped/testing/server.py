"""The scripted OpenAI-compatible server: real HTTP (aiohttp), scripted replies and faults.

Routes: POST /v1/chat/completions, GET /v1/models, GET /_log (the request log), DELETE /_log
(clear it and the delivery counts), GET/POST /_script (read or replace the `Script`).

Writer requests (any model but the script's judge model) get a story built from the request's
data block: `wrapped.writer.compose(StoryRequest rebuilt from the block)`, or the script's
fixed draft, possibly with a planted defect. Judge requests get
`wrapped.testing.scripted_judge.judge_reply(messages)`. Both imports are lazy: the server
starts (and serves faults) without them. The choices are the `engine`'s; the bodies on the wire
are built in `wire`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from aiohttp import web
from pydantic import ValidationError

from wrapped.testing import jsonio
from wrapped.testing.engine import Decision, Engine, LogRecord, request_context
from wrapped.testing.script import Script
from wrapped.testing.wire import STATUS, completion_body, error, prompt_tokens, shaped, status_fault
from wrapped.turns import cpu_turn

log = logging.getLogger("wrapped.testing")


def _loggable(rec: dict[str, Any]) -> bool:
    """Whether `rec` is a valid LogRecord as it stands (the data block's fields are whatever
    the client sent; the rest the server sets)."""
    texts = (rec["model"], rec["user_id"], rec["day"], rec["response_format"])
    attempt = rec["attempt"]
    return all(v is None or type(v) is str for v in texts) and (
        attempt is None or type(attempt) is int
    )


ENGINE = web.AppKey("engine", Engine)


class _Routes:
    """The handlers of one app around its `Engine`, and the request log they write."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.counter = iter(range(1, 2**62))

    def record(
        self,
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
            "id": len(self.engine.records) + 1,
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
        self.engine.records.append(rec)

    async def chat(self, request: web.Request) -> web.StreamResponse:
        """POST /v1/chat/completions: the script's decision for this delivery, sent on time."""
        engine = self.engine
        s = engine.script
        path = request.path
        names = tuple(request.headers)
        retries = request.headers.get("X-Stainless-Retry-Count", "")
        retry_count = int(retries) if retries.isascii() and retries.isdigit() else None

        def logged(*args: Any) -> None:
            self.record(*args, headers=names, retry_count=retry_count)

        loop = asyncio.get_running_loop()
        arrived = loop.time()
        if s.api_key is not None and request.headers.get("Authorization") != f"Bearer {s.api_key}":
            logged(None, path, "fault:unauthorized", 401)
            return error(*STATUS["unauthorized"])
        raw = await request.read()
        # Reading the body and building the reply is this server's CPU work; replies whose time
        # has come are sent between two such steps, not after every one that was ready before.
        await cpu_turn()
        try:
            body = jsonio.loads(raw)
            assert isinstance(body, dict) and isinstance(body.get("messages"), list)
        except (ValueError, AssertionError):
            logged(None, path, "bad_body", 400)
            return error(400, "invalid_request_error", "body is not a chat completion request")
        body_hash = hashlib.sha256(raw).hexdigest()
        try_ = engine.seen[body_hash] = engine.seen.get(body_hash, 0) + 1
        ctx = request_context(body, s.judge_model, engine)
        decision = engine.decide(ctx, body_hash, try_)
        delay = s.latency_ms / 1000.0
        if s.jitter_ms:
            delay += engine.rng(body_hash, try_, "jitter").uniform(0, s.jitter_ms / 1000.0)
        fault = decision.fault
        if fault == "hang":
            logged(ctx, path, "fault:hang", 504, try_)
            await asyncio.sleep(s.hang_s)
            return error(504, "timeout", "scripted hang")
        deadline = arrived + delay

        async def answer() -> None:
            # the reply leaves `latency_ms` after the request came in, however long building
            # it took (a real endpoint's compute runs on its own machine, not on this one's
            # time line); a reply that took longer than that leaves as soon as it is ready
            rest = deadline - loop.time()
            if rest > 0:
                await asyncio.sleep(rest)

        fmt = body.get("response_format") or {}
        if s.reject_json_schema and fmt.get("type") == "json_schema":
            await answer()
            logged(ctx, path, "rejected:json_schema", 500, try_)
            return error(500, "server_error", "json_schema response_format is not supported")
        if fault in STATUS:
            await answer()
            response = status_fault(fault, decision, s)
            logged(ctx, path, f"fault:{fault}", STATUS[fault][0], try_)
            return response
        sent = _Sent(ctx, path, try_, answer, logged)
        return await self._reply(sent, body, decision, body_hash)

    async def _reply(
        self, sent: _Sent, body: dict[str, Any], decision: Decision, body_hash: str
    ) -> web.StreamResponse:
        """A 200 (or the 500 of a reply the script cannot build), spoiled as its fault asks."""
        ctx, path, try_ = sent.ctx, sent.path, sent.try_
        fault = decision.fault
        model = str(body.get("model") or "scripted")
        n = next(self.counter)
        n_prompt = prompt_tokens(ctx["messages"])
        if fault == "malformed":
            await sent.answer()
            sent.logged(ctx, path, "fault:malformed", 200, try_)
            text = json.dumps(completion_body(model, "{}", "stop", n_prompt, n))
            return web.Response(text=text[: len(text) // 2], content_type="application/json")
        try:
            content = self.engine.content(ctx, decision, body_hash, try_)
        except Exception as exc:  # a reply the script cannot build is a 500, logged, not a crash
            await sent.answer()
            log.warning("scripted server cannot build a reply: %s", exc)
            sent.logged(ctx, path, f"error:{type(exc).__name__}", 500, try_)
            return error(500, "server_error", f"scripted reply failed: {type(exc).__name__}")
        outcome = "judge" if ctx["kind"] == "judge" else "ok"
        if decision.defect:
            outcome = f"defect:{decision.defect}"
        content, finish, outcome = shaped(content, fault, outcome)
        reply = completion_body(model, content, finish, n_prompt, n)
        await sent.answer()
        sent.logged(ctx, path, outcome, 200, try_)
        return jsonio.response(reply)

    async def models(self, request: web.Request) -> web.Response:
        data = [
            {"id": m, "object": "model", "created": 0, "owned_by": "wrapped-scripted"}
            for m in self.engine.script.models
        ]
        return jsonio.response({"object": "list", "data": data})

    async def get_log(self, request: web.Request) -> web.Response:
        return jsonio.response([r.model_dump() for r in self.engine.log])

    async def clear_log(self, request: web.Request) -> web.Response:
        self.engine.clear()
        return jsonio.response({"cleared": True})

    async def get_script(self, request: web.Request) -> web.Response:
        return jsonio.response(self.engine.script.model_dump(mode="json"))

    async def set_script(self, request: web.Request) -> web.Response:
        try:
            self.engine.replace(Script.model_validate_json(await request.read()))
        except ValidationError as exc:
            return error(400, "invalid_script", str(exc.errors()[0]["msg"]))
        return jsonio.response(self.engine.script.model_dump(mode="json"))


class _Sent(NamedTuple):
    """One delivery being answered: its context, when to answer, and how to log it."""

    ctx: dict[str, Any]
    path: str
    try_: int
    answer: Callable[[], Awaitable[None]]
    logged: Callable[..., None]


def build_app(script: Script) -> web.Application:
    """The aiohttp application around one `Engine`."""
    engine = Engine(script)
    app = web.Application(client_max_size=32 * 2**20)
    app[ENGINE] = engine
    routes = _Routes(engine)
    app.router.add_post("/v1/chat/completions", routes.chat)
    app.router.add_post("/chat/completions", routes.chat)
    app.router.add_get("/v1/models", routes.models)
    app.router.add_get("/_log", routes.get_log)
    app.router.add_delete("/_log", routes.clear_log)
    app.router.add_get("/_script", routes.get_script)
    app.router.add_post("/_script", routes.set_script)
    return app
