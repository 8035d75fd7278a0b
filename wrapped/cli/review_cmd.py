"""CLI commands: `wrapped review sample | serve | export | report` (the human reviewers' tool)."""

from __future__ import annotations

import ipaddress
import json
import secrets
import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from wrapped.errors import ConfigError

review_app = typer.Typer(
    help="Human review: sample stored stories, label them in a local web page, measure "
    "agreement and calibrate the judge.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")


@review_app.command("sample")
def sample(
    runs: Annotated[list[Path], typer.Argument(help="Run folder(s) (runs/<run-id>).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Review set folder to create.")],
    n: Annotated[int, typer.Option("--n", help="Stories to draw.")] = 200,
    strata: Annotated[
        str,
        typer.Option(help="Stratify by these keys: country, tier, decision, judge_band."),
    ] = "country,tier,decision,judge_band",
    include: Annotated[
        list[str],
        typer.Option("--include", help="Also draw from: needs_review (stories held for a human)."),
    ] = [],  # noqa: B006
    adversarial: Annotated[
        bool,
        typer.Option(
            "--adversarial",
            help="Over-sample likely-wrong stories: low judge margins, regenerated, fallbacks, "
            "flagged titles, non-Latin names, estimated minutes.",
        ),
    ] = False,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same sample).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress line.")] = False,
) -> None:
    """Draw a seeded, stratified sample of stored stories into REVIEWS/reviews.sqlite, with
    each story's inclusion probability (so estimates weight back to the whole run)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from wrapped.review.sample import INCLUDE, draw

    bad = [i for i in include if i not in INCLUDE]
    if bad:
        raise ConfigError(f"--include {bad[0]!r}: only {', '.join(INCLUDE)}")
    keys = tuple(k.strip() for k in strata.split(",") if k.strip())
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("reading stories: {task.completed:,.0f}"),
        console=console,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("read", total=None)
        rs = draw(
            runs,
            n=n,
            out=out,
            strata=keys,
            include=tuple(include),
            adversarial=adversarial,
            seed=seed,
            progress=lambda k: bar.advance(task, k),
        )
    population = sum(p for _, _, p in rs.runs())
    print(f"sampled {rs.count()} of {population} stories into {rs.path}")


@review_app.command("serve")
def serve(
    reviews: Annotated[Path, typer.Argument(help="A review set folder.")],
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 0,
    host: Annotated[str, typer.Option(help="Address to bind; loopback unless you mean it.")] = (
        "127.0.0.1"
    ),
    per_story: Annotated[
        int, typer.Option(help="Reviewers per story (2 or more gives agreement figures).")
    ] = 2,
    blind: Annotated[
        bool,
        typer.Option("--blind/--no-blind", help="Hide gate and judge results until labelled."),
    ] = True,
) -> None:
    """Open the review page: prints a URL with a random token (needed once, then a cookie);
    stop with Ctrl-C (every label is already on disk)."""
    import uvicorn

    from wrapped.review.app import create_app

    token = secrets.token_urlsafe(24)
    app = create_app(reviews, token=token, per_story=per_story, blind=blind)
    if not _loopback(host):
        Console(stderr=True).print(
            f"warning: serving on {host}, not loopback: anyone who can reach it and has the URL "
            "can read these stories",
            markup=False,
            soft_wrap=True,
        )
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    print(f"review page: http://{shown}:{bound}/?token={token}", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


@review_app.command("export")
def export(
    reviews: Annotated[Path, typer.Argument(help="A review set folder.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="labels.jsonl or labels.parquet")],
) -> None:
    """Write the labels, one row per (story, reviewer, rubric): what `wrapped eval calibrate`
    reads."""
    from wrapped.review.db import ReviewSet
    from wrapped.review.report import export as write

    n = write(ReviewSet.open(reviews), out)
    print(f"wrote {n} label row(s) to {out}")


@review_app.command("report")
def report(
    reviews: Annotated[Path, typer.Argument(help="A review set folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
) -> None:
    """Agreement between reviewers (Cohen's or Fleiss' κ), judge–human agreement per rubric,
    the gate's precision and recall, and each run's weighted defect rate."""
    from wrapped.review.db import ReviewSet
    from wrapped.review.report import report as build

    rep = build(ReviewSet.open(reviews), seed=seed)
    if as_json:
        print(json.dumps(rep.model_dump(mode="json"), indent=1))
        return
    print(
        f"stories {rep.stories}, labelled {rep.labelled}, reviewers: "
        f"{', '.join(rep.reviewers) or 'none'}"
    )
    if rep.agreement_method:
        print(f"reviewer agreement ({rep.agreement_method} kappa, 95% CI):")
        for rubric, fig in rep.agreement.items():
            print(f"  {rubric:<11} {fig.text()}")
    else:
        print("reviewer agreement: no story labelled by two reviewers yet")
    if rep.judge_human:
        print("judge vs human (Cohen's kappa, raw agreement):")
        for rubric, fig in rep.judge_human.items():
            print(f"  {rubric:<11} {fig.text()}  agree {rep.judge_raw_agreement[rubric]:.0%}")
    else:
        print("judge vs human: no judge scores in these stories (the judge was off)")
    g = rep.gate
    print(
        f"gate as a defect detector: precision {_num(g['precision'])}, recall "
        f"{_num(g['recall'])} (held+rejected {g['held_and_rejected']}, held+approved "
        f"{g['held_but_approved']}, passed+rejected {g['passed_but_rejected']})"
    )
    for run, fig in rep.defect_rate.items():
        print(f"defect rate of {run} (weighted to the run): {fig.text()}")


def _num(x: object) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
