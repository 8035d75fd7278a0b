"""JSON in and out of the scripted server, at orjson's speed with `json`'s answers.

The server shares the benchmark machine's cores with the client it serves, so its CPU per call
is taken from the client's: decoding each ~20 KB request body with `json` was 7% of it. orjson
decodes the same text to equal values 2-3x faster, except where the two disagree; those inputs
go to `json`, so every body decodes exactly as `json.loads` decodes it:

* a value orjson rejects and `json` accepts (NaN, Infinity, 1e400, a lone surrogate escape,
  UTF-16/32 bytes) raises in orjson and is retried with `json`;
* an integer past 64 bits, which orjson reads as a float, is found first (a run of 19 or more
  digits; a long fraction matches too and only costs the slow path).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from aiohttp import web

#: every byte to " ", digits to "0": a run of 19 "0"s in the translation is a run of 19 digits
#: (bytes.translate and `in` run at memory speed; a regex took 4x as long as json.loads)
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_RUN = b"0" * 19


def loads(raw: bytes | str) -> Any:
    """`json.loads(raw)`, the same value or the same error."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if _LONG_RUN not in data.translate(_DIGITS):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw)


def response(body: Any, *, status: int = 200, headers: dict | None = None) -> web.Response:
    """`web.json_response(body)` (the same JSON value, UTF-8 instead of ASCII escapes)."""
    return web.Response(
        body=orjson.dumps(body),
        status=status,
        headers=headers,
        content_type="application/json",
        charset="utf-8",
    )
