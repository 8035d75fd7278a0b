"""The cycle collector's settings for processes that score stories for a long time.

Scoring a story allocates thousands of short-lived containers (claims, facts, matches), almost
all freed by reference counting the moment the story is done. At CPython's default threshold
(a young pass every 700 net allocations) the collector still walks them, and promotes enough to
trigger middle and full passes over everything alive: 11% of a batch worker's CPU over 1,687
stories. With what is alive at start-up frozen (never walked again) and a young pass only every
20,000 allocations, most of those objects are gone before any pass sees them (3% in the
worker). Nothing here changes what is collected, only how often the collector looks; the pause
of a young pass stays around 50 ms.

The long-running processes use them (the batch worker, `wrapped.batch.worker`; the scripted LLM
server, `wrapped.testing.harness`), and so does rescoring with the deterministic scorers
(`wrapped.eval.rescore`, for the length of the scoring): there the results grow with every
story, and at CPython's defaults the full passes over them took 9.6% of the CPU of rescoring
10,000 stories, 1.4% with these settings (timed by `gc.callbacks`, one process).
`benchmarks/bench_gate.py` measures the gate under them too, as the workers run it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: allocations between young passes (CPython's default is 700)
YOUNG = 20_000
#: young passes per middle pass, middle passes per full pass (CPython's: 10, 10)
OLDER = (20, 100)


def settle_long_running() -> None:
    """For a process that now only serves: collect once, freeze what is alive (modules, clients,
    the lexicon) out of every later walk, and space the passes out. Not undone."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, *OLDER)


@contextmanager
def scoring_heap() -> Iterator[None]:
    """The same spacing of passes for the length of a `with` block (a command that scores many
    stories and then goes on), restoring the thresholds it found."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG, *OLDER)
    try:
        yield
    finally:
        gc.set_threshold(*before)
