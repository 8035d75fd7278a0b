"""CLI commands of the LLM layer: `wrapped fake-llm` (the scripted OpenAI-compatible server)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from wrapped.errors import ConfigError, InputError


def fake_llm(
    port: Annotated[int, typer.Option(help="TCP port on 127.0.0.1 (0 = any free port).")] = 8089,
    host: Annotated[
        str, typer.Option(help="Interface to bind; keep it on loopback.")
    ] = "127.0.0.1",
    latency_ms: Annotated[
        float | None,
        typer.Option(
            help="Time from a request to its answer, in ms, the reply built within it (default 0)."
        ),
    ] = None,
    jitter_ms: Annotated[
        float | None, typer.Option(help="Extra random delay 0..N ms, seeded (default 0).")
    ] = None,
    fault_rate: Annotated[
        float | None,
        typer.Option(
            help="Share of requests (0..1) answered with a fault: 429 with Retry-After, 500, "
            "503, a hang past the client timeout, malformed JSON or truncated output (default 0)."
        ),
    ] = None,
    defect_rate: Annotated[
        float | None,
        typer.Option(
            help="Share of story replies (0..1) with a planted defect: hallucinated artist, "
            "wrong number, unsafe reference, repetition or an echoed injection (default 0)."
        ),
    ] = None,
    retry_after_s: Annotated[
        float | None, typer.Option(help="Retry-After of scripted 429s, s (default 1).")
    ] = None,
    hang_s: Annotated[
        float | None, typer.Option(help="How long a 'hang' fault holds a request, s (default 30).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed for every random choice (default 0).")
    ] = None,
    reply: Annotated[
        str | None,
        typer.Option(help="grounded (compose from the data block) or fixed (default grounded)."),
    ] = None,
    judge_model: Annotated[
        str | None,
        typer.Option(help="Requests for this model get judge replies (default scripted-judge)."),
    ] = None,
    script: Annotated[
        Path | None,
        typer.Option(
            help="A Script as JSON (rules per user/day/attempt/try; see wrapped.testing.script); "
            "options given on the command line override its fields.",
            exists=False,
        ),
    ] = None,
) -> None:
    """Run the scripted OpenAI-compatible server in the foreground (Ctrl-C stops it).

    Point any OpenAI client at http://127.0.0.1:PORT/v1 with any key. GET /_log shows every
    request (user, day, outcome, paid); POST /_script replaces the script while it runs.
    """
    from wrapped.testing import Script, serve_forever

    if reply is not None and reply not in ("grounded", "fixed"):
        raise ConfigError(f"--reply must be 'grounded' or 'fixed', not {reply!r}")
    values: dict[str, Any] = {}
    if script is not None:
        try:
            values = Script.model_validate_json(script.read_text(encoding="utf-8")).model_dump()
        except FileNotFoundError:
            raise InputError("script file not found", file=str(script)) from None
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            raise InputError(
                f"not a valid script ({where}: {err['msg']})", file=str(script)
            ) from None
    given = {
        "latency_ms": latency_ms,
        "jitter_ms": jitter_ms,
        "fault_rate": fault_rate,
        "defect_rate": defect_rate,
        "retry_after_s": retry_after_s,
        "hang_s": hang_s,
        "seed": seed,
        "reply": reply,
        "judge_model": judge_model,
    }
    values.update({k: v for k, v in given.items() if v is not None})
    try:
        full = Script.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(
            f"option '{'.'.join(str(x) for x in err['loc'])}': {err['msg']}"
        ) from None
    try:
        serve_forever(full, host=host, port=port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main app."""
    app.command("fake-llm")(fake_llm)
