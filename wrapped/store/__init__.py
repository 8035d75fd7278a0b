"""The run store: `runs/<run-id>/` with atomic per-shard files, a journal for resume, a manifest."""

from wrapped.store.files import (
    atomic_write_text,
    check_out_dir,
    read_jsonl,
    write_jsonl_atomic,
)
from wrapped.store.journal import Journal
from wrapped.store.layout import RunLayout

__all__ = [
    "Journal",
    "RunLayout",
    "atomic_write_text",
    "check_out_dir",
    "read_jsonl",
    "write_jsonl_atomic",
]
