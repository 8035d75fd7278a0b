"""CLI commands: `wrapped prompts list` and `wrapped prompts render`.

For prompt engineers: see every version with its hash, and the exact bytes a model would get
for one listener's day.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from wrapped.errors import ConfigError, InputError
from wrapped.settings import Settings, load_settings
from wrapped.stats.model import UserYear
from wrapped.text import json_safe, printable

prompts_app = typer.Typer(
    help="Prompt versions: list them with their hashes, render the exact messages for one day.",
    no_args_is_help=True,
)


def _settings(config: Path | None, prompts_dir: Path | None, **kw: object) -> Settings:
    return load_settings(config, prompts_dir=prompts_dir, **kw)


def load_user_year(stats: Path, user: str) -> UserYear:
    """One listener's `UserYear` from a `wrapped stats --out` folder (<user>.json) or a file."""
    path = stats / f"{user}.json" if stats.is_dir() else stats
    if not path.is_file():
        hint = " (pass the folder `wrapped stats --out` wrote)" if stats.is_dir() else ""
        raise InputError(f"no stats for listener {user}{hint}", file=str(path))
    try:
        uy = UserYear.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise InputError(
            f"not a UserYear ({err['msg']})", file=str(path), field=loc or None
        ) from None
    if uy.user_id != user:
        raise InputError(f"holds listener {uy.user_id}, not {user}", file=str(path))
    return uy


ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML config file (else WRAPPED_CONFIG).")
]
PromptsDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--prompts-dir", help="Folder holding prompt versions (default: the repo's prompts/)."
    ),
]


@prompts_app.command("list")
def list_cmd(config: ConfigOpt = None, prompts_dir: PromptsDirOpt = None) -> None:
    """Show every prompt version with its hash (the identity stored with each story)."""
    from wrapped.prompts import list_versions

    settings = _settings(config, prompts_dir)
    versions = list_versions(settings)
    if not versions:
        raise ConfigError(f"no prompt versions in {settings.resolved_prompts_dir()}")
    for v in versions:
        marker = "*" if v.name == settings.prompt_version else " "
        params = ", ".join(f"{k}={val}" for k, val in sorted(v.meta.params.items()))
        typer.echo(f"{marker} {v.name}  {v.hash}  schema={v.meta.output_schema}  {params}")
        typer.echo(f"    {v.meta.description}")
        typer.echo(f"    files: {', '.join(v.files)}")


@prompts_app.command("render")
def render_cmd(
    user: Annotated[
        str, typer.Option("--user", help="Pseudonymous listener id, e.g. u_3f9a1c2b7d4e5f60.")
    ],
    day: Annotated[
        str | None,
        typer.Option(
            "--day", help="One of the listener's interesting days (YYYY-MM-DD); omit to list them."
        ),
    ] = None,
    prompt: Annotated[
        str | None,
        typer.Option("--prompt", help="Prompt version to render (default: settings, v1)."),
    ] = None,
    stats: Annotated[
        Path,
        typer.Option(
            "--stats", help="Output folder of `wrapped stats --out` (or one <user>.json file)."
        ),
    ] = Path("stats"),
    attempt: Annotated[int, typer.Option("--attempt", min=1, help="Attempt number to render.")] = 1,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the PromptPair as JSON instead of readable text.")
    ] = False,
    config: ConfigOpt = None,
    prompts_dir: PromptsDirOpt = None,
) -> None:
    """Print the exact messages the writer model gets for one listener's day."""
    from wrapped.prompts import format_messages, render
    from wrapped.story import StoryRequest

    settings = _settings(config, prompts_dir, prompt_version=prompt)
    uy = load_user_year(stats, user)
    days = ", ".join(f"{d.date} ({d.category})" for d in uy.days) or "none"
    if day is None:
        typer.echo(f"interesting days of {user}: {days}")
        return
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise InputError(f"--day {day!r} is not a date (YYYY-MM-DD)") from None
    if all(d.date != when for d in uy.days):
        raise InputError(f"{when} is not an interesting day of {user}; its days: {days}")
    pair = render(StoryRequest(user_year=uy, day=when, attempt=attempt), settings=settings)
    if as_json:
        typer.echo(
            json_safe(json.dumps(pair.model_dump(mode="json"), ensure_ascii=False, indent=2))
        )
    else:
        typer.echo(printable(format_messages(pair), lines=True), nl=False)


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main app."""
    app.add_typer(prompts_app, name="prompts")
