"""Where everything of one run lives. One place, so `erase` and reviewers find it all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: output kinds written per shard
KINDS = ("stories", "needs_review", "failed", "verdicts", "user_years", "listeners")
#: tables of a shard's columns (`wrapped.store.columns`), written when it is sealed
COLUMN_TABLES = ("listeners", "days", "stories", "verdicts")


@dataclass(frozen=True)
class RunLayout:
    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def plan(self) -> Path:
        return self.root / "plan.json"

    @property
    def plan_counts(self) -> Path:
        return self.root / "plan_counts.json"

    @property
    def ingest_dir(self) -> Path:
        return self.root / "ingest"

    @property
    def ineligible(self) -> Path:
        return self.root / "ineligible.jsonl"

    def shard_file(self, kind: str, shard: int) -> Path:
        assert kind in KINDS, kind
        return self.root / kind / f"shard-{shard:05d}.jsonl"

    def columns_file(self, table: str, shard: int) -> Path:
        assert table in COLUMN_TABLES, table
        return self.root / "columns" / table / f"shard-{shard:05d}.parquet"

    def journal(self, shard: int) -> Path:
        return self.root / "journal" / f"shard-{shard:05d}.jsonl"

    def shard_done(self, shard: int) -> bool:
        """A shard is complete when its stories file exists (written last, atomically)."""
        return self.shard_file("stories", shard).exists()
