"""What the scripted server sends: OpenAI-shaped error bodies, completions and fault replies."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from aiohttp import web

from wrapped.testing import jsonio
from wrapped.testing.engine import Decision
from wrapped.testing.script import Script

#: fault -> (HTTP status, error code, message) as OpenAI's API sends them
STATUS = {
    "bad_request": (400, "invalid_request_error", "the scripted server rejected this request"),
    "unauthorized": (401, "invalid_api_key", "Incorrect API key provided."),
    "forbidden": (403, "permission_denied", "This key has no access to the model."),
    "not_found": (404, "model_not_found", "The model does not exist."),
    "rate_limit": (429, "rate_limit_exceeded", "Rate limit reached (scripted)."),
    "server_error": (500, "server_error", "The server had an error (scripted)."),
    "unavailable": (503, "service_unavailable", "The engine is overloaded (scripted)."),
}


def error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"message": message, "type": code, "code": code, "param": None}}
    return jsonio.response(body, status=status, headers=headers)


def status_fault(fault: str, decision: Decision, script: Script) -> web.Response:
    """The error reply of a status fault, with a Retry-After where the fault has one."""
    status, code, message = STATUS[fault]
    headers = {}
    after = decision.retry_after_s
    if after is None and fault == "rate_limit":
        after = script.retry_after_s
    if after is not None and fault in ("rate_limit", "unavailable"):
        if decision.retry_after_http_date:
            # HTTP dates have whole seconds: round up so the wait is never shorter
            when = datetime.fromtimestamp(int(time.time() + after) + 1, UTC)
            headers["Retry-After"] = format_datetime(when, usegmt=True)
        else:
            headers["Retry-After"] = f"{after:g}"
    return error(status, code, message, headers)


def shaped(content: str, fault: str | None, outcome: str) -> tuple[str, str, str]:
    """(content, finish_reason, outcome) of a 200 reply after a fault that spoils its content."""
    if fault == "truncated":
        return content[: max(1, len(content) // 2)], "length", "fault:truncated"
    if fault == "content_filter":
        return "", "content_filter", "fault:content_filter"
    if fault == "invalid_output":
        return (
            "Here is a lovely story about your day, written in plain prose.",
            "stop",
            "fault:invalid_output",
        )
    return content, "stop", outcome


def prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return sum(len(str(m.get("content", ""))) for m in messages) // 4 + 4 * len(messages)


def completion_body(
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
