"""The run store: `runs/<run-id>/` with atomic per-shard files, a journal for resume, and a
typed, versioned manifest; `RunStore` reads a run back."""

from wrapped.store.files import (
    atomic_write_text,
    check_out_dir,
    read_jsonl,
    write_jsonl_atomic,
)
from wrapped.store.journal import Journal
from wrapped.store.layout import RunLayout
from wrapped.store.model import (
    SCHEMA_VERSION,
    Counts,
    Failure,
    Ineligible,
    ListenerLine,
    Plan,
    PlanCounts,
    RunManifest,
    StoryCounts,
)
from wrapped.store.rows import StoryRow
from wrapped.store.run import ListenerRecords, RunStore

__all__ = [
    "SCHEMA_VERSION",
    "Counts",
    "Failure",
    "Ineligible",
    "Journal",
    "ListenerLine",
    "ListenerRecords",
    "Plan",
    "PlanCounts",
    "RunLayout",
    "RunManifest",
    "RunStore",
    "StoryCounts",
    "StoryRow",
    "atomic_write_text",
    "check_out_dir",
    "read_jsonl",
    "write_jsonl_atomic",
]
