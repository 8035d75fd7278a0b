"""make_backend, the Backend protocol, and the cache shared by several processes."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest
from _llm_helpers import cache_writer, llm_settings

from wrapped.errors import ConfigError
from wrapped.llm import Backend, OpenAIBackend, ResponseCache, make_backend
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
