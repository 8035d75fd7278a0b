"""make_backend, the Backend protocol, and the cache shared by several processes."""

from __future__ import annotations

import multiprocessing as mp
import threading
from pathlib import Path

import pytest
from _llm_helpers import cache_writer, llm_settings

from wrapped.errors import ConfigError
from wrapped.generate import make_backend
from wrapped.llm import Backend, OpenAIBackend, ResponseCache
from wrapped.settings import Settings


def test_make_backend_picks_the_named_writer(tmp_path):
    embedded = make_backend(Settings(backend="embedded"))
    assert embedded.name == "embedded" and isinstance(embedded, Backend)
    scripted = make_backend(llm_settings("http://127.0.0.1:9/v1", tmp_path, backend="scripted"))
    assert isinstance(scripted, OpenAIBackend) and scripted.name == "scripted"
    assert isinstance(scripted, Backend)
    hosted = make_backend(llm_settings("http://127.0.0.1:9/v1", tmp_path, backend="openai"))
    assert hosted.name == "openai" and hosted.model == "scripted"


def test_scripted_backend_without_a_url_says_what_to_pass():
    with pytest.raises(ConfigError, match="--base-url"):
        make_backend(Settings(backend="scripted"))


def test_cache_is_safe_under_concurrent_writers_from_several_processes(tmp_path: Path):
    path = str(tmp_path / "shared.sqlite3")
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=cache_writer, args=(path, k * 300, 300)) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    cache = ResponseCache(path)
    try:
        assert len(cache) == 600
        assert cache.erase_user("u0") == 200
        assert len(cache) == 400
    finally:
        cache.close()


def test_shards_opening_a_fresh_cache_at_the_same_moment_all_get_it(tmp_path: Path):
    """Ray shards start together and open one new cache file: the switch to WAL must not
    fail any of them with "database is locked" (it did, ~1 open in 50-90, before the retry).
    Connections in threads contend for SQLite's file locks as processes do, and faster."""
    failures: list[str] = []

    def open_it(path: Path, start: threading.Barrier) -> None:
        start.wait()
        try:
            ResponseCache(path).close()
        except Exception as exc:  # noqa: BLE001 - each failure is what the test counts
            failures.append(f"{type(exc).__name__}: {exc}")

    for round_ in range(200):
        path = tmp_path / f"fresh{round_}.sqlite3"
        start = threading.Barrier(6)
        threads = [threading.Thread(target=open_it, args=(path, start)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert failures == []
    cache = ResponseCache(tmp_path / "fresh0.sqlite3")
    try:
        assert cache._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        cache.close()
