"""`wrapped generate`: the main batch job."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wrapped.cli.notes import default_salt_note
from wrapped.settings import load_settings
from wrapped.store.model import RunManifest

if TYPE_CHECKING:
    from wrapped.batch.run import RunResult


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)


def generate(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Exports (files, folders, .zip) or an ingest output folder.", show_default=False
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Runs folder; the run lands in OUT/<run-id>/.")
    ] = Path("runs"),
    prompt: Annotated[
        str | None, typer.Option("--prompt", help="Prompt version under prompts/ (default v1).")
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            help="embedded (default: no key, no network) | openai (any OpenAI-compatible endpoint) | local (llama.cpp, needs the \\[local] extra) | scripted.",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="OpenAI-compatible endpoint; default $OPENAI_BASE_URL. Implies --backend openai.",
        ),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name at the endpoint.")
    ] = None,
    users: Annotated[
        int | None,
        typer.Option("--users", help="Only the first N eligible listeners (by pseudonymous id)."),
    ] = None,
    sample: Annotated[
        str | None,
        typer.Option(
            "--sample",
            help="A fraction (0.1) of eligible listeners, seeded, or a file of user ids.",
        ),
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            help="Join an existing Ray cluster at HOST:PORT, ray://HOST:PORT or auto (default "
            "$RAY_ADDRESS, else a local Ray of its own); its token, if it asks for one, from "
            "RAY_AUTH_TOKEN or ~/.ray/auth_token.",
        ),
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", help="LLM calls in flight across all workers.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Ray workers (default: the cluster's CPUs).")
    ] = None,
    rpm: Annotated[
        int | None, typer.Option("--rpm", help="Requests per minute, shared by all workers.")
    ] = None,
    tpm: Annotated[
        int | None, typer.Option("--tpm", help="Tokens per minute, shared by all workers.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Bypass the response cache (every call is paid).")
    ] = False,
    judge: Annotated[
        bool | None,
        typer.Option("--judge/--no-judge", help="Run the LLM judge (needs an endpoint)."),
    ] = None,
    judge_model: Annotated[
        str | None, typer.Option("--judge-model", help="Judge model (default: the writer's).")
    ] = None,
    judge_base_url: Annotated[
        str | None, typer.Option("--judge-base-url", help="Judge endpoint (default: the writer's).")
    ] = None,
    judge_suite: Annotated[
        str | None,
        typer.Option(
            "--judge-suite",
            help="panel: one judge call per draft scores every criterion (default); full: "
            "deepeval's G-Eval rubrics + toxicity/bias/PII metrics, about 11 calls per draft.",
        ),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year to review (default: the latest with data).")
    ] = None,
    full_year: Annotated[
        bool, typer.Option("--full-year", help="Whole calendar year instead of 1 Jan - 15 Nov.")
    ] = False,
    tz: Annotated[
        str | None, typer.Option("--tz", help="Time zone for every listener (overrides profiles).")
    ] = None,
    run_id: Annotated[
        str | None,
        typer.Option(
            "--run-id",
            help="Name the run (default: a hash of inputs + settings, so a rerun resumes).",
        ),
    ] = None,
    on_gate_fail: Annotated[
        str | None,
        typer.Option(
            "--on-gate-fail",
            help="When a story still fails the gate after its attempts: fallback (the embedded writer's grounded story, marked) or needs_review (held for a human).",
        ),
    ] = None,
    gate_attempts: Annotated[
        int | None,
        typer.Option(
            "--gate-attempts",
            help="Drafts per story before giving up (regenerated with the gate's reasons as feedback).",
        ),
    ] = None,
    max_failure_rate: Annotated[
        float | None,
        typer.Option(
            "--max-failure-rate", help="Exit non-zero when more listeners than this share fail."
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML config file (default $WRAPPED_CONFIG).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Write stories for every eligible listener: ingest -> stats -> prompts -> LLM -> gate -> store.

    Rerunning the same command resumes the run: finished listeners are neither generated nor
    paid for again. A different prompt version or model starts a new run.

    Exit codes: 0 done; 2 a bad input, option, key or endpoint; 4 the run stopped or failed as a
    whole (the endpoint went down, more listeners failed than --max-failure-rate allows, nobody
    to write for, the run is in use by another command); 130 Ctrl-C; 143 SIGTERM. Each failure
    is one line on stderr; a stopped run resumes when the same command runs again.
    """
    from wrapped.batch.run import check_failure_rate, run_generate
    from wrapped.cli.progress import RichRunProgress

    if base_url and backend is None:
        backend = "openai"
    settings = load_settings(
        config,
        prompt_version=prompt,
        backend=backend,
        base_url=base_url,
        model=model,
        ray_address=ray_address,
        concurrency=concurrency,
        workers=workers,
        rpm=rpm,
        tpm=tpm,
        cache=False if no_cache else None,
        judge=judge,
        judge_model=judge_model,
        judge_base_url=judge_base_url,
        judge_suite=judge_suite,
        year=year,
        full_year=full_year or None,
        tz=tz,
        run_id=run_id,
        max_failure_rate=max_failure_rate,
        on_gate_fail=on_gate_fail,
        gate_max_attempts=gate_attempts,
    )
    console = Console(stderr=True)
    default_salt_note(settings, console)
    progress = RichRunProgress(console, enabled=not quiet, every_s=settings.progress_every_s)
    try:
        result = run_generate(
            inputs, out=out, settings=settings, users=users, sample=sample, progress=progress
        )
    finally:
        _leave_ray()
    _summary(Console(), result)
    check_failure_rate(result, settings)


def _leave_ray() -> None:
    """Stop the local Ray (or leave the cluster) here, not in Ray's exit hook: a Ctrl-C while
    it shuts down is then our one line, not an "Exception ignored in atexit" traceback."""
    from wrapped.batch.run import stopped_by_sigterm

    ray = sys.modules.get("ray")
    if ray is not None and ray.is_initialized() and not stopped_by_sigterm():
        ray.shutdown()


def _summary(console: Console, result: RunResult) -> None:
    """The run's counts as a table, then the writer, the judge and where the files are."""
    m = result.manifest
    c = m.counts
    s = c.stories
    u = m.usage
    table = Table(title=escape(f"run {m.run_id} ({m.status})"), show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [
        ("listeners in", c.listeners_in),
        ("  eligible", c.eligible),
        ("  ineligible", c.ineligible),
        ("  selected", c.selected),
        ("listeners done", c.listeners_done),
        ("listeners failed", c.listeners_failed),
        ("listeners pending", c.listeners_pending),
        ("stories expected", s.expected),
        ("  passed the gate", s.passed),
        ("  fell back to the embedded writer", s.fallback),
        ("  need review", s.needs_review),
        ("  failed", s.failed),
        ("LLM calls (cached)", f"{u.calls:,} ({u.cached_calls:,})"),
        ("tokens", f"{u.prompt_tokens + u.completion_tokens:,}"),
        ("cost (USD)", f"{u.cost_usd:.4f}"),
        ("time (s)", m.timings.get("total_s")),
        ("judge", _judge(m)),
    ]
    for k, v in rows:
        table.add_row(k, escape(str(v)))
    console.print(table)
    if not m.counts_add_up:
        console.print(f"[red]counts do not add up: {escape(str(m.count_problems))}[/]")
    # names and paths the user chose (model, --out, --run-id) are text, not markup, and
    # each stays on one line
    console.print(
        f"backend: {m.backend} ({m.model}), prompt {m.prompt.version} #{m.prompt.hash}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"stories: {result.run_dir / 'stories'}   manifest: {result.run_dir / 'manifest.json'}",
        markup=False,
        highlight=False,
        soft_wrap=True,  # paths are copied from here: never broken across lines
    )


def _judge(m: RunManifest) -> str:
    """The judge that ran ("off (--no-judge)", "M at host:port (panel)")."""
    if m.judge is None:
        return "not recorded (a run of release 0.1.0)"
    return m.judge.describe().removeprefix("judge: ")
