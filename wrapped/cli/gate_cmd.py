"""CLI commands: gate (`wrapped gate check STORY.json --stats USER.json`)."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wrapped.errors import InputError
from wrapped.text import json_safe, printable


def _read_json(path: Path, what: str) -> Any:
    if not path.exists():
        raise InputError(f"{what} file not found", file=str(path))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON: {exc}", file=str(path)) from None


def load_story(path: Path) -> tuple[Any, date | None]:
    """A Draft from a Draft, Story or corpus-record JSON, and the day it names (if any)."""
    from pydantic import ValidationError

    from wrapped.story import Draft

    data = _read_json(path, "story")
    if not isinstance(data, dict):
        raise InputError("expected a JSON object with 'title' and 'story'", file=str(path))
    if isinstance(data.get("draft"), dict):  # a DraftResult
        data = {**data["draft"], "day": data.get("day")}
    try:
        draft = Draft(
            title=data.get("title", ""), story=data["story"], facts_used=data.get("facts_used", [])
        )
    except KeyError:
        raise InputError("no 'story' field", file=str(path)) from None
    except ValidationError as exc:
        raise InputError(f"not a story: {exc.errors()[0]['msg']}", file=str(path)) from None
    day = data.get("day")
    try:
        return draft, date.fromisoformat(day) if day else None
    except ValueError:
        raise InputError(f"'day' is not a YYYY-MM-DD date: {day!r}", file=str(path)) from None


def load_previous(path: Path) -> list:
    """The listener's earlier stories when the story file carries them (corpus records do)."""
    from pydantic import ValidationError

    from wrapped.story import PreviousStory

    data = _read_json(path, "story")
    try:
        return [PreviousStory.model_validate(p) for p in data.get("previous") or []]
    except (ValidationError, AttributeError, TypeError) as exc:
        raise InputError(f"'previous' is not a list of stories: {exc}", file=str(path)) from None


def load_user_year(path: Path):
    """A UserYear from `wrapped stats` output (one listener's JSON)."""
    from pydantic import ValidationError

    from wrapped.stats.model import UserYear

    data = _read_json(path, "stats")
    try:
        return UserYear.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(
            f"not a listener's stats: {err['msg']}",
            file=str(path),
            field=".".join(str(x) for x in err["loc"]),
        ) from None


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main app."""
    gate_app = typer.Typer(
        help="Run the gate (grounding, safety, judge) on stories.", no_args_is_help=True
    )
    app.add_typer(gate_app, name="gate")

    @gate_app.command("check")
    def check(
        story: Annotated[
            Path,
            typer.Argument(
                help="Story JSON: a Draft ({title, story}), a stored Story or a corpus record."
            ),
        ],
        stats: Annotated[
            Path,
            typer.Option("--stats", help="The listener's stats JSON (`wrapped stats` output)."),
        ],
        day: Annotated[
            str | None,
            typer.Option("--day", help="The story's day, YYYY-MM-DD (default: the story's 'day')."),
        ] = None,
        no_judge: Annotated[
            bool,
            typer.Option(
                "--no-judge", help="Only the deterministic layers (grounding and safety)."
            ),
        ] = False,
        judge_model: Annotated[
            str | None,
            typer.Option("--judge-model", help="Judge model name (else WRAPPED_JUDGE_MODEL)."),
        ] = None,
        judge_base_url: Annotated[
            str | None,
            typer.Option("--judge-base-url", help="Judge endpoint (else WRAPPED_JUDGE_BASE_URL)."),
        ] = None,
        judge_suite: Annotated[
            str | None,
            typer.Option(
                "--judge-suite",
                help="panel (one judge call, the default) or full (deepeval G-Eval + safety).",
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the checks as JSON instead of a table.")
        ] = False,
        claims: Annotated[
            bool, typer.Option("--claims", help="Also list every claim found, grounded or not.")
        ] = False,
        scorer: Annotated[
            list[str] | None,
            typer.Option(
                "--scorer",
                help="Run only this scorer (repeatable): format, grounding, safety, judge.panel, "
                "judge.geval. Default: the whole gate (the judge only after the others pass).",
            ),
        ] = None,
    ) -> None:
        """Check one story against one listener's data; exit 0 if it passes, 1 if it does not.

        Used by prompt engineers to see why a story would be rejected, and by tests.
        """
        from wrapped.gate import Gate, passed, score_story, story_context
        from wrapped.settings import load_settings

        draft, story_day = load_story(story)
        uy = load_user_year(stats)
        when = day or (story_day.isoformat() if story_day else None)
        if when is None:
            raise InputError("the story names no day: pass --day YYYY-MM-DD", file=str(story))
        try:
            the_day = date.fromisoformat(when)
            uy.day(the_day)
        except ValueError:
            raise InputError(f"--day is not a YYYY-MM-DD date: {when!r}") from None
        except KeyError:
            days = ", ".join(d.date.isoformat() for d in uy.days) or "none"
            raise InputError(
                f"{when} is not one of this listener's interesting days ({days})", file=str(stats)
            ) from None
        settings = load_settings(
            judge=False if no_judge else None,
            judge_model=judge_model,
            judge_base_url=judge_base_url,
            judge_suite=judge_suite,
        )
        ctx = story_context(uy, draft, day=the_day, previous=load_previous(story))

        async def run() -> list[Any]:
            gate = Gate(settings)
            try:
                if scorer:
                    return await score_story(draft, ctx, scorer, judge=gate.judge)
                return (await gate.score(draft, ctx)).checks
            finally:
                await gate.aclose()

        checks = asyncio.run(run())
        ok = passed(checks)
        if as_json:
            typer.echo(
                json_safe(
                    json.dumps(
                        {"passed": ok, "checks": [c.model_dump(mode="json") for c in checks]},
                        indent=2,
                        ensure_ascii=False,
                    )
                )
            )
        else:
            console = Console()
            table = Table("check", "status", "score", "reasons")
            for c in checks:
                style = {"pass": "green", "fail": "red", "unscored": "yellow"}.get(c.status, "dim")
                score = "" if c.score is None else f"{c.score:.2f}"
                table.add_row(
                    c.name,
                    f"[{style}]{c.status}[/]",
                    score,
                    escape(printable("\n".join(c.reasons), lines=True)),
                )
            console.print(table)
            if claims:
                for c in checks:
                    for cl in c.claims:
                        mark = "[green]ok[/]" if cl.grounded else "[red]NO[/]"
                        console.print(
                            f"{mark} "
                            + escape(printable(f"{cl.kind:10s} {cl.text!r}  {cl.fact or cl.why}")),
                            highlight=False,
                        )
            console.print("[bold green]PASS[/]" if ok else "[bold red]FAIL[/]")
        raise typer.Exit(0 if ok else 1)
