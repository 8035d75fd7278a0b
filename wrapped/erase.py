"""GDPR right to erasure: remove one listener's traces from every run, the cache and review data.

A listener is matched by the id given or by its pseudonym under the configured salt (so the
account name works as well as the pseudonymous id). Files are rewritten atomically; a final
scan proves the id no longer appears anywhere that was searched.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import shutil
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from wrapped.errors import ConfigError, InputError
from wrapped.review.db import DB_NAME, ReviewSet, registered_sets
from wrapped.settings import Settings
from wrapped.store import RunStore, atomic_write_text
from wrapped.store.counts import recount
from wrapped.store.lock import LOCK_NAME, run_lock


class ErasureReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_ids: list[str] = Field(description="the pseudonymous ids that were erased")
    removed: dict[str, int] = Field(default_factory=dict, description="file -> records removed")
    cache_rows: int = 0
    deepeval_caches_removed: int = 0
    review_sets: dict[str, int] = Field(
        default_factory=dict, description="review set folder -> stories removed (0: searched)"
    )
    still_found: list[str] = Field(
        default_factory=list, description="files still mentioning the id"
    )

    @property
    def total(self) -> int:
        return sum(self.removed.values()) + self.cache_rows + sum(self.review_sets.values())


def candidate_ids(user: str, settings: Settings) -> set[str]:
    from wrapped.ingest import pseudonymize

    return {user, pseudonymize(user, settings.salt.get_secret_value())}


def erase_user(
    user: str,
    *,
    roots: list[Path],
    settings: Settings,
    cache_path: Path | None = None,
    reviews: list[Path] | None = None,
) -> ErasureReport:
    if not user.strip():
        raise ConfigError("--user must not be empty")
    ids = candidate_ids(user, settings)
    report = ErasureReport(user_ids=sorted(ids))
    for root in roots:  # all checked before anything is erased
        if not root.is_dir():  # a file given as --runs would be searched for nothing
            raise ConfigError(f"{root}: {'not a folder' if root.exists() else 'no such folder'}")
    with contextlib.ExitStack() as hold:
        # a run being written is left alone: its job would append to what erase rewrites
        runs = {p.parent for r in roots for name in ("plan.json", LOCK_NAME) for p in r.rglob(name)}
        for run in sorted(runs):
            hold.enter_context(run_lock(run, doing="erase again"))
        _erase_files(roots, ids, report)
    from wrapped.llm.cache import ResponseCache, default_cache_path

    cache = Path(cache_path or settings.cache_path or default_cache_path())
    if cache.exists():
        rc = ResponseCache(cache)
        report.cache_rows = sum(rc.erase_user(u) for u in ids)
        rc.close()
    sets = _review_sets(roots, reviews or [])
    for folder in sets:
        report.review_sets[str(folder)] = ReviewSet.open(folder).erase_users(ids)
        for export in sorted(folder.rglob("*.jsonl")):  # `wrapped review export` files kept there
            n = _rewrite_jsonl(export, ids)
            if n:
                report.removed[str(export)] = n
        for export in sorted(folder.rglob("*.parquet")):
            n = _rewrite_parquet(export, ids)
            if n:
                report.removed[str(export)] = n
    searched = roots + ([cache] if cache.exists() else []) + sets
    report.still_found = _scan(searched, ids)
    return report


def _rewrite_parquet(path: Path, ids: set[str]) -> int:
    """Drop the listener's rows from a table with a user_id column (a run's columns, written
    when its shards were sealed; a review set's label export), rewritten atomically."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from wrapped.store.columns import write_table

    table = pq.read_table(path)
    if "user_id" not in table.column_names:
        return 0
    keep = pc.invert(pc.is_in(table["user_id"], value_set=pa.array(sorted(ids))))
    kept = table.filter(keep)
    removed = table.num_rows - kept.num_rows
    if removed:
        write_table(path, kept)
    return removed


def _parquet_names(path: Path, ids: set[str]) -> bool:
    """Does a Parquet file hold one of `ids` in a user_id column? (Compressed, its bytes may
    not show them.)"""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        if "user_id" not in pq.read_schema(path).names:
            return False
        users = pq.read_table(path, columns=["user_id"])["user_id"]
    except (OSError, pa.ArrowException):
        return False
    return bool(pc.any(pc.is_in(users, value_set=pa.array(sorted(ids)))).as_py())


def _review_sets(roots: list[Path], given: list[Path]) -> list[Path]:
    """Every review set to clean: those given (`--reviews`), those under the runs folders, and
    those registered in the run folders they were sampled from (`review_sets.txt`), even when
    they live elsewhere. A given folder that is not a review set is an error, said before."""
    for folder in given:
        if not (folder / DB_NAME).exists():
            raise ConfigError(f"{folder}: not a review set (no {DB_NAME})")
    found = {p.resolve() for p in given}
    for root in roots:
        found |= {p.parent.resolve() for p in root.rglob(DB_NAME)}
        for run in RunStore.find(root):
            found |= {p.resolve() for p in registered_sets(run) if (p / DB_NAME).exists()}
    return sorted(found)


def _erase_files(roots: list[Path], ids: set[str], report: ErasureReport) -> None:
    """Remove the listener's records from every run file under `roots` (runs locked)."""
    for root in roots:
        for path in sorted(root.rglob("*.jsonl")):
            n = _rewrite_jsonl(path, ids)
            if n:
                report.removed[str(path)] = n
        for path in sorted(root.rglob("*.parquet")):  # a run's columns (`columns/`)
            n = _rewrite_parquet(path, ids)
            if n:
                report.removed[str(path)] = n
        for doc in sorted(root.rglob("*.json")):
            if doc.name == "plan.json" or ".deepeval" in doc.parts:
                continue
            n = _scrub_json(doc, ids)
            if n:
                report.removed[str(doc)] = n
        for plan in sorted(root.rglob("plan.json")):
            n = _rewrite_plan(plan, ids)
            if n:
                report.removed[str(plan)] = n
                _refresh_manifest(plan.parent, n)
        for folder in sorted(p for p in root.rglob(".deepeval") if p.is_dir()):
            shutil.rmtree(folder)
            report.deepeval_caches_removed += 1


def _rewrite_jsonl(path: Path, ids: set[str]) -> int:
    kept, removed = [], 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                kept.append(line)
                continue
            if isinstance(rec, dict) and rec.get("user_id") in ids:
                removed += 1
            else:
                kept.append(line)
    if removed:
        atomic_write_text(path, "".join(kept))
    return removed


def _scrub_json(path: Path, ids: set[str]) -> int:
    """Drop every object carrying one of `ids` as its user_id (e.g. per-file ingest counts)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return 0
    removed = 0

    def walk(node):
        nonlocal removed
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            keep = []
            for item in node:
                if isinstance(item, dict) and _mentions(item, ids):
                    removed += 1
                else:
                    keep.append(walk(item))
            return keep
        return node

    cleaned = walk(doc)
    if removed:
        atomic_write_text(path, json.dumps(cleaned, indent=2, sort_keys=True) + "\n")
    return removed


def _mentions(item: dict, ids: set[str]) -> bool:
    """An entry belongs to the listener if it carries the id (also inside a file name, as
    ingest writes pseudonyms into the names of per-listener export files).

    Inside text only a pseudonymous id counts, and only as a whole word: a plain substring
    test made `--user x` drop every entry whose file name holds an "x" (every file of an
    "extended" export), from everyone's ingest report and manifest."""
    if item.get("user_id") in ids:
        return True
    words = _id_words(frozenset(ids))
    return words is not None and any(isinstance(v, str) and words.search(v) for v in item.values())


@functools.lru_cache(maxsize=8)
def _id_words(ids: frozenset[str]) -> re.Pattern[str] | None:
    from wrapped.ingest.privacy import is_pseudonymous

    pseudo = sorted(i for i in ids if is_pseudonymous(i))
    if not pseudo:
        return None
    return re.compile(
        r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, pseudo)) + r")(?![A-Za-z0-9])"
    )


def _rewrite_plan(path: Path, ids: set[str]) -> int:
    """Take the listener out of the run's plan (so a rerun does not write it again). A plan
    this release cannot read is left as it is: the final scan reports it if it names them."""
    store = RunStore(path.parent)
    try:
        plan = store.plan()
    except InputError:
        return 0
    shards = [[u for u in shard if u not in ids] for shard in plan.shards]
    removed = plan.eligible - sum(len(s) for s in shards)
    if removed:
        store.write_plan(plan.model_copy(update={"shards": shards}))
    return removed


def _refresh_manifest(run_dir: Path, erased: int) -> None:
    """Keep the run's counts adding up after a listener left it."""
    store = RunStore(run_dir)
    base = store.plan_counts().without(erased)
    store.write_plan_counts(base)
    if not store.has_manifest:
        return
    counts, usage = recount(store.layout, store.plan().shards)
    counts = counts.model_copy(update=base.model_dump())
    manifest = store.manifest().with_counts(counts, usage)
    erased_total = manifest.erased_listeners + erased
    store.write_manifest(manifest.model_copy(update={"erased_listeners": erased_total}))


def _scan(roots: list[Path], ids: set[str]) -> list[str]:
    needles = [i.encode() for i in ids if len(i) >= 6]
    found = []
    for root in roots:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for f in files:
            try:
                data = f.read_bytes()
            except OSError:
                continue
            if any(n in data for n in needles) or (
                f.suffix == ".parquet" and _parquet_names(f, ids)
            ):
                found.append(str(f))
    return sorted(found)
