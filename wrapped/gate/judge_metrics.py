"""The judge's deepeval glue: our `ChatClient` as a deepeval model, the panel metric, strict
reply parsing. Built on first use, so importing the gate does not import deepeval."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import re
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from wrapped.settings import Settings
from wrapped.story import Usage

#: what the panel judge scores, in judge.j2's order; the names become checks "judge.<name>"
PANEL_CRITERIA: tuple[str, ...] = ("grounding", "tone", "safety", "freshness", "locale", "format")


class PanelReply(BaseModel):
    """The JSON judge.j2 asks for: a 0..1 score per criterion, a reason per lost point."""

    scores: dict[str, float]
    reasons: dict[str, str] | list[str] = Field(default_factory=dict)


#: per-judge()-call usage box; asyncio tasks inherit it, so concurrent stories never mix costs
CALL_USAGE: contextvars.ContextVar[list[Usage] | None] = contextvars.ContextVar(
    "judge_usage", default=None
)


class JudgeParseError(ValueError):
    """The judge answered, but not with the JSON the metric asked for."""


def parse_json_reply(text: str, schema: type[BaseModel] | None) -> Any:
    """Strictly parse a judge reply (a ```json fence or surrounding prose is tolerated)."""
    m = re.search(r"\{.*\}", text, re.S)
    if not m:
        raise JudgeParseError(f"no JSON object in judge reply: {text[:80]!r}")
    try:
        data = json.loads(m.group(0))
    except ValueError as exc:
        raise JudgeParseError(f"judge reply is not valid JSON: {exc}") from None
    if schema is None:
        return data
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise JudgeParseError(
            f"judge reply does not fit {schema.__name__}: {exc.errors()[0]['msg']}"
        ) from None


def judge_llm_class() -> type:
    from deepeval.models import DeepEvalBaseLLM

    class JudgeLLM(DeepEvalBaseLLM):  # type: ignore[no-untyped-call]
        """deepeval's model interface over our ChatClient (structured JSON, strict parsing)."""

        def __init__(self, client: Any, model_name: str, settings: Settings) -> None:
            self.client = client
            self.model_name = model_name
            self.settings = settings
            self.usage = Usage()
            super().__init__(model_name)

        def load_model(self, *args: Any, **kwargs: Any) -> Any:
            return self.client

        def get_model_name(self, *args: Any, **kwargs: Any) -> str:
            return self.model_name

        async def a_generate(
            self, prompt: str, schema: type[BaseModel] | None = None, **_: Any
        ) -> Any:
            return await self.a_chat([{"role": "user", "content": prompt}], schema)

        async def a_chat(
            self, messages: list[dict[str, str]], schema: type[BaseModel] | None = None
        ) -> Any:
            """A full (system + user) conversation, for judges with their own prompt."""
            done = await self.client.complete(
                messages, model=self.model_name, params={"temperature": 0.0}
            )
            self.usage = self.usage + done.usage
            box = CALL_USAGE.get()
            if box is not None:  # the judge() call this request belongs to
                box[0] = box[0] + done.usage
            return parse_json_reply(done.text, schema) if schema is not None else done.text

        def generate(self, prompt: str, schema: type[BaseModel] | None = None, **kw: Any) -> Any:
            return asyncio.run(self.a_generate(prompt, schema, **kw))

    return JudgeLLM


@functools.cache
def panel_metric_class() -> type:
    """`PanelMetric`, built on first use so importing the gate does not import deepeval."""
    from deepeval.metrics import BaseMetric

    class PanelMetric(BaseMetric):  # type: ignore[no-untyped-call]
        """One judge call scores every criterion of the prompt version's `judge.j2`.

        The test case carries the rendered judge conversation in
        `metadata["messages"]` (its `input`/`actual_output` hold the data block and
        the draft, for deepeval's reports). After `a_measure`, `results` maps each criterion to
        (score or None, reason): None means the reply did not score it — "unscored", not a pass.
        `score` is the lowest criterion score, so the metric passes only if every criterion does.
        """

        def __init__(
            self, model: Any, threshold: float, criteria: tuple[str, ...] = PANEL_CRITERIA
        ) -> None:
            self.model = model
            self.threshold = threshold
            self.criteria = criteria
            self.evaluation_model = model.get_model_name()
            self.async_mode = True
            self.include_reason = True
            self.results: dict[str, tuple[float | None, str]] = {}

        async def a_measure(self, test_case: Any, *args: Any, **kwargs: Any) -> float:
            messages = (test_case.metadata or {})["messages"]
            model: Any = self.model  # our JudgeLLM (deepeval types it as its base)
            reply: PanelReply = await model.a_chat(messages, PanelReply)
            reasons = reply.reasons
            self.results = {}
            for name in self.criteria:
                why = reasons.get(name, "") if isinstance(reasons, dict) else "; ".join(reasons)
                value = reply.scores.get(name)
                if value is None or not 0.0 <= value <= 1.0:
                    got = "no score" if value is None else f"score {value} outside 0..1"
                    self.results[name] = (None, f"the judge gave {got} for {name}")
                else:
                    self.results[name] = (float(value), str(why))
            scored = [v for v, _ in self.results.values() if v is not None]
            self.score = min(scored) if len(scored) == len(self.criteria) else None
            self.success = self.score is not None and self.score >= float(self.threshold or 0)
            self.reason = "; ".join(
                f"{n}: {why}" for n, (v, why) in self.results.items() if v is None or v < 1.0
            )
            return self.score if self.score is not None else 0.0

        def measure(self, test_case: Any, *args: Any, **kwargs: Any) -> float:
            return asyncio.run(self.a_measure(test_case, *args, **kwargs))

        def is_successful(self) -> bool:
            return bool(self.success)

        @property
        def __name__(self) -> str:
            return "Judge panel"

    return PanelMetric
