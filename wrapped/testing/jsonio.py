"""JSON in and out of the scripted server: bodies decoded by `wrapped.jsonfast.loads` (orjson's
speed, `json`'s answers), replies encoded by orjson. The server shares the benchmark machine's
cores with the client it serves, so its CPU per call is taken from the client's: decoding each
~20 KB request body with `json` was 7% of it.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from wrapped.jsonfast import loads

__all__ = ["loads", "response"]


def response(
    body: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """`web.json_response(body)` (the same JSON value, UTF-8 instead of ASCII escapes)."""
    return web.Response(
        body=orjson.dumps(body),
        status=status,
        headers=headers,
        content_type="application/json",
        charset="utf-8",
    )
