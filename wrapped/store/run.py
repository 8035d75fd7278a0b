"""`RunStore`: one run folder, read back as typed records.

Every reader of a run (the CLI summary, `wrapped erase`, and the eval, review and monitor tools)
goes through this class instead of opening files and indexing dicts by string keys, so a change
of format is made, versioned and tested in one place. What it yields is what was sealed: a
listener still in a journal (a running or stopped run) shows up once its shard is sealed.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from wrapped.errors import InputError
from wrapped.jsonfast import loads
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
from wrapped.store.rows import StoryRow, read_rows, scan_rows
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

    # --- the fast path for samplers: light rows, then the records of a few listeners ---------

    def story_rows(self, flagged: Callable[[str], bool], held: bool = False) -> Iterator[StoryRow]:
        """A light `StoryRow` per stored story (then, when `held`, per story held for a human),
        in the order of `stories()` then `needs_review()`, from each shard's index (written at
        seal) or, for a shard without one, from its record files; no typed record is built.
        `flagged` screens a name (as seal's index did: the store imports no safety policy)."""
        later: list[StoryRow] = []
        for shard in self._shards():
            rows = read_rows(self.root, shard, held)
            for row in scan_rows(self.root, shard, held, flagged) if rows is None else rows:
                if row.held:
                    later.append(row)
                else:
                    yield row
        yield from later

    def listeners_in(self, shard: int, users: list[str]) -> dict[str, ListenerRecords]:
        """The typed records of a few listeners of one shard. Only lines that name one of them
        are decoded: each user id is found in the shard's files with `mmap.find` (memory speed),
        so copying 200 listeners out of a 1,000,000-story run decodes no other record. Give
        `users` in the order `story_rows` met them: each file is then read in one pass."""

        def find(kind: str, model: type[M]) -> dict[str, list[M]]:
            path = self.layout.shard_file(kind, shard)
            found: dict[str, list[M]] = {u: [] for u in users}
            for uid, row in _lines_naming(path, users):
                found[uid].append(_validate(model, row, path))
            return found

        years = find("user_years", UserYear)
        stories, held = find("stories", Story), find("needs_review", Story)
        verdicts = find("verdicts", Verdict)
        return {
            u: ListenerRecords(next(iter(years[u]), None), stories[u], held[u], verdicts[u])
            for u in users
        }

    def _shards(self) -> list[int]:
        return [int(p.stem.split("-")[1]) for p in sorted(self.layout.root.glob("stories/shard-*"))]

    def _records(self, kind: str, model: type[M]) -> Iterator[M]:
        for path in sorted((self.root / kind).glob("shard-*.jsonl")):
            for i, row in enumerate(read_jsonl(path), 1):
                yield _validate(model, row, path, record=i)


class ListenerRecords(NamedTuple):
    """One listener's typed records in a shard (`RunStore.listeners_in`)."""

    year: UserYear | None
    stories: list[Story]
    held: list[Story]
    verdicts: list[Verdict]


def _lines_naming(path: Path, users: list[str]) -> Iterator[tuple[str, Any]]:
    """(user id, record) for each record of `users` in `path`.

    A shard's files keep a listener's records together (seal and staging write them listener
    by listener, and erase only removes lines), so each id is found once with `mmap.find`
    (memory speed), from where the previous one's records ended (from the start again if it is
    not found after), and the lines after it are read while they are the same listener's. A
    hit inside another record's text is skipped."""
    if not users or not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        pos = 0
        for uid in users:
            needle = json.dumps(uid, ensure_ascii=False).encode()
            for origin in (pos, 0):
                found = _find_run(data, needle, uid, origin)
                if found is not None:
                    pos, rows = found
                    for row in rows:
                        yield uid, row
                    break


def _find_run(
    data: mmap.mmap, needle: bytes, uid: str, origin: int
) -> tuple[int, list[Any]] | None:
    """(where they end, the records) of `uid`'s first run of lines after `origin`."""
    at = data.find(needle, origin)
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        end, rows = _run_of(data, start, uid)
        if rows:
            return end, rows
        nl = data.find(b"\n", at)
        at = data.find(needle, nl) if nl >= 0 else -1
    return None


def _run_of(data: mmap.mmap, start: int, uid: str) -> tuple[int, list[Any]]:
    """The complete lines from `start` on whose record is `uid`'s, and where they end."""
    rows = []
    while True:
        end = data.find(b"\n", start)
        if end < 0:
            break  # a torn tail (crash mid-append) is not a record
        try:
            row = loads(data[start:end])
        except ValueError:
            break
        if not (isinstance(row, dict) and row.get("user_id") == uid):
            break
        rows.append(row)
        start = end + 1
    return start, rows


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
