"""`wrapped ingest`: listening-history exports in, canonical events + rejects + report out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main app."""

    @app.command("ingest")
    def ingest_command(
        paths: Annotated[
            list[Path],
            typer.Argument(
                help="Export files, folders or .zip files (Spotify, ListenBrainz, Last.fm, "
                "canonical Parquet/CSV, profiles/catalog CSV); formats are detected from content. "
                "Each sub-folder of a folder is one listener's exports.",
                show_default=False,
            ),
        ],
        out: Annotated[
            Path,
            typer.Option(
                "--out",
                "-o",
                help="Folder for events.parquet, profiles.parquet, "
                "catalog.parquet, rejects.jsonl and ingest_report.json.",
            ),
        ],
        user: Annotated[
            str | None,
            typer.Option(
                help="Listener id for every input (hashed before it is stored); default: "
                "the export's account name, else the listener's folder name."
            ),
        ] = None,
        profiles: Annotated[
            Path | None,
            typer.Option(
                help="Service-side profiles CSV (user, country, tier, birth_date, timezone)."
            ),
        ] = None,
        config: Annotated[
            Path | None,
            typer.Option(help="TOML config file (WRAPPED_* environment variables also work)."),
        ] = None,
        progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    ) -> None:
        """Read listening histories, drop private fields, validate, and write canonical events.

        Prints the counts (read = accepted + rejected + dropped + merged, by reason). An
        unreadable file, or a folder holding several listeners' exports, is a one-line error and
        a non-zero exit.
        """
        from wrapped.cli.notes import default_salt_note
        from wrapped.ingest import ingest, write_ingest
        from wrapped.settings import load_settings
        from wrapped.store import check_out_dir
        from wrapped.text import printable

        settings = load_settings(config)
        default_salt_note(settings)
        check_out_dir(out)
        result = ingest(
            paths, settings=settings, user=user, profiles_path=profiles, progress=progress
        )
        write_ingest(result, out)
        console = Console()
        # file names in the summary are strangers' text: escaped, never acted on by a terminal
        for line in result.report.summary_lines():
            console.print(printable(line), highlight=False, markup=False)
        console.print(f"wrote {printable(str(out))}", highlight=False, markup=False, soft_wrap=True)
