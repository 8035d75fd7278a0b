"""The collector settings of processes that score many stories (`wrapped.heap`)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from wrapped.heap import OLDER, YOUNG, scoring_heap


def test_scoring_heap_spaces_the_passes_out_and_restores_what_it_found() -> None:
    before = gc.get_threshold()
    assert before != (YOUNG, *OLDER)  # the test process runs with CPython's own settings
    with scoring_heap():
        assert gc.get_threshold() == (YOUNG, *OLDER)
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), scoring_heap():
        raise RuntimeError("a scorer failed")
    assert gc.get_threshold() == before


def test_a_long_running_process_freezes_what_is_alive_and_keeps_the_settings() -> None:
    code = (
        "import gc; from wrapped.heap import settle_long_running; settle_long_running(); "
        "print(gc.get_freeze_count() > 1000, gc.get_threshold())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split(maxsplit=1) == ["True", f"{(YOUNG, *OLDER)}\n"]
