"""The `Script`: what the scripted OpenAI-compatible server answers, request by request.

A request is matched against `rules` in order; the first rule whose conditions all hold
decides the reply (a fault, a planted defect, or a clean reply when it names neither). With
no matching rule, the seeded background mix applies: `fault_rate` of requests get a fault
drawn from `fault_mix`, then `defect_rate` of the rest get a defect from `defect_mix`.

Every random draw is seeded by (script seed, the request body's hash, its delivery number,
the rule), never by arrival order, so a run is reproducible at any concurrency.

Examples::

    Script(rules=[Rule(tries=[1, 2], fault="rate_limit", retry_after_s=0.3)])
        # every distinct request is refused twice with Retry-After: 0.3, then answered
    Script(rules=[Rule(user_id="u_42", attempt=1, defect="hallucinated_artist")])
        # u_42's first gate attempt names an artist that is not in the data
    Script(fault_rate=0.2, seed=7)   # the `wrapped fake-llm --fault-rate 0.2` mix
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from wrapped.story import Draft

Fault = Literal[
    "rate_limit",  # 429 with Retry-After
    "server_error",  # 500
    "unavailable",  # 503 (with Retry-After when retry_after_s is set on the rule)
    "hang",  # no answer for hang_s (past any sensible client timeout), then 504
    "malformed",  # 200 whose body is not valid JSON
    "truncated",  # 200, content cut in half, finish_reason "length"
    "content_filter",  # 200, empty content, finish_reason "content_filter"
    "invalid_output",  # 200, finish_reason "stop", content is prose, not the schema
    "bad_request",  # 400
    "unauthorized",  # 401
    "forbidden",  # 403
    "not_found",  # 404
]
Defect = Literal[
    "hallucinated_artist",  # names a real artist absent from the data
    "wrong_number",  # changes a number in the story to one not in the data
    "unsafe",  # adds an alcohol/drugs/violence reference
    "repetition",  # repeats a previous story (or, with none, its own first sentence)
    "echo_injection",  # quotes an instruction found in the data (or a canned one)
]

FAULTS: tuple[Fault, ...] = get_args(Fault)
DEFECTS: tuple[Defect, ...] = get_args(Defect)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rule(_Model):
    """Conditions (all given ones must hold) and the reply they select."""

    user_id: str | None = Field(default=None, description="from the request's data block")
    day: str | None = Field(default=None, description="YYYY-MM-DD, from the data block")
    category: str | None = None
    model: str | None = Field(default=None, description="the request's model name")
    attempt: list[int] | None = Field(
        default=None, description="the gate attempt(s) in the data block (1 = first draft)"
    )
    tries: list[int] | None = Field(
        default=None,
        description="delivery number(s) of an identical request body (1 = first time seen): "
        "how HTTP retries are scripted",
    )
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    times: int | None = Field(default=None, description="fire at most this many times in all")
    fault: Fault | None = None
    defect: Defect | None = None
    retry_after_s: float | None = Field(default=None, description="Retry-After for 429/503")
    retry_after_http_date: bool = Field(
        default=False, description="send Retry-After as an HTTP date instead of seconds"
    )


#: the faults of a background `fault_rate` unless `fault_mix` says otherwise: the transient ones
_TRANSIENT: tuple[Fault, ...] = (
    "rate_limit", "server_error", "unavailable", "hang", "malformed", "truncated"
)  # fmt: skip


def _default_fault_mix() -> dict[Fault, float]:
    return dict.fromkeys(_TRANSIENT, 1.0)


def _default_defect_mix() -> dict[Defect, float]:
    return dict.fromkeys(DEFECTS, 1.0)


class Persona(_Model):
    """How one writer model name behaves, so one server can play a whole eval matrix: a
    request for a persona's model draws its own defects or replies with one fixed template."""

    defect_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    defect_mix: dict[Defect, float] = Field(default_factory=_default_defect_mix)
    reply: Literal["grounded", "fixed"] = "grounded"
    together: bool = Field(
        default=False,
        description="a defective reply carries every defect of the mix at once (a model that, "
        "when it slips, gets a fact wrong and says something unsafe)",
    )


def _default_personas() -> dict[str, Persona]:
    """`sloppy`: about 30% of its stories name an artist the data does not hold and add an
    unsafe aside (a grounding and a safety failure); `bland`: one template for every listener
    (a sameness failure)."""
    return {
        "sloppy": Persona(
            defect_rate=0.3,
            defect_mix={"hallucinated_artist": 1.0, "unsafe": 1.0},
            together=True,
        ),
        "bland": Persona(reply="fixed"),
    }


class Script(_Model):
    """Everything the server does; replace it at runtime with POST /_script."""

    seed: int = 0
    latency_ms: float = Field(
        default=0.0,
        description="time from a request's arrival to its answer (the reply is built within "
        "it, as a remote endpoint's work is not on the caller's time line; never sooner)",
    )
    jitter_ms: float = Field(default=0.0, description="uniform 0..jitter_ms extra, seeded")
    rules: list[Rule] = Field(default_factory=list)
    fault_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    fault_mix: dict[Fault, float] = Field(default_factory=_default_fault_mix)
    defect_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    defect_mix: dict[Defect, float] = Field(default_factory=_default_defect_mix)
    retry_after_s: float = Field(default=1.0, description="Retry-After of background 429s")
    hang_s: float = Field(default=30.0, description="how long a 'hang' holds the request")
    judge_model: str = "scripted-judge"
    models: list[str] = Field(
        default_factory=lambda: ["scripted", "scripted-judge", "sloppy", "bland"]
    )
    personas: dict[str, Persona] = Field(
        default_factory=_default_personas,
        description="writer model name -> its own behaviour (rules still come first)",
    )
    api_key: str | None = Field(
        default=None, description="when set, any other bearer token gets 401"
    )
    reject_json_schema: bool = Field(
        default=False,
        description="answer json_schema response formats with 500, as llama.cpp's server does",
    )
    reply: Literal["grounded", "fixed"] = Field(
        default="grounded",
        description="grounded: wrapped.writer.compose on the data block; fixed: `fixed_draft`",
    )
    fixed_draft: Draft = Field(
        default_factory=lambda: Draft(
            title="A day in your year",
            story="You pressed play and the day found its rhythm. " * 6,
            facts_used=[],
        )
    )
