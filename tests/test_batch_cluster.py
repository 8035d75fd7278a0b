"""`--ray-address`: the README's cluster run, against a real cluster that `ray start` launched."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _batch_helpers import cli_env, manifest, only_run, read_lines, run_cli, run_main

from wrapped.llm.probe import PROBE_TIMEOUT_S

REPO = Path(__file__).resolve().parents[1]
SAMPLE = str(REPO / "data" / "sample")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def head(tmp_path_factory):
    """A one-node cluster as an operator starts it (`ray start --head`, Ray's defaults: on
    Ray 2.59+ that includes a token the driver must send), stopped with SIGTERM, which drains
    it and stops only its own processes."""
    port = _free_port()
    log = tmp_path_factory.mktemp("ray-head") / "ray_start.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAY_ADDRESS", "RAY_AUTH"))}
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    ray_cli = Path(sys.executable).with_name("ray")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(ray_cli), "start", "--head", f"--port={port}", "--num-cpus=2",
             "--include-dashboard=false", "--block"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "Ray runtime started" not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"ray start --head did not come up:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_the_job_runs_on_an_existing_cluster_and_the_manifest_says_which(head, tmp_path):
    out = tmp_path / "runs"
    res = run_cli(
        ["generate", SAMPLE, "--out", str(out), "--users", "4", "--ray-address", f"127.0.0.1:{head}"],
        cli_env(tmp_path),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    run = only_run(out)
    ray_info = manifest(run)["ray"]
    assert ray_info["joined"] is True and ray_info["address"].endswith(f":{head}")
    assert ray_info["nodes"] == 1 and ray_info["cpus"] == 2
    stories = read_lines(run / "stories")
    assert len({s["user_id"] for s in stories}) == 4


def test_a_cluster_started_on_this_machine_does_not_stop_a_local_run(head, tmp_path):
    """Without an address the job starts its own Ray, even when `ray start` left a cluster
    running here (plain `ray.init()` would join that one and refuse the job's CPU count)."""
    out = tmp_path / "runs"
    res = run_cli(["generate", SAMPLE, "--out", str(out), "--users", "2"], cli_env(tmp_path))
    assert res.returncode == 0, res.stderr[-3000:]
    ray_info = manifest(only_run(out))["ray"]
    assert ray_info["joined"] is False and not ray_info["address"].endswith(f":{head}")


@pytest.mark.parametrize("scheme", ["", "ray://"])
def test_an_address_nobody_listens_on_is_one_line_in_seconds(tmp_path, scheme):
    """Given such an address, Ray alone retries for minutes, printing its C++ warnings."""
    address = f"{scheme}127.0.0.1:{_free_port()}"
    t0 = time.monotonic()
    res = run_main(["generate", SAMPLE, "--out", str(tmp_path / "runs"), "--ray-address", address],
                   cli_env(tmp_path))  # fmt: skip
    took = time.monotonic() - t0
    assert res.returncode == 2
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"cannot reach the Ray cluster at '{address}'" in errors[0]
    assert "Traceback" not in res.stderr and "gcs_client" not in res.stderr
    assert took < 30 + PROBE_TIMEOUT_S, took  # start-up and the refused connect, not minutes
    assert not (tmp_path / "runs").exists()


def test_an_address_that_is_not_host_and_port_is_one_line(tmp_path):
    res = run_main(["generate", SAMPLE, "--out", str(tmp_path / "runs"), "--ray-address", "head"],
                   cli_env(tmp_path))  # fmt: skip
    assert res.returncode == 2
    assert "error: Ray address 'head' (--ray-address or RAY_ADDRESS) is not HOST:PORT" in res.stderr
