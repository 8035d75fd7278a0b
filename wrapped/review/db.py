"""`ReviewSet`: one review set's SQLite file (`REVIEWS/reviews.sqlite`).

stdlib sqlite3 in WAL mode with full syncs: each label is one short write transaction, committed
to disk before the page answers, so stopping the server (or the machine) loses nothing, and two
reviewers writing at once are serialized by SQLite rather than by our code. Every call opens its
own connection, so the web app's worker threads never share one.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from wrapped.errors import ConfigError, InputError
from wrapped.review.model import Label, ReviewItem

DB_NAME = "reviews.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (run_id TEXT PRIMARY KEY, path TEXT NOT NULL, population INTEGER NOT NULL);
CREATE TABLE strata (
  stratum TEXT PRIMARY KEY, run_id TEXT NOT NULL, population INTEGER NOT NULL,
  sampled INTEGER NOT NULL
);
CREATE TABLE items (
  id INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE, story_id TEXT NOT NULL,
  run_id TEXT NOT NULL, user_id TEXT NOT NULL, day TEXT NOT NULL, stratum TEXT NOT NULL,
  inclusion_prob REAL NOT NULL, risk REAL NOT NULL, decision TEXT NOT NULL, payload TEXT NOT NULL,
  UNIQUE (run_id, story_id)
);
CREATE INDEX items_user ON items (user_id);
CREATE TABLE labels (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  reviewer TEXT NOT NULL, verdict TEXT NOT NULL, reasons TEXT NOT NULL, note TEXT NOT NULL,
  scores TEXT NOT NULL, labelled_at TEXT NOT NULL,
  PRIMARY KEY (item_id, reviewer)
);
CREATE INDEX labels_reviewer ON labels (reviewer, item_id);
"""


class Sampled(NamedTuple):
    """One story drawn into the set, with how likely it was to be drawn."""

    item: ReviewItem
    stratum: str
    inclusion_prob: float
    risk: float


class Row(NamedTuple):
    id: int
    position: int
    item: ReviewItem
    inclusion_prob: float
    stratum: str


class ReviewSet:
    """A review set folder. `create` writes it once; `open` reads an existing one."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / DB_NAME
        self._local = threading.local()

    @classmethod
    def open(cls, folder: Path) -> ReviewSet:
        rs = cls(folder)
        if not rs.path.exists():
            raise InputError(f"not a review set (no {DB_NAME})", file=str(folder))
        with rs.connect() as db:
            version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if version is None or int(version[0]) > SCHEMA_VERSION:
            raise InputError("a review set this release cannot read", file=str(rs.path))
        return rs

    @classmethod
    def create(
        cls,
        folder: Path,
        sampled: list[Sampled],
        *,
        runs: list[tuple[str, str, int]],
        strata: dict[str, tuple[str, int, int]],
        meta: dict[str, Any],
    ) -> ReviewSet:
        """Write a new set in one transaction (a crash leaves no half-written set behind)."""
        rs = cls(folder)
        if rs.path.exists():
            raise ConfigError(f"{rs.path} already exists: choose another --out or delete it")
        rs.folder.mkdir(parents=True, exist_ok=True)
        tmp = rs.path.with_suffix(".partial")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.executescript(_SCHEMA)
            db.execute("BEGIN")
            meta = {**meta, "schema_version": SCHEMA_VERSION}
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()]
            )
            db.executemany("INSERT INTO runs VALUES (?, ?, ?)", runs)
            db.executemany(
                "INSERT INTO strata VALUES (?, ?, ?, ?)",
                [(k, *v) for k, v in strata.items()],
            )
            db.executemany(
                "INSERT INTO items (position, story_id, run_id, user_id, day, stratum,"
                " inclusion_prob, risk, decision, payload) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        i,
                        s.item.story_id,
                        s.item.run_id,
                        s.item.user_id,
                        s.item.day.isoformat(),
                        s.stratum,
                        s.inclusion_prob,
                        s.risk,
                        s.item.decision,
                        s.item.model_dump_json(),
                    )
                    for i, s in enumerate(sampled)
                ),
            )
            db.execute("COMMIT")
        finally:
            db.close()
        tmp.replace(rs.path)
        with rs.connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
        return rs

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection to the set (opened once per thread, then reused: a page
        makes several small queries, and opening a connection for each doubled its time).
        Autocommit mode, so every read sees the latest committed labels."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        yield db

    # --- reading -------------------------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        with self.connect() as db:
            return {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}

    def runs(self) -> list[tuple[str, str, int]]:
        with self.connect() as db:
            return list(db.execute("SELECT run_id, path, population FROM runs ORDER BY run_id"))

    def count(self) -> int:
        with self.connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    def row(self, item_id: int) -> Row | None:
        with self.connect() as db:
            r = db.execute(
                "SELECT id, position, payload, inclusion_prob, stratum FROM items WHERE id=?",
                (item_id,),
            ).fetchone()
        if r is None:
            return None
        return Row(r[0], r[1], ReviewItem.model_validate_json(r[2]), r[3], r[4])

    def rows(self) -> Iterator[Row]:
        with self.connect() as db:
            for r in db.execute(
                "SELECT id, position, payload, inclusion_prob, stratum FROM items ORDER BY position"
            ):
                yield Row(r[0], r[1], ReviewItem.model_validate_json(r[2]), r[3], r[4])

    def label(self, item_id: int, reviewer: str) -> Label | None:
        with self.connect() as db:
            r = db.execute(
                "SELECT item_id, reviewer, verdict, reasons, note, scores FROM labels"
                " WHERE item_id=? AND reviewer=?",
                (item_id, reviewer),
            ).fetchone()
        return _label(r) if r else None

    def labels(self) -> list[Label]:
        with self.connect() as db:
            rows = db.execute(
                "SELECT item_id, reviewer, verdict, reasons, note, scores FROM labels"
                " ORDER BY item_id, reviewer"
            ).fetchall()
        return [_label(r) for r in rows]

    def next_for(self, reviewer: str, per_story: int, after: int = -1) -> int | None:
        """The next story (by queue position, after `after`) this reviewer has not labelled and
        fewer than `per_story` others have; wraps around once to the start."""
        sql = (
            "SELECT i.id FROM items i WHERE i.position > ? AND NOT EXISTS (SELECT 1 FROM labels l"
            " WHERE l.item_id=i.id AND l.reviewer=?) AND (SELECT COUNT(*) FROM labels l"
            " WHERE l.item_id=i.id) < ? ORDER BY i.position LIMIT 1"
        )
        with self.connect() as db:
            for start in (after, -1):
                r = db.execute(sql, (start, reviewer, per_story)).fetchone()
                if r:
                    return int(r[0])
        return None

    def neighbour(self, position: int, step: int) -> int | None:
        """The item before (step -1) or after (+1) a queue position."""
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        with self.connect() as db:
            r = db.execute(
                f"SELECT id FROM items WHERE position {op} ? ORDER BY position {order} LIMIT 1",
                (position,),
            ).fetchone()
        return int(r[0]) if r else None

    def window(
        self, position: int, reviewer: str, size: int = 15
    ) -> list[tuple[int, int, str, bool, int]]:
        """Queue rows around a position: (id, position, story_id, labelled by me, labels)."""
        lo = max(0, position - size // 2)
        with self.connect() as db:
            return list(
                db.execute(
                    "SELECT i.id, i.position, i.story_id,"
                    " EXISTS (SELECT 1 FROM labels l WHERE l.item_id=i.id AND l.reviewer=?),"
                    " (SELECT COUNT(*) FROM labels l WHERE l.item_id=i.id)"
                    " FROM items i WHERE i.position >= ? ORDER BY i.position LIMIT ?",
                    (reviewer, lo, size),
                )
            )

    def progress(self, reviewer: str) -> tuple[int, int]:
        """(stories this reviewer labelled, stories in the set)."""
        with self.connect() as db:
            mine = db.execute("SELECT COUNT(*) FROM labels WHERE reviewer=?", (reviewer,))
            total = db.execute("SELECT COUNT(*) FROM items")
            return int(mine.fetchone()[0]), int(total.fetchone()[0])

    # --- writing -------------------------------------------------------------------------------

    def save(self, label: Label) -> None:
        """Insert or replace one reviewer's label on one story: one transaction, synced."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT INTO labels VALUES (?,?,?,?,?,?,?) ON CONFLICT (item_id, reviewer)"
                    " DO UPDATE SET verdict=excluded.verdict, reasons=excluded.reasons,"
                    " note=excluded.note, scores=excluded.scores, labelled_at=excluded.labelled_at",
                    (
                        label.story_key,
                        label.reviewer,
                        label.verdict,
                        json.dumps(label.reasons),
                        label.note,
                        json.dumps(label.scores),
                        now,
                    ),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def erase_users(self, ids: Iterable[str]) -> int:
        """Remove every story (and its labels) of these listeners; VACUUM so no byte of them is
        left in free pages or the write-ahead log. Returns the stories removed."""
        ids = list(ids)
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            marks = ",".join("?" * len(ids))
            gone = db.execute(f"SELECT id FROM items WHERE user_id IN ({marks})", ids).fetchall()
            keys = [g[0] for g in gone]
            if keys:
                km = ",".join("?" * len(keys))
                db.execute(f"DELETE FROM labels WHERE item_id IN ({km})", keys)
                db.execute(f"DELETE FROM items WHERE id IN ({km})", keys)
            db.execute("COMMIT")
            if keys:
                db.execute("VACUUM")
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(keys)


REGISTRY = "review_sets.txt"
"""A file in each sampled run folder naming the review sets drawn from it (for `wrapped erase`)."""


def registered_sets(run_root: Path) -> list[Path]:
    path = Path(run_root) / REGISTRY
    if not path.exists():
        return []
    return [Path(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def register(run_root: Path, folder: Path) -> None:
    known = registered_sets(run_root)
    here = folder.resolve()
    if here not in known:
        text = "".join(f"{p}\n" for p in [*known, here])
        tmp = run_root / (REGISTRY + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(run_root / REGISTRY)


def _label(r: tuple[Any, ...]) -> Label:
    return Label(
        story_key=r[0],
        reviewer=r[1],
        verdict=r[2],
        reasons=json.loads(r[3]),
        note=r[4],
        scores=json.loads(r[5]),
    )
