"""CLI commands: stats (`wrapped stats EVENTS --out DIR`)."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wrapped.errors import InputError
from wrapped.text import printable

if TYPE_CHECKING:  # pandas loads only when a command runs (startup time)
    import pandas as pd


def _read_table(path: Path, what: str) -> pd.DataFrame:
    """A Parquet or CSV file as a DataFrame, with one clear error when it cannot be read."""
    import pandas as pd

    if not path.exists():
        raise InputError(f"{what} file not found", file=str(path))
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            return pd.read_parquet(path)
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path, dtype_backend="pyarrow")
    except Exception as exc:  # pandas/pyarrow raise many types; the user needs one line
        raise InputError(f"cannot read {what}: {exc}", file=str(path)) from None
    raise InputError(f"{what} must be a .parquet or .csv file", file=str(path))


def load_inputs(
    events: Path, profiles: Path | None, catalog: Path | None, max_name_chars: int = 500
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None, dict[str, int]]:
    """(events, profiles, catalog, names cleaned) from a file or an ingest output directory.

    A table that did not come from `wrapped ingest` has had no one clean its names: they are
    cleaned here by ingest's own rule (control, C1 and bidi characters removed, names over
    `max_name_chars` cut with a marker), and each change counted.
    """
    import pandas as pd

    from wrapped.events import conform
    from wrapped.ingest.clean import clean_names

    if events.is_dir():
        ev_path = events / "events.parquet"
        if not ev_path.exists():
            raise InputError(
                "directory has no events.parquet (run `wrapped ingest` first)", file=str(events)
            )
        if profiles is None and (events / "profiles.parquet").exists():
            profiles = events / "profiles.parquet"
        if catalog is None and (events / "catalog.parquet").exists():
            catalog = events / "catalog.parquet"
        events = ev_path
    ev = _read_table(events, "events")
    if "ts" not in ev.columns or "user_id" not in ev.columns:
        raise InputError(
            "not a canonical events table (needs user_id, ts, ms_played, kind)", file=str(events)
        )
    try:
        ev["ts"] = pd.to_datetime(ev["ts"], utc=True)
        ev = conform(ev)
    except (ValueError, TypeError) as exc:
        raise InputError(f"cannot read canonical events: {exc}", file=str(events)) from None
    cleaned = clean_names(ev, max_name_chars)
    prof = _read_table(profiles, "profiles") if profiles else None
    if prof is not None and "birth_date" in prof.columns:
        # year 1 or 2090 is a typo or a placeholder, not an age band (ingest does the same)
        from wrapped.ingest.validate import birth_dates

        prof["birth_date"] = birth_dates(prof["birth_date"].astype("string"))
    cat = _read_table(catalog, "catalog") if catalog else None
    return ev, prof, cat, cleaned


def _reason_kind(reason: str) -> str:
    """Group ineligibility reasons for the summary (the full reason is in each JSON)."""
    if reason.startswith("no listening"):
        return "no listening in the window"
    return "too few plays" if " play" in reason.split(" between ")[0] else "too few minutes"


def _safe_name(user_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", user_id) or "_"


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main app."""

    @app.command("stats")
    def stats(
        events: Annotated[
            Path,
            typer.Argument(
                help="Canonical events (.parquet/.csv) or an ingest output directory "
                "(events.parquet, profiles.parquet, catalog.parquet)."
            ),
        ],
        out: Annotated[
            Path, typer.Option("--out", help="Directory for <user_id>.json files and summary.json.")
        ],
        year: Annotated[
            int | None,
            typer.Option(help="Year to summarize (default: the latest local year with data)."),
        ] = None,
        full_year: Annotated[
            bool,
            typer.Option("--full-year", help="Use the calendar year instead of 1 Jan - 15 Nov."),
        ] = False,
        tz: Annotated[
            str | None,
            typer.Option(
                "--tz", help="IANA time zone for everyone (overrides profile and country)."
            ),
        ] = None,
        profiles: Annotated[
            Path | None,
            typer.Option(help="Profiles table (user_id, country, tier, birth_date, timezone)."),
        ] = None,
        catalog: Annotated[
            Path | None,
            typer.Option(help="Catalog table (artist, track, release_year, genres)."),
        ] = None,
        top_k: Annotated[int | None, typer.Option(help="Length of every top list.")] = None,
        config: Annotated[Path | None, typer.Option(help="TOML config file.")] = None,
    ) -> None:
        """Compute each listener's year (UserYear) and up to 5 interesting days, in local time.

        Writes one JSON per listener (DIR/<user_id>.json) and DIR/summary.json. Ineligible
        listeners are written too, with the reason.
        """
        from rich.console import Console
        from rich.progress import Progress

        from wrapped.cli.notes import default_salt_note
        from wrapped.settings import load_settings
        from wrapped.stats.build import iter_user_years
        from wrapped.store import check_out_dir

        settings = load_settings(config, year=year, full_year=full_year or None, tz=tz, top_k=top_k)
        check_out_dir(out)
        console = Console(stderr=True)
        default_salt_note(settings, console)
        t0 = time.perf_counter()
        ev, prof, cat, cleaned = load_inputs(events, profiles, catalog, settings.max_name_chars)
        if cleaned:
            what = ", ".join(f"{k.replace('_', ' ')}: {n:,}" for k, n in sorted(cleaned.items()))
            console.print(
                f"cleaned names in {printable(str(events))} as ingest does ({what})",
                highlight=False, markup=False, soft_wrap=True,
            )  # fmt: skip
        out.mkdir(parents=True, exist_ok=True)
        n_users = ev["user_id"].nunique()
        listeners = eligible = 0
        window: dict[str, Any] | None = None
        reasons: Counter[str] = Counter()
        sources: Counter[str] = Counter()
        days: Counter[str] = Counter()
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("stats", total=n_users)
            # chunks of whole listeners: memory holds one chunk of models at a time
            for chunk in iter_user_years(ev, profiles=prof, catalog=cat, settings=settings):
                for uy in chunk:
                    path = out / f"{_safe_name(uy.user_id)}.json"
                    path.write_text(uy.model_dump_json(indent=2), encoding="utf-8")
                    listeners += 1
                    eligible += uy.eligible
                    if not uy.eligible:
                        reasons[_reason_kind(uy.ineligible_reason or "")] += 1
                    sources[uy.tz_source] += 1
                    days.update(d.category for d in uy.days)
                    window = window or uy.window.model_dump(mode="json")
                bar.advance(task, len(chunk))
        elapsed = time.perf_counter() - t0
        summary = {
            "listeners": listeners,
            "eligible": eligible,
            "ineligible": listeners - eligible,
            "ineligible_reasons": dict(sorted(reasons.items())),
            "window": window,
            "tz_sources": dict(sorted(sources.items())),
            "days": dict(sorted(days.items())),
            "events": len(ev),
            "names_cleaned": cleaned,
            "seconds": round(elapsed, 3),
        }
        (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
        span = f"{window['start']}..{window['end']}" if window else "-"
        typer.echo(
            f"{summary['listeners']} listeners ({summary['eligible']} eligible), window {span}, "
            f"{len(ev)} events in {elapsed:.1f}s -> {out}"
        )
