"""The run monitor: one run against earlier runs — drift per cohort, skew for the same listeners,
invariants that catch silent failures, and one-line alerts with an exit code a scheduler acts on.

Reads runs only through the store (`wrapped.store.RunStore`) and shares its statistics and
charts with the eval suites (`wrapped.analysis`).
"""

from wrapped.monitor.config import MonitorConfig, default_text, load_config
from wrapped.monitor.engine import monitor, monitor_paths
from wrapped.monitor.load import RunData, load_run
from wrapped.monitor.report import Finding, Report

__all__ = [
    "Finding",
    "MonitorConfig",
    "Report",
    "RunData",
    "default_text",
    "load_config",
    "load_run",
    "monitor",
    "monitor_paths",
]
