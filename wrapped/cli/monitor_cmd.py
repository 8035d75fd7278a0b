"""`wrapped monitor`: one run against earlier runs; one line per alert; exit 1 when any fires."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main app."""

    @app.command("monitor")
    def monitor(
        run: Annotated[
            Path,
            typer.Argument(
                help="The run to check (a run folder, or a `wrapped stats` output for input figures only)."
            ),
        ],
        baseline: Annotated[
            list[Path],
            typer.Option(
                "--baseline", "-b", help="An earlier run to compare with (repeat to pool several)."
            ),
        ],
        config: Annotated[
            Path | None,
            typer.Option(
                "--config",
                help="Monitor TOML (thresholds, cohorts) over the packaged defaults; `wrapped monitor-config` prints them.",
            ),
        ] = None,
        json_out: Annotated[
            Path | None, typer.Option("--json", help="Write every finding as JSON here.")
        ] = None,
        html_out: Annotated[
            Path | None,
            typer.Option("--html", help="Write a self-contained HTML report with plots here."),
        ] = None,
    ) -> None:
        """Compare RUN with its baseline(s): input drift, output drift, skew for the same
        listeners and invariants, per cohort. Prints one line per alert (metric, cohort,
        baseline -> now, threshold). Exit 0: no alert; 1: at least one alert; 2: bad input or
        config. A scheduler stops the pipeline on a non-zero exit, before stories ship."""
        from wrapped.monitor import load_config, monitor_paths
        from wrapped.store import atomic_write_text

        cfg = load_config(config)
        # a status line on a terminal (stderr): reading a big run takes a while
        with Console(stderr=True).status("reading the runs and comparing them"):
            report = monitor_paths(run, list(baseline), cfg)
        if json_out is not None:
            atomic_write_text(json_out, report.model_dump_json(indent=1) + "\n")
        if html_out is not None:
            from wrapped.monitor.html import render

            atomic_write_text(html_out, render(report))
        out = Console(highlight=False, soft_wrap=True)
        alerts = report.alerts
        for f in alerts:
            out.print(f.line(), markup=False)
        explained = sum(f.explained_by is not None for f in report.findings)
        tail = f"; {explained} more explained by those cohorts" if explained else ""
        out.print(
            f"{len(alerts)} alert(s) from {len(report.findings)} figures "
            f"({report.tests} tests, {report.correction} at alpha {report.alpha:g}{tail})",
            markup=False,
        )
        if alerts:
            raise typer.Exit(1)

    @app.command("monitor-config")
    def monitor_config() -> None:
        """Print the monitor's default config (copy it, change thresholds, pass --config)."""
        from wrapped.monitor import default_text

        typer.echo(default_text(), nl=False)
