"""The README stays true: its runnable examples run, and every other `wrapped` command it shows
names a real subcommand with real options. (The two set-up commands are run by CI itself and by
the batch tests.)"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from _batch_helpers import cli_env

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _wrapped_lines(block: str) -> list[list[str]]:
    out = []
    for line in block.splitlines():
        line = line.split("  #")[0].strip().rstrip("&").strip()
        words = shlex.split(line) if line else []
        while words and "=" in words[0] and not words[0].startswith("-"):
            words = words[1:]  # VAR=value prefixes
        if words and words[0] == "wrapped":
            out.append(words[1:])
    return out


def test_the_two_setup_commands_are_the_ones_ci_runs():
    fenced = re.findall(r"```\n(python3 -m venv .*?)\n```", README)
    assert len(fenced) == 2
    ci = [
        line
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.startswith("python3")
    ]
    assert ci == [fenced[1]]
    assert fenced[0].endswith("wrapped generate data/sample --out runs")


def test_runnable_examples_run_in_order(tmp_path):
    (tmp_path / "data").symlink_to(REPO / "data")
    env = cli_env(tmp_path)
    env.pop("WRAPPED_SALT")  # the README's example ids are the sample's under the default salt
    commands = [c for b in _blocks("bash") for c in _wrapped_lines(b)]
    assert len(commands) >= 5
    for args in commands:
        res = subprocess.run(
            [sys.executable, "-m", "wrapped", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert res.returncode == 0, f"wrapped {' '.join(args)}\n{res.stderr[-2000:]}"
    assert list((tmp_path / "runs").glob("*/stories/shard-*.jsonl"))


ILLUSTRATIVE = [c for b in _blocks("sh") for c in _wrapped_lines(b)]


@pytest.mark.parametrize("args", ILLUSTRATIVE, ids=[" ".join(a[:2]) for a in ILLUSTRATIVE])
def test_illustrative_commands_use_real_subcommands_and_options(args):
    """Each probe is `wrapped ... --help` through typer's runner, in this process: the real
    CLI's parser and help (every command's real subprocess runs are the runnable examples
    above and each command's own tests)."""
    from typer.testing import CliRunner

    from wrapped.cli.main import app

    def help_of(*argv: str):
        return CliRunner().invoke(app, [*argv, "--help"], env={**cli_env(REPO), "COLUMNS": "300"})

    words = [a for a in args if not a.startswith("-")]
    sub: list[str] = []
    for w in words[:2]:
        if help_of(*sub, w).exit_code == 0:
            sub.append(w)
        else:
            break
    assert sub, f"no such command: wrapped {args[0]}"
    res = help_of(*sub)
    assert res.exit_code == 0, res.output
    for opt in (a.split("=")[0] for a in args if a.startswith("--")):
        assert opt in res.stdout, f"wrapped {' '.join(sub)} has no option {opt}"


def _commands():
    import typer

    from wrapped.cli.main import app

    root = typer.main.get_command(app)
    for name, cmd in root.commands.items():
        for sub, leaf in getattr(cmd, "commands", {None: cmd}).items():
            yield [name] + ([sub] if sub else []), leaf


@pytest.mark.parametrize(
    ("argv", "cmd"), list(_commands()), ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_every_option_help_is_printed_as_written(argv, cmd):
    """--help is rendered with rich markup: "needs the [local] extra" was printed as "needs the
    extra". Every option's help must reach the screen word for word."""
    from typer.testing import CliRunner

    from wrapped.cli.main import app

    res = CliRunner().invoke(app, [*argv, "--help"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    shown = " ".join(re.sub(r"[│╭╮╰╯─]", " ", res.output).split())
    for p in cmd.params:
        text = getattr(p, "help", None)
        if text:
            assert " ".join(text.replace("\\[", "[").split()) in shown, (p.name, shown[-3000:])
