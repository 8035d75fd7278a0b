"""`wrapped demo-data`: the seeded demo generator (bundled sample, or canonical data at any size)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main app."""

    @app.command("demo-data")
    def demo_data(
        out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")],
        listeners: Annotated[int, typer.Option(min=1, help="Number of listeners.")] = 24,
        seed: Annotated[
            int, typer.Option(help="Random seed: the same seed writes the same bytes.")
        ] = 0,
        year: Annotated[
            int,
            typer.Option(
                min=1900,
                max=2100,  # the `year` setting's bounds: stats and generate accept no other
                help="The year the listening happens in (plus half a year of history).",
            ),
        ] = 2024,
        events: Annotated[
            int | None,
            typer.Option(
                min=1,
                help="Write canonical tables of this many events instead of export files "
                "(events.parquet, profiles.parquet, catalog.parquet: an ingest output folder, "
                "for benchmarks).",
            ),
        ] = None,
        plant_: Annotated[
            list[str] | None,
            typer.Option(
                "--plant",
                help="Plant a seeded fault, FAULT:COUNTRY (repeatable): tz-shift:JP shifts that "
                "country's timestamps by its UTC offset (a lost time-zone conversion); "
                "catalog-gap:BR leaves that country's artists without genres. For showing the "
                "run monitor a fault (see `wrapped monitor`).",
            ),
        ] = None,
    ) -> None:
        """Generate demo listening data.

        Without --events: the bundled-sample layout in the services' real export formats (one
        folder per listener, plus catalog.csv and profiles.csv), ready for `wrapped ingest`.
        With --events N: canonical events at any size, generated vectorized (10M in seconds).
        """
        from wrapped.demo import parse_fault
        from wrapped.errors import ConfigError

        faults = tuple(parse_fault(f) for f in plant_ or ())
        console = Console()
        if events is None:
            from wrapped.demo import write_sample

            write_sample(out, n_listeners=listeners, seed=seed, year=year, faults=faults)
            console.print(
                f"wrote a {listeners}-listener sample in export formats to {out}",
                highlight=False,
                markup=False,
            )
            return
        if events < listeners:
            raise ConfigError("--events must be at least --listeners (everyone plays once)")
        from wrapped.demo import generate_canonical
        from wrapped.ingest import IngestReport, IngestResult, write_ingest

        data = generate_canonical(events, listeners, year=year, seed=seed)
        if faults:
            from wrapped.demo import plant

            country_of = dict(zip(data.profiles["user_id"], data.profiles["country"], strict=True))
            planted = data.events
            for fault in faults:
                planted = plant(planted, country_of, fault)
            data = data._replace(events=planted)
        n = len(data.events)
        report = IngestReport(
            read=n,
            accepted=n,
            users=listeners,
            profiles=len(data.profiles),
            catalog_rows=len(data.catalog),
        )
        write_ingest(
            IngestResult(
                events=data.events, profiles=data.profiles, catalog=data.catalog, report=report
            ),
            out,
        )
        console.print(
            f"wrote {n:,} canonical events of {listeners:,} listeners to {out}"
            + "".join(f" (planted {f.kind}:{f.country})" for f in faults),
            highlight=False,
            markup=False,
        )
