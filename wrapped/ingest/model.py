"""What ingest hands on: the canonical tables, the counts, and the records it turned away."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Reject(_Model):
    """One record ingest refused. Never holds the record itself (it may carry private data)."""

    file: str = Field(description="the file's label: its path inside the listener's export")
    record: int = Field(description="0-based index of the record in that file (CSV: data row)")
    field: str | None = Field(default=None, description="the offending field, if one")
    reason: str = Field(description="short code, e.g. 'negative_ms_played', 'duplicate'")
    detail: str | None = Field(default=None, description="one human-readable sentence")
    user_id: str | None = Field(default=None, description="pseudonymous listener, if known")


class FileReport(_Model):
    """Counts for one input file; read = accepted + rejected + dropped + merged."""

    file: str
    format: str
    user_id: str | None = None
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    dropped: int = 0
    merged: int = Field(
        default=0,
        description="account-data plays the listener's extended history also holds (kept there)",
    )


class SkippedFile(_Model):
    """A file inside a folder or zip that is not a listening history (a PDF, a playlist...)."""

    file: str
    reason: str


class IngestReport(_Model):
    """Counts that add up: read = accepted + rejected + dropped + merged, overall and per file."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    dropped: int = 0
    merged: int = Field(
        default=0,
        description="plays read from both of a listener's Spotify exports, counted once",
    )
    rejected_by_reason: dict[str, int] = Field(default_factory=dict)
    rejects_written: int = Field(
        default=0,
        description="rejects written to rejects.jsonl: the first max_rejects_written of each "
        "reason (every reject is counted in rejected_by_reason)",
    )
    dropped_by_reason: dict[str, int] = Field(default_factory=dict)
    cleaned: dict[str, int] = Field(
        default_factory=dict,
        description="names of accepted events changed at ingest: control/bidi characters "
        "removed, names over max_name_chars cut (the event is kept)",
    )
    users: int = 0
    profiles: int = 0
    catalog_rows: int = 0
    files: list[FileReport] = Field(default_factory=list)
    skipped_files: list[SkippedFile] = Field(default_factory=list)

    def adds_up(self) -> bool:
        """True when every count is consistent (the invariant tests and the CLI check)."""
        ok = self.read == self.accepted + self.rejected + self.dropped + self.merged
        ok &= self.rejected == sum(self.rejected_by_reason.values())
        ok &= self.dropped == sum(self.dropped_by_reason.values())
        ok &= self.read == sum(f.read for f in self.files)
        ok &= self.merged == sum(f.merged for f in self.files)
        return ok and all(
            f.read == f.accepted + f.rejected + f.dropped + f.merged for f in self.files
        )

    def summary_lines(self) -> list[str]:
        """Short human summary for the CLI."""
        lines = [
            f"read {self.read:,} records from {len(self.files)} file(s): "
            f"{self.accepted:,} accepted, {self.rejected:,} rejected, {self.dropped:,} dropped"
            + (
                f", {self.merged:,} merged (in both Spotify exports, counted once)"
                if self.merged
                else ""
            ),
            f"{self.users} listener(s), {self.profiles} profile(s), {self.catalog_rows:,} catalog row(s)",
        ]
        for title, counts in (
            ("rejected", self.rejected_by_reason),
            ("dropped", self.dropped_by_reason),
        ):
            for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {title}: {reason}: {n:,}")
        if self.rejects_written < self.rejected:
            lines.append(
                f"  rejects.jsonl holds {self.rejects_written:,} of the {self.rejected:,} rejects "
                "(the first of each reason, setting max_rejects_written)"
            )
        for what, n in sorted(self.cleaned.items()):
            lines.append(f"  cleaned: {what.replace('_', ' ')}: {n:,} name(s)")
        if self.skipped_files:
            lines.append(f"  skipped {len(self.skipped_files)} non-history file(s):")
            lines.extend(_skipped_by_reason(self.skipped_files))
        return lines


def _skipped_by_reason(skipped: list[SkippedFile], most: int = 3) -> list[str]:
    """One line per reason, naming a few of its files (each file and reason is in the report)."""
    names: dict[str, list[str]] = {}
    for s in skipped:
        names.setdefault(s.reason, []).append(s.file.rsplit("/", 1)[-1])
    lines = []
    for reason, files in sorted(names.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        distinct = sorted(set(files))
        shown = ", ".join(distinct[:most]) + (", …" if len(distinct) > most else "")
        lines.append(f"    {reason}: {len(files)} ({shown})")
    return lines


class IngestResult(_Model):
    """Canonical events (wrapped.events) + profiles + optional catalog + report + rejects."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    events: Any = Field(description="pd.DataFrame with EVENT_DTYPES")
    profiles: Any = Field(description="pd.DataFrame with PROFILE_DTYPES")
    catalog: Any = Field(default=None, description="pd.DataFrame with CATALOG_DTYPES, or None")
    report: IngestReport
    rejects: Any = Field(
        default_factory=list,
        description="a Sequence[Reject]: ingest gives a columnar RejectTable (rejects.py)",
    )


def count_by(values: pd.Series | list[str]) -> dict[str, int]:
    """{value: count}, sorted by value, plain ints (JSON-friendly)."""
    return {k: int(v) for k, v in sorted(Counter(list(values)).items())}
