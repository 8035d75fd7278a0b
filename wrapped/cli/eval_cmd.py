"""`wrapped eval`: suites for prompt engineers — run a prompt x model matrix through the batch
job, compare two result sets per cohort with intervals, report as one HTML file, rescore stored
stories, and calibrate the judge against human labels."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from wrapped.eval.listeners import ListenerSet
    from wrapped.eval.runner import Cell
    from wrapped.settings import Settings

app = typer.Typer(
    help="Eval suites: run a prompt x model matrix, compare, report, rescore, calibrate.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="eval")


@app.command("run")
def run(
    suite_file: Annotated[Path, typer.Argument(help="A suite file (evals/suites/NAME.toml).")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Results folder (rows, manifest, the cells' runs).")
    ] = Path("evals/results"),
    prompt: Annotated[
        list[str] | None,
        typer.Option("--prompt", help="Prompt version(s) replacing the suite's (repeatable)."),
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            help="ALIAS=MODEL or ALIAS=MODEL@BASE_URL replacing the suite's models (repeatable).",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Endpoint for every model (and judge) naming none."),
    ] = None,
    listeners: Annotated[
        str | None,
        typer.Option("--listeners", help="Exports or an ingest folder replacing the suite's."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML config file (default $WRAPPED_CONFIG).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run every cell (prompt version x model x judge) of SUITE through the batch job.

    Each cell is a `wrapped generate` run under OUT/runs/ on the suite's stratified sample;
    rerunning the same command resumes (a finished story is never written or paid for twice).
    Rows land in OUT/rows.parquet and OUT/rows.jsonl with OUT/manifest.json.

    Exit codes as `generate`: 0 done; 2 a bad suite, option, key or endpoint; 4 a cell stopped
    as a whole; 130 Ctrl-C; 143 SIGTERM.
    """
    from wrapped.cli.progress import RichRunProgress
    from wrapped.eval.runner import run_suite
    from wrapped.eval.suite import load_suite, with_overrides

    suite = with_overrides(
        load_suite(suite_file), prompts=prompt, models=model, base_url=base_url, listeners=listeners
    )
    console = Console(stderr=True)

    def run_cell(cell: Cell, settings: Settings, people: ListenerSet, runs: Path) -> Path:
        from wrapped.batch.run import run_generate

        progress = RichRunProgress(console, enabled=not quiet, every_s=settings.progress_every_s)
        result = run_generate(
            [people.inputs],
            out=runs,
            settings=settings,
            sample=str(people.sample_file),
            progress=progress,
        )
        return result.run_dir

    try:
        manifest = run_suite(
            suite,
            out,
            run_cell=run_cell,
            config=config,
            stage=lambda text: console.print(text, markup=False, highlight=False),
        )
    finally:
        _leave_ray()
    from wrapped.eval.report import SUMMARY_METRICS, matrix_rows
    from wrapped.eval.rows import read_frame

    table = Table(title=escape(f"eval {suite.name}: {manifest.rows} rows ({manifest.status})"))
    header, rows = matrix_rows(read_frame(out), SUMMARY_METRICS)
    for h in header:
        table.add_column(escape(h), justify="left" if h == "cell" else "right")
    for r in rows:
        table.add_row(*(escape(str(x)) for x in r))
    Console().print(table)
    Console().print(f"results: {out}", markup=False, highlight=False, soft_wrap=True)


@app.command("compare")
def compare(
    base: Annotated[str, typer.Argument(help="Baseline results folder, or FOLDER:CELL.")],
    new: Annotated[str, typer.Argument(help="New results folder, or FOLDER:CELL.")],
    suite_file: Annotated[
        Path | None,
        typer.Option("--suite", help="Suite whose thresholds apply (default: NEW's own suite)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Cohort keys to slice by, comma-separated (default: suite's)."),
    ] = None,
    resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples.")] = 1000,
    fail_on_regression: Annotated[
        bool,
        typer.Option(
            "--fail-on-regression", help="Exit 1 when any threshold is crossed (one line each)."
        ),
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show every cohort, not only the overall rows.")
    ] = False,
) -> None:
    """Per metric and cohort: NEW - BASE with a paired bootstrap 95% interval and n.

    Rows pair by listener and day. A regression is a move past the suite's threshold whose
    interval excludes zero. Exit 0, or 1 with --fail-on-regression when any is crossed.
    """
    from wrapped.analysis.cohorts import parse_keys
    from wrapped.errors import ConfigError
    from wrapped.eval.compare import (
        compare_frames,
        direction_word,
        load_side,
        parse_side,
        regression_lines,
    )
    from wrapped.eval.model import read_manifest
    from wrapped.eval.suite import Suite, load_suite

    b_side, n_side = parse_side(base), parse_side(new)
    suite = (
        load_suite(suite_file)
        if suite_file
        else Suite.model_validate(read_manifest(n_side.folder).suite)
    )
    try:
        keys = parse_keys(by, tuple(suite.compare_by))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    diffs = compare_frames(
        load_side(b_side),
        load_side(n_side),
        keys=keys,
        thresholds=suite.thresholds,
        n_boot=resamples,
    )
    table = Table(title=escape(f"{b_side.label} -> {n_side.label}"))
    for h in ("metric", "cohort", "base", "new", "diff", "95% CI", "n", ""):
        table.add_column(h, justify="left" if h in ("metric", "cohort", "") else "right")
    for d in diffs:
        if not (show_all or d.cohort_key == "all" or d.regression):
            continue
        mark = "REGRESSION" if d.regression else direction_word(d.metric, d.diff.value)
        table.add_row(
            escape(d.metric),
            escape(d.cohort if d.cohort_key == "all" else f"{d.cohort_key}={d.cohort}"),
            f"{d.base:.3f}",
            f"{d.new:.3f}",
            f"{d.diff.value:+.3f}",
            f"[{d.diff.low:+.3f}, {d.diff.high:+.3f}]",
            str(d.diff.n),
            mark,
        )
    Console().print(table)
    lines = regression_lines(diffs)
    err = Console(stderr=True)
    for line in lines:
        err.print(line, markup=False, highlight=False, soft_wrap=True)
    if not lines:
        Console().print("no regression past the suite's thresholds", markup=False)
    if lines and fail_on_regression:
        raise typer.Exit(1)


def _leave_ray() -> None:
    ray = sys.modules.get("ray")
    if ray is not None and ray.is_initialized():
        ray.shutdown()


@app.command("report")
def report(
    results: Annotated[Path, typer.Argument(help="Results folder (eval run or rescore).")],
    base: Annotated[
        str | None,
        typer.Argument(help="Optional baseline (FOLDER or FOLDER:CELL): heatmap of differences."),
    ] = None,
    html: Annotated[Path, typer.Option("--html", help="Where to write the report.")] = Path(
        "report.html"
    ),
) -> None:
    """Write one self-contained HTML report (no CDN: it opens offline).

    The matrix with intervals, a cohort x metric heatmap (differences against BASE when given),
    score distributions, cost and latency per cell, and the worst stories with their failing
    checks."""
    from wrapped.eval.compare import load_side, parse_side
    from wrapped.eval.model import read_manifest
    from wrapped.eval.report import render_report
    from wrapped.eval.rows import read_frame
    from wrapped.eval.suite import Suite
    from wrapped.store import atomic_write_text

    suite = Suite.model_validate(read_manifest(results).suite)
    frame = read_frame(results)
    base_frame = load_side(parse_side(base)) if base else None
    if base_frame is not None and frame["cell"].nunique() > 1:
        from wrapped.errors import ConfigError

        raise ConfigError("with a BASE, RESULTS must hold one cell (compare cell to cell)")
    atomic_write_text(html, render_report(frame, suite, base=base_frame))
    Console().print(f"report: {html}", markup=False, highlight=False, soft_wrap=True)


@app.command("rescore")
def rescore(
    source: Annotated[Path, typer.Argument(help="An eval results folder or a run folder.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="New results folder.")],
    scorer: Annotated[
        list[str] | None,
        typer.Option(
            "--scorer",
            help="Scorer(s) to run: format, grounding, safety, judge (default: the "
            "deterministic ones, plus the judge when --judge-model is given).",
        ),
    ] = None,
    judge_model: Annotated[
        str | None, typer.Option("--judge-model", help="Judge model for the judge scorers.")
    ] = None,
    judge_base_url: Annotated[
        str | None, typer.Option("--judge-base-url", help="Judge endpoint (OpenAI-compatible).")
    ] = None,
    judge_suite: Annotated[
        str, typer.Option("--judge-suite", help="panel (one call per story) or full (G-Eval).")
    ] = "panel",
    concurrency: Annotated[int, typer.Option("--concurrency", help="Judge calls in flight.")] = 8,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML config file (default $WRAPPED_CONFIG).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Score stored stories again without regenerating them: no writer call is made.

    For a new judge, a new rubric or a fixed scorer. Writes rows and a manifest to OUT, for
    compare and report."""
    from rich.progress import Progress

    from wrapped.eval.rescore import rescore as do_rescore
    from wrapped.settings import load_settings

    judge_settings = None
    if judge_model:
        judge_settings = load_settings(
            config,
            backend="openai",
            base_url=judge_base_url,
            model=judge_model,
            judge_model=judge_model,
            judge_base_url=judge_base_url,
            judge_suite=judge_suite,
        )
    names = scorer or ["format", "grounding", "safety"]
    with Progress(console=Console(stderr=True), disable=quiet, transient=True) as bar:
        task = bar.add_task("rescoring", total=None)
        manifest = do_rescore(
            source,
            out,
            names=names,
            judge_settings=judge_settings,
            concurrency=concurrency,
            advance=lambda n: bar.advance(task, n),
        )
    Console().print(
        f"rescored {manifest.rows} rows with {', '.join(manifest.scorers)} -> {out}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@app.command("calibrate")
def calibrate(
    results: Annotated[Path, typer.Argument(help="Results folder whose rows were judged.")],
    labels: Annotated[
        Path,
        typer.Option(
            "--labels",
            help='Human labels, JSONL: {"story_id": "USER/DAY", "rubric": ..., "label": 0|1} '
            "(the review tool's export).",
        ),
    ],
    threshold: Annotated[
        float, typer.Option("--threshold", help="The judge's pass threshold.")
    ] = 0.5,
) -> None:
    """How well the judge agrees with human labels, per rubric.

    Cohen's kappa with a 95% CI, the confusion matrix, and the judge threshold that maximises
    agreement."""
    from wrapped.eval.calibrate import calibrate as do_calibrate
    from wrapped.eval.calibrate import read_labels
    from wrapped.eval.rows import read_rows

    found = do_calibrate(read_rows(results), read_labels(labels), threshold=threshold)
    table = Table(title="judge vs human labels")
    for h in ("rubric", "check", "n", "kappa", "95% CI", "agree", "TP", "FP", "FN", "TN",
              "best threshold", "kappa there"):  # fmt: skip
        table.add_column(h, justify="left" if h in ("rubric", "check") else "right")
    for c in found:
        table.add_row(
            escape(c.rubric),
            escape(c.check),
            str(c.n),
            f"{c.kappa.value:.3f}",
            f"[{c.kappa.low:.3f}, {c.kappa.high:.3f}]",
            f"{c.agreement:.2f}",
            *(str(x) for x in c.confusion),
            f"{c.best_threshold:g}",
            f"{c.best_kappa:.3f}",
        )
    Console().print(table)
    if not found:
        Console().print("no label matched a scored story in these results", markup=False)
