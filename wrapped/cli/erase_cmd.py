"""`wrapped erase`: remove one listener's traces everywhere (GDPR right to erasure)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from wrapped.errors import WrappedError
from wrapped.settings import load_settings


def register(app: typer.Typer) -> None:
    app.command("erase")(erase)


def erase(
    user: Annotated[
        str,
        typer.Option(
            "--user",
            help="The listener: account name/raw id or pseudonymous id.",
            show_default=False,
        ),
    ],
    runs: Annotated[
        list[Path],
        typer.Option(
            "--runs",
            help="Runs folder(s) to clean (repeatable); review data inside is cleaned too.",
        ),
    ] = [Path("runs")],  # noqa: B006
    reviews: Annotated[
        list[Path],
        typer.Option(
            "--reviews",
            help="Review set folder(s) to clean too (repeatable); sets registered in the runs "
            "they were sampled from, or kept under --runs, are found without it.",
        ),
    ] = [],  # noqa: B006
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="Response cache file (default: the configured one)."),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="TOML config file.")] = None,
) -> None:
    """Erase one listener from every run, the response cache and the review data; report what went."""
    from wrapped.erase import erase_user

    settings = load_settings(config)
    report = erase_user(
        user, roots=list(runs), settings=settings, cache_path=cache, reviews=list(reviews)
    )
    console = Console()
    for path, n in sorted(report.removed.items()):
        console.print(
            f"removed {n:>4} record(s) from {path}", highlight=False, markup=False, soft_wrap=True
        )
    if report.cache_rows:
        console.print(f"removed {report.cache_rows} cached response(s) from the response cache")
    for folder, n in sorted(report.review_sets.items()):
        console.print(
            f"removed {n:>4} story(ies) and their labels from review set {folder}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if report.deepeval_caches_removed:
        console.print(f"removed {report.deepeval_caches_removed} judge cache folder(s)")
    console.print(f"erased {report.total} record(s) for this listener")
    if report.still_found:
        raise WrappedError("the listener still appears in: " + ", ".join(report.still_found))
