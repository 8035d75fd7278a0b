"""The `wrapped` command. Each command group lives in its own module and registers itself here.

Errors are turned into one line and an exit code here, at the edge, and nowhere else.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from wrapped.errors import Terminated, WrappedError
from wrapped.text import printable

app = typer.Typer(
    name="wrapped",
    help=(
        "Turn a year of listening events into grounded, safe, LLM-written year-in-review "
        "stories: ingest -> stats -> prompts -> generate -> gate -> store."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

err_console = Console(stderr=True)


def _register() -> None:
    # Imported here so `wrapped --help` stays fast and a broken group names itself.
    from wrapped.cli import (
        demo_cmd,
        erase_cmd,
        eval_cmd,
        gate_cmd,
        generate_cmd,
        ingest_cmd,
        llm_cmd,
        monitor_cmd,
        prompts_cmd,
        review_cmd,
        stats_cmd,
    )

    for module in (
        ingest_cmd,
        stats_cmd,
        prompts_cmd,
        generate_cmd,
        gate_cmd,
        erase_cmd,
        demo_cmd,
        llm_cmd,
        review_cmd,
        monitor_cmd,
        eval_cmd,
    ):
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, turning `WrappedError` into one clear line."""
    try:
        app(args=argv, standalone_mode=True)
    except WrappedError as exc:
        # escaped: a message quotes paths, fields and values, and "[...]" in them is not markup
        err_console.print(
            f"[bold red]error:[/] {escape(printable(exc.message))}", highlight=False, soft_wrap=True
        )
        sys.exit(exc.exit_code)
    except OSError as exc:
        # the disk is full, a folder vanished or turned read-only mid-run: say which file and
        # why, in one line (a batch run has stored what it finished; rerunning resumes it)
        where = f"{exc.filename}: " if exc.filename else ""
        err_console.print(
            printable(f"error: {where}{exc.strerror or exc}"),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
    except KeyboardInterrupt:
        _interrupted(argv)
        sys.exit(130)
    except Terminated:
        _interrupted(argv, "terminated (SIGTERM)")
        sys.exit(143)
    except SystemExit as exc:
        if exc.code == 130:  # typer turns Ctrl-C into a silent exit 130
            _interrupted(argv)
        raise


def _interrupted(argv: list[str] | None, what: str = "interrupted") -> None:
    words = sys.argv[1:] if argv is None else argv
    resume = "; rerun the same command to resume" if "generate" in words else ""
    err_console.print(f"{what}{resume}", markup=False, highlight=False)


if __name__ == "__main__":
    main()
