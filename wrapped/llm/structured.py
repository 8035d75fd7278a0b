"""Structured output: asking for the story schema, and refusing anything that does not fit it.

Three modes (`settings.structured_output`), because endpoints differ:
- `json_schema`: OpenAI's `response_format={"type": "json_schema", ...}` with a strict schema.
- `json_object`: `{"type": "json_object", "schema": ...}` (llama.cpp's server rejects
  json_schema but honours this) plus the schema spelled out in the system message.
- `prompt`: no response_format at all; the instruction and the schema go in the system message
  and the reply is parsed strictly (one JSON object, an optional ```json fence, nothing else).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from wrapped.errors import LLMOutputError

_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n\s*```\s*$", re.DOTALL)


@functools.cache
def strict_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the form strict json_schema mode accepts.

    Every property required, no extra properties, no defaults (OpenAI's strict mode rejects
    optional fields; a default-valued list simply has to be sent, possibly empty). Cached per
    model class (pydantic takes ~1 ms to generate it): treat the result as read-only.
    """
    raw = copy.deepcopy(schema.model_json_schema())

    def fix(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("default", None)
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(raw)
    return raw


@functools.cache
def strict_schema_key(schema: type[BaseModel]) -> bytes:
    """`strict_schema` as canonical JSON bytes, for the response cache key (once per class)."""
    return json.dumps(strict_schema(schema), sort_keys=True, separators=(",", ":")).encode()


@functools.cache
def json_instruction(schema: type[BaseModel]) -> str:
    """The prompt-level contract used when the endpoint cannot enforce the schema itself."""
    return (
        "Reply with ONE JSON object and nothing else (no prose, no code fence) that matches "
        f"this JSON schema exactly:\n{json.dumps(strict_schema(schema), sort_keys=True)}"
    )


def response_format(schema: type[BaseModel], mode: str) -> dict[str, Any] | None:
    """The `response_format` request field for `mode` (None for `prompt`)."""
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {
                "name": schema.__name__,
                "schema": strict_schema(schema),
                "strict": True,
            },
        }
    if mode == "json_object":
        return {"type": "json_object", "schema": strict_schema(schema)}
    if mode == "prompt":
        return None
    raise ValueError(f"unknown structured_output mode {mode!r}")


def with_instruction(
    messages: list[dict[str, Any]], schema: type[BaseModel], mode: str
) -> list[dict[str, Any]]:
    """Messages with the JSON instruction appended to the system message (json_object/prompt).

    json_schema mode sends the messages untouched: the schema travels in response_format.
    """
    if mode == "json_schema":
        return messages
    instruction = json_instruction(schema)
    out = [dict(m) for m in messages]
    for m in out:
        if m.get("role") == "system":
            m["content"] = f"{m['content']}\n\n{instruction}"
            return out
    return [{"role": "system", "content": instruction}, *out]


def parse_output(text: str | None, schema: type[BaseModel]) -> BaseModel:
    """Validate the reply against `schema`; anything else is a retryable `LLMOutputError`."""
    if not text or not text.strip():
        raise LLMOutputError(f"the model returned an empty reply (expected a {schema.__name__})")
    body = text
    fenced = _FENCE.match(text)
    if fenced:
        body = fenced.group(1)
    try:
        return schema.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "reply"
        raise LLMOutputError(
            f"the model's reply is not a valid {schema.__name__} ({where}: {first['msg']})"
        ) from None
