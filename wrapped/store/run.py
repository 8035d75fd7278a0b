"""`RunStore`: one run folder, read back as typed records.

Every reader of a run (the CLI summary, `wrapped erase`, and the eval, review and monitor tools)
goes through this class instead of opening files and indexing dicts by string keys, so a change
of format is made, versioned and tested in one place. What it yields is what was sealed: a
listener still in a journal (a running or stopped run) shows up once its shard is sealed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from wrapped.errors import InputError
from wrapped.stats.model import UserYear
from wrapped.store.files import atomic_write_text, read_jsonl
from wrapped.store.layout import RunLayout
from wrapped.store.model import (
    SCHEMA_VERSION,
    Failure,
    Ineligible,
    ListenerLine,
    Plan,
    PlanCounts,
    RunManifest,
)
from wrapped.story import Story, Verdict

M = TypeVar("M", bound=BaseModel)


class RunStore:
    """Read (and, for the writers of a run, rewrite) one run folder's typed files."""

    def __init__(self, root: Path) -> None:
        self.layout = RunLayout(Path(root))

    @classmethod
    def open(cls, root: Path) -> RunStore:
        """A run folder whose manifest this release can read; else one line that says why."""
        store = cls(root)
        if not store.layout.root.is_dir():
            raise InputError("no such run folder", file=str(root))
        if not store.has_manifest:
            raise InputError("not a run folder (no manifest.json)", file=str(root))
        store.manifest()
        return store

    @staticmethod
    def find(root: Path) -> list[Path]:
        """Every run folder under `root` (root itself included), sorted."""
        root = Path(root)
        found = {p.parent for name in ("manifest.json", "plan.json") for p in root.rglob(name)}
        return sorted(p for p in found if ".deepeval" not in p.parts)

    @property
    def root(self) -> Path:
        return self.layout.root

    @property
    def has_manifest(self) -> bool:
        return self.layout.manifest.exists()

    # --- the run's documents ------------------------------------------------------------------

    def manifest(self) -> RunManifest:
        """manifest.json, typed. A manifest of release 0.1.0 (no schema_version) reads as
        schema 1; a newer schema, a damaged file or an unknown field is one clear line."""
        data = _read_json(self.layout.manifest)
        version = data.get("schema_version", 1) if isinstance(data, dict) else None
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise InputError(
                f"written by a newer wrapped (manifest schema {version}; this release reads up "
                f"to {SCHEMA_VERSION}): upgrade wrapped to read this run",
                file=str(self.layout.manifest),
            )
        return _validate(RunManifest, data, self.layout.manifest)

    def plan(self) -> Plan:
        return _validate(Plan, _read_json(self.layout.plan), self.layout.plan)

    def plan_counts(self) -> PlanCounts:
        path = self.layout.plan_counts
        return _validate(PlanCounts, _read_json(path), path)

    def ingest_report(self) -> dict[str, Any] | None:
        """ingest/ingest_report.json (the counts of what was read, accepted, rejected)."""
        path = self.layout.ingest_dir / "ingest_report.json"
        if not path.exists():
            return None
        report: dict[str, Any] = _read_json(path)
        return report

    def write_manifest(self, manifest: RunManifest) -> None:
        atomic_write_text(self.layout.manifest, manifest.to_json())

    def write_plan(self, plan: Plan) -> None:
        atomic_write_text(self.layout.plan, plan.model_dump_json(indent=1) + "\n")

    def write_plan_counts(self, counts: PlanCounts) -> None:
        text = json.dumps(counts.model_dump(), sort_keys=True) + "\n"
        atomic_write_text(self.layout.plan_counts, text)

    # --- the run's records, sealed shards in shard order --------------------------------------

    def stories(self) -> Iterator[Story]:
        """Stored stories (passed the gate, or the embedded writer's fallback, marked)."""
        return self._records("stories", Story)

    def needs_review(self) -> Iterator[Story]:
        """Stories held for a human (`--on-gate-fail needs_review`)."""
        return self._records("needs_review", Story)

    def verdicts(self) -> Iterator[Verdict]:
        """Every story's verdict: checks, attempts, decision."""
        return self._records("verdicts", Verdict)

    def user_years(self) -> Iterator[UserYear]:
        """The UserYear each listener's stories were written from."""
        return self._records("user_years", UserYear)

    def failed(self) -> Iterator[Failure]:
        """Listeners that failed, and stories that failed the gate for good."""
        return self._records("failed", Failure)

    def listeners(self) -> Iterator[ListenerLine]:
        """One compact line per finished listener: status, decisions, usage."""
        return self._records("listeners", ListenerLine)

    def ineligible(self) -> Iterator[Ineligible]:
        """Listeners without a story, and why."""
        for i, row in enumerate(read_jsonl(self.layout.ineligible), 1):
            yield _validate(Ineligible, row, self.layout.ineligible, record=i)

    def _records(self, kind: str, model: type[M]) -> Iterator[M]:
        for path in sorted((self.root / kind).glob("shard-*.jsonl")):
            for i, row in enumerate(read_jsonl(path), 1):
                yield _validate(model, row, path, record=i)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror or exc})", file=str(path)) from None
    except ValueError as exc:
        why = str(exc).splitlines()[0]
        raise InputError(f"not JSON ({why})", file=str(path)) from None


def _validate(model: type[M], data: Any, path: Path, record: int | None = None) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        raise InputError(
            f"not a {model.__name__} this release can read ({err['msg']})",
            file=str(path),
            record=record,
            field=field,
        ) from None
