"""What one chat completion gave back: the reply's fields, its price, the finished `Completion`."""

from __future__ import annotations

from typing import Any, NamedTuple

from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ConfigDict

from wrapped.jsonfast import loads
from wrapped.story import Usage


class Completion(BaseModel):
    """One finished call: the text, the validated object (if a schema was asked), accounting."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    text: str
    parsed: Any = None
    usage: Usage
    cached: bool = False
    model: str
    finish_reason: str | None = None
    attempts: int = 0


def price_for(model: str, prices: dict[str, tuple[float, float]]) -> tuple[float, float] | None:
    """USD per 1M (prompt, completion) tokens: exact name, else the longest matching prefix
    (so a dated snapshot like 'gpt-4o-mini-2024-07-18' is priced as 'gpt-4o-mini')."""
    if model in prices:
        return prices[model]
    best = max((k for k in prices if model.startswith(k)), key=len, default=None)
    return prices[best] if best else None


def cost_usd(
    model: str, prompt: int, completion: int, prices: dict[str, tuple[float, float]]
) -> float:
    price = price_for(model, prices)
    if price is None:
        return 0.0
    return round((prompt * price[0] + completion * price[1]) / 1_000_000, 8)


class Reply(NamedTuple):
    """The five fields of a chat completion that `ChatClient` reads."""

    text: str
    finish_reason: str | None
    model: str | None
    prompt_tokens: int
    completion_tokens: int


def reply_of(resp: Any) -> Reply:
    """The fields we use from a chat completion: a raw 200 (fast path) or the SDK's model."""
    if isinstance(resp, ChatCompletion):
        choice, usage = resp.choices[0], resp.usage
        return Reply(
            choice.message.content or "",
            choice.finish_reason,
            resp.model,
            int(usage.prompt_tokens or 0) if usage else 0,
            int(usage.completion_tokens or 0) if usage else 0,
        )
    data = loads(resp.content)
    first = data["choices"][0]
    counts = data.get("usage") or {}
    return Reply(
        (first.get("message") or {}).get("content") or "",
        first.get("finish_reason"),
        data.get("model"),
        int(counts.get("prompt_tokens") or 0),
        int(counts.get("completion_tokens") or 0),
    )
