"""SIGTERM takes the Ctrl-C path, and the kind of stop is remembered.

A scheduler (systemd, Slurm, Kubernetes) stops a job with SIGTERM. Python's default would end
the process on the spot; once Ray is up, its own handler prints a crash report. Here the signal
raises KeyboardInterrupt, which the Ray code the driver waits in passes through cleanly, and an
event records that it was SIGTERM, so the run can stop its workers, write its manifest and exit
with the CLI's own code (143).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

#: set by the SIGTERM handler: Ray's C code re-raises what the handler raised as a plain
#: KeyboardInterrupt, so the kind of stop is kept here
_SIGTERM = threading.Event()


def stopped_by_sigterm() -> bool:
    """Whether the last run was stopped by SIGTERM (then Ray's processes may be gone too)."""
    return _SIGTERM.is_set()


def forget_sigterm() -> None:
    """A new run starts: an earlier run's SIGTERM says nothing about this one."""
    _SIGTERM.clear()


def stop_on_sigterm() -> Any:
    """Install the handler (in the main thread only, where signals are delivered). It raises
    KeyboardInterrupt because anything else became a SystemError inside Ray's waits. Returns
    the handler it replaced (None off the main thread). Call it again after Ray starts: Ray
    installs its own."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def _raise(signum: int, frame: FrameType | None) -> None:
        _SIGTERM.set()
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, _raise)


def restore_sigterm(previous: Any) -> None:
    """Put back the handler `stop_on_sigterm` replaced."""
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)
