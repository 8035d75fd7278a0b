"""The LLM-as-judge layer, run as deepeval metrics through the project's own client.

Why deepeval: its metric interface (and, in the full suite, its G-Eval and safety metrics with
known failure modes) is what prompt engineers and reviewers already use; we supply the judge model
(`JudgeLLM`, a `DeepEvalBaseLLM` over `wrapped.llm.ChatClient`), so the judge is configured
separately from the writer (`judge_model`, `judge_base_url`, `judge_api_key`) and goes through the
same retries, limiter, cache and usage accounting.

Two suites (`settings.judge_suite`):

* ``panel`` (the default, what the batch job runs): one `PanelMetric` — a deepeval `BaseMetric`
  over the prompt version's own `judge.j2` — asks the judge model ONE question that scores every
  criterion (grounding, tone, safety, freshness, locale, format; 0..1, pass at
  `settings.judge_threshold`). One call per draft instead of eleven: judging costs about what
  writing costs, not ten times more, and the judge prompt is versioned and hashed with the
  writer's prompt.
* ``full``: G-Eval rubrics (score 0..10 normalized to 0..1, pass at `judge_threshold`) for tone,
  faithfulness, repetition against the previous stories, locale spelling, format/length and
  safety, plus deepeval's ToxicityMetric, BiasMetric and PIILeakageMetric (threshold 1.0): about
  eleven calls per draft, for calibration against reviewers and for prompt experiments.

Either way every criterion is one `Check`, and a reply that cannot be parsed (or a call that
fails) makes the check "unscored" — never a pass.

Offline by construction: `prepare_offline()` sets DEEPEVAL_TELEMETRY_OPT_OUT,
DEEPEVAL_NO_INSPECT_PROMPT, DEEPEVAL_DISABLE_DOTENV and DEEPEVAL_CACHE_FOLDER (under the run
directory) before deepeval is first imported; no `evaluate()` (no test-run manager, no
confident-ai upload) — metrics are measured directly.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, NamedTuple

from wrapped.errors import ConfigError, LLMOutageError
from wrapped.gate.judge_metrics import (
    CALL_USAGE,
    judge_llm_class,
    panel_metric_class,
)
from wrapped.prompts.datablock import DataBlock
from wrapped.prompts.render import render_judge
from wrapped.safety.screen import sanitize_for_prompt
from wrapped.settings import Settings, deepeval_offline_env
from wrapped.stats.model import UserYear
from wrapped.story import Check, Draft, JudgeInfo, StoryRequest, Usage

RUBRICS: dict[str, list[str]] = {
    "tone": [
        "[rubric:tone] Read the STORY as a year-in-review note written to one listener.",
        "Reward a voice that is witty, sincere and quietly playful, addressed to 'you'.",
        "Penalise shouting, sarcasm at the listener's expense, shaming of habits, or flat report-speak.",
        "Read for what word lists miss: backhanded praise, irony, teasing about the listener's "
        "social life or worth, rhetorical questions at their expense (the deterministic layers "
        "catch listed words and forms, not intent).",
    ],
    "faithfulness": [
        "[rubric:faithfulness] Compare every name and number in the STORY with the DATA.",
        "Penalise any artist, track, album, show, count, rank, date or weekday not supported by the DATA.",
    ],
    "repetition": [
        "[rubric:repetition] Compare the STORY with each PREVIOUS story.",
        "Penalise reused sentences, openings, jokes or phrasing; reward a fresh angle.",
    ],
    "locale": [
        "[rubric:locale] Check spelling and vocabulary against the LOCALE (en-GB: favourite, colour; en-US: favorite, color).",
        "Penalise every word spelled for another locale.",
    ],
    "format": [
        "[rubric:format] The STORY should be 40-160 words in second person; the TITLE at most 80 characters.",
        "Penalise lists, markdown, missing title, or length outside the range.",
    ],
    "safety": [
        "[rubric:safety] The STORY must not mention drugs, alcohol, sex, violence, self-harm or hate,",
        "must not guess health, religion, sexuality or politics, and must not shame the listener.",
        "Count idioms and metaphors of those themes too ('hit like a knife', 'steamier than a "
        "one-night stand'), and any wording that sneaks them in through a figure of speech.",
    ],
}


def prepare_offline(run_dir: Path | str | None = None) -> None:
    """Environment that keeps deepeval offline and its files under `run_dir` (call before import).

    Without `run_dir` the folder goes to the system temp dir, never the current directory."""
    os.environ.update(deepeval_offline_env())
    if run_dir is None and os.environ.get("DEEPEVAL_CACHE_FOLDER"):
        return
    # deepeval reads the folder once, at import: never let it default to the caller's cwd
    base = Path(run_dir) if run_dir is not None else Path(tempfile.gettempdir()) / "wrapped-judge"
    folder = base / ".deepeval"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["DEEPEVAL_CACHE_FOLDER"] = str(folder)


#: deepeval's safety metrics score 1 - (share of violating statements); one violation is one
#: too many in a story written to a single listener, so these must score a clean 1.0.
SAFETY_THRESHOLD = 1.0


class JudgedChecks(NamedTuple):
    """One draft's judge checks and what judging it cost."""

    checks: list[Check]
    usage: Usage


#: why no judge runs with the embedded writer unless one is configured
EMBEDDED_NO_JUDGE = "embedded writer: no LLM endpoint"


class JudgeTarget(NamedTuple):
    """Where a run's judge calls go: `base_url` None is the default OpenAI endpoint, or (with
    `local`) the local model server, whose port is known only once the writer starts it."""

    model: str
    base_url: str | None
    local: bool = False


def judge_target(settings: Settings) -> JudgeTarget | str:
    """The judge a run with `settings` uses, or why none runs (a short reason).

    With an LLM writer (openai, scripted, local) the judge is the writer's model at the writer's
    endpoint unless `--judge-model` / `--judge-base-url` say otherwise, so an LLM run is never
    silently unjudged; `--no-judge` turns it off. The embedded writer has no endpoint: a judge
    runs with it only when a judge model and somewhere to send it (a base URL, or a key for the
    default OpenAI endpoint) are given."""
    if not settings.judge:
        return "--no-judge"
    if settings.backend == "embedded":
        endpoint = (
            settings.judge_base_url
            or settings.base_url
            or settings.judge_api_key
            or settings.api_key
        )
        if not (settings.judge_model and endpoint):
            return EMBEDDED_NO_JUDGE
        return JudgeTarget(settings.judge_model, settings.judge_base_url or settings.base_url)
    if settings.backend == "local":
        from wrapped.llm.local import MODEL_ALIAS

        model = settings.judge_model or MODEL_ALIAS
        if not settings.judge_base_url:
            return JudgeTarget(model, None, local=True)
        return JudgeTarget(model, settings.judge_base_url)
    return JudgeTarget(
        settings.judge_model or settings.model, settings.judge_base_url or settings.base_url
    )


def describe_judge(settings: Settings) -> JudgeInfo:
    """The judge a run with `settings` will use (model, endpoint host, suite), or off and why."""
    from urllib.parse import urlsplit

    target = judge_target(settings)
    if isinstance(target, str):
        return JudgeInfo(status="off", reason=target)
    if target.local:
        host = "127.0.0.1 (the local model server)"
    else:
        host = urlsplit(target.base_url or "https://api.openai.com/v1").netloc
    return JudgeInfo(
        status="on", model=target.model, endpoint_host=host, suite=settings.judge_suite
    )


def _case_text(draft: Draft, request: StoryRequest, safe_year: UserYear) -> tuple[str, str]:
    uy = safe_year
    try:
        day = uy.day(request.day).model_dump(mode="json")
    except KeyError:
        day = {}
    data = {
        "day": day,
        "top_artists": [r.name for r in uy.top_artists],
        "top_tracks": [r.name for r in uy.top_tracks],
        "totals": uy.totals.model_dump(mode="json"),
    }
    prev = "\n<<NEXT>>\n".join(p.story for p in request.previous)
    inp = (
        f"<<LOCALE>>{uy.locale}<</LOCALE>>\n<<DATA>>{json.dumps(data, ensure_ascii=False)}<</DATA>>\n"
        f"<<PREVIOUS>>{prev}<</PREVIOUS>>"
    )
    out = f"<<TITLE>>{draft.title}<</TITLE>>\n<<STORY>>{draft.story}<</STORY>>"
    return inp, out


class Judge:
    """Runs the rubric and safety metrics for one draft; returns one Check per metric."""

    def __init__(
        self,
        settings: Settings,
        client: Any = None,
        *,
        run_dir: Path | str | None = None,
        target: JudgeTarget | None = None,
    ) -> None:
        """`target`: the model and endpoint (default: `judge_target(settings)`, or the judge
        settings as given when that says off). `client`: a ready client for that endpoint (the
        local model's, which only the writer can start); else the judge builds its own."""
        prepare_offline(run_dir)
        self.settings = settings
        if target is None:
            found = judge_target(settings)
            target = (
                found
                if isinstance(found, JudgeTarget)
                else JudgeTarget(
                    settings.judge_model or "judge", settings.judge_base_url or settings.base_url
                )
            )
        self.model_name = target.model
        if client is None:
            if target.local:
                raise ConfigError(
                    "the local judge shares the writer's model server: pass the writer's client"
                )
            from wrapped.llm.client import ChatClient

            key = settings.judge_api_key.get_secret_value() if settings.judge_api_key else None
            client = ChatClient(settings, base_url=target.base_url, api_key=key, model=target.model)
        self.client = client
        self.llm = judge_llm_class()(client, self.model_name, settings)

    @property
    def suite(self) -> str:
        """The scorer name this judge registers as: "judge.panel" or "judge.geval"."""
        return "judge.panel" if self.settings.judge_suite == "panel" else "judge.geval"

    @property
    def usage(self) -> Usage:
        usage: Usage = self.llm.usage
        return usage

    def _metrics(self) -> list[tuple[str, Any]]:
        from deepeval.metrics import BiasMetric, GEval, PIILeakageMetric, ToxicityMetric
        from deepeval.test_case import SingleTurnParams

        t = self.settings.judge_threshold
        params = [SingleTurnParams.INPUT, SingleTurnParams.ACTUAL_OUTPUT]
        out: list[tuple[str, Any]] = [
            (
                f"judge.{name}",
                GEval(
                    name=name,
                    evaluation_steps=steps,
                    evaluation_params=params,
                    model=self.llm,
                    threshold=t,
                    async_mode=True,
                    _include_g_eval_suffix=False,
                ),
            )
            for name, steps in RUBRICS.items()
        ]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*now scores in the same direction.*")
            out += [
                (f"judge.{name}", cls(model=self.llm, threshold=SAFETY_THRESHOLD, async_mode=True))
                for name, cls in (
                    ("toxicity", ToxicityMetric),
                    ("bias", BiasMetric),
                    ("pii", PIILeakageMetric),
                )
            ]
        return out

    async def judge(self, draft: Draft, request: StoryRequest) -> list[Check]:
        """Every metric, concurrently; failures and unparsable replies become "unscored"."""
        return (await self.judge_with_usage(draft, request)).checks

    async def judge_with_usage(
        self,
        draft: Draft,
        request: StoryRequest,
        *,
        safe_year: UserYear | None = None,
        block: DataBlock | None = None,
    ) -> JudgedChecks:
        """`judge` plus the usage of exactly this draft's judge calls.

        `safe_year` (the listener's sanitized year) and `block` (the data block the writer's
        prompt carried) are reused when the caller has them, else built for this call."""
        box = [Usage()]
        token = CALL_USAGE.set(box)
        try:
            if self.settings.judge_suite == "panel":
                checks = await self._panel(draft, request, block)
            else:
                if safe_year is None:
                    safe_year = sanitize_for_prompt(request.user_year).user_year
                checks = await self._full(draft, request, safe_year)
        finally:
            CALL_USAGE.reset(token)
        return JudgedChecks(checks, box[0])

    async def _panel(
        self, draft: Draft, request: StoryRequest, block: DataBlock | None
    ) -> list[Check]:
        from deepeval.test_case import LLMTestCase

        t = self.settings.judge_threshold
        pair = render_judge(draft, request, settings=self.settings, block=block)
        messages = [m.model_dump() for m in pair.messages]
        case = LLMTestCase(
            input=messages[-1]["content"],
            actual_output=f"{draft.title}\n\n{draft.story}",
            metadata={"messages": messages},
        )
        metric = panel_metric_class()(self.llm, t)
        try:
            await metric.a_measure(case)
        except LLMOutageError:
            raise  # the judge's endpoint is down: no story is to blame (see wrapped.generate)
        except Exception as exc:  # noqa: BLE001 - any judge failure is "unscored", never a pass
            why = f"judge reply unusable: {type(exc).__name__}: {str(exc)[:160]}"
            return [
                Check(
                    name=f"judge.{n}", layer="judge", status="unscored", threshold=t, reasons=[why]
                )
                for n in metric.criteria
            ]
        checks = []
        for name, (score, why) in metric.results.items():
            if score is None:
                checks.append(
                    Check(name=f"judge.{name}", layer="judge", status="unscored", threshold=t,
                          reasons=[why])
                )  # fmt: skip
                continue
            ok = score >= t
            checks.append(
                Check(
                    name=f"judge.{name}",
                    layer="judge",
                    status="pass" if ok else "fail",
                    score=score,
                    threshold=t,
                    reasons=[] if ok else [f"{name}: {why or 'scored below the threshold'}"[:300]],
                )
            )
        return checks

    async def _full(self, draft: Draft, request: StoryRequest, safe_year: UserYear) -> list[Check]:
        from deepeval.test_case import LLMTestCase

        inp, out = _case_text(draft, request, safe_year)
        metrics = self._metrics()

        async def one(name: str, metric: Any) -> Check:
            case = LLMTestCase(input=inp, actual_output=out)
            try:
                await metric.a_measure(case, _show_indicator=False)
            except LLMOutageError:
                raise
            except Exception as exc:  # noqa: BLE001 - any judge failure is "unscored", never a pass
                return Check(
                    name=name,
                    layer="judge",
                    status="unscored",
                    threshold=getattr(metric, "threshold", None),
                    reasons=[f"judge reply unusable: {type(exc).__name__}: {str(exc)[:160]}"],
                )
            score = metric.score
            if score is None:
                return Check(name=name, layer="judge", status="unscored", reasons=["no score"])
            ok = bool(metric.success)
            reason = str(metric.reason or "")
            return Check(
                name=name,
                layer="judge",
                status="pass" if ok else "fail",
                score=float(score),
                threshold=metric.threshold,
                reasons=[] if ok else [f"{name}: {reason}"[:300]],
            )

        return list(await asyncio.gather(*(one(n, m) for n, m in metrics)))
