"""The client through the real openai SDK against the scripted server on 127.0.0.1.

Every retry case counts the attempts the server actually saw; Retry-After is checked by the
time the client waited; fail-fast cases must make exactly one request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import time

import pytest
from _llm_helpers import SECRET_KEY, data_messages, llm_settings, run
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from wrapped.errors import (
    ConfigError,
    LLMAuthError,
    LLMHTTPError,
    LLMOutputError,
    LLMTimeoutError,
)
from wrapped.llm import ChatClient, LLMConnectionError, get_limiter
from wrapped.llm.cache import request_body
from wrapped.story import Draft
from wrapped.testing import Rule, Script, ScriptedServer

FIXED = Script(reply="fixed")


@pytest.fixture(scope="module")
def server():
    with ScriptedServer(FIXED) as srv:
        yield srv


@pytest.fixture
def srv(server):
    """The module's server with a fresh log and the default (fixed, fault-free) script."""
    server.set_script(FIXED)
    server.clear()
    return server


def complete(settings, messages=None, **kw):
    async def go():
        client = ChatClient(settings)
        try:
            return await client.complete(messages or data_messages(), schema=Draft, **kw)
        finally:
            await client.aclose()

    return run(go())


# -- structured output ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["json_schema", "json_object", "prompt"])
def test_every_structured_output_mode_returns_a_validated_draft(srv, tmp_path, mode):
    done = complete(llm_settings(srv.base_url, tmp_path, structured_output=mode))
    (seen,) = srv.requests()
    assert seen.response_format == {"prompt": None}.get(mode, mode)
    assert isinstance(done.parsed, Draft)
    assert done.parsed.title == FIXED.fixed_draft.title
    assert done.attempts == 1 and not done.cached


def test_endpoint_without_json_schema_support_works_in_json_object_mode(srv, tmp_path):
    # llama.cpp's server answers json_schema with 500 but honours json_object + schema.
    srv.set_script(Script(reply="fixed", reject_json_schema=True))
    with pytest.raises(LLMHTTPError) as err:
        complete(llm_settings(srv.base_url, tmp_path, max_attempts=2))
    assert err.value.status == 500
    srv.clear()
    done = complete(llm_settings(srv.base_url, tmp_path, structured_output="json_object"))
    assert isinstance(done.parsed, Draft)
    assert [r.status for r in srv.requests()] == [200]


# -- retries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    ["server_error", "unavailable", "malformed", "truncated", "content_filter", "invalid_output"],
)
def test_retryable_failures_are_retried_until_a_good_reply(srv, tmp_path, fault):
    srv.set_script(Script(reply="fixed", rules=[Rule(tries=[1, 2], fault=fault)]))
    done = complete(llm_settings(srv.base_url, tmp_path))
    log = srv.requests()
    assert [r.delivery for r in log] == [1, 2, 3]
    assert [r.outcome for r in log][:2] == [f"fault:{fault}"] * 2
    # the provider's logs see each retry for what it is (the SDK itself would say 0 each time)
    assert [r.retry_count for r in log] == [0, 1, 2]
    assert done.attempts == 3 and isinstance(done.parsed, Draft)
    # paid = every 200 the endpoint billed, including the unusable ones
    assert done.usage.calls == sum(r.paid for r in log)


def test_rate_limit_waits_the_retry_after_seconds(srv, tmp_path):
    srv.set_script(
        Script(reply="fixed", rules=[Rule(tries=[1], fault="rate_limit", retry_after_s=0.6)])
    )
    t0 = time.perf_counter()
    done = complete(llm_settings(srv.base_url, tmp_path))
    elapsed = time.perf_counter() - t0
    assert done.attempts == 2
    assert elapsed >= 0.6, "the client retried before the server's Retry-After"
    assert [r.status for r in srv.requests()] == [429, 200]


def test_rate_limit_honours_retry_after_as_an_http_date(srv, tmp_path):
    srv.set_script(
        Script(reply="fixed", rules=[Rule(tries=[1], fault="rate_limit", retry_after_s=0.2,
                                          retry_after_http_date=True)])
    )  # fmt: skip
    t0 = time.perf_counter()
    done = complete(llm_settings(srv.base_url, tmp_path))
    # the date is rounded up to a whole second past now+0.2 s: at least ~0.2 s of waiting
    assert time.perf_counter() - t0 >= 0.2
    assert done.attempts == 2


def test_a_hang_past_the_timeout_is_retried(srv, tmp_path):
    srv.set_script(Script(reply="fixed", hang_s=3.0, rules=[Rule(tries=[1], fault="hang")]))
    t0 = time.perf_counter()
    done = complete(llm_settings(srv.base_url, tmp_path, timeout_s=0.4))
    assert done.attempts == 2
    assert time.perf_counter() - t0 < 2.5, "the client waited for the hung request"
    assert [r.outcome for r in srv.requests()] == ["fault:hang", "ok"]


def test_retries_are_bounded_by_attempts(srv, tmp_path):
    srv.set_script(Script(reply="fixed", rules=[Rule(fault="server_error")]))
    with pytest.raises(LLMHTTPError) as err:
        complete(llm_settings(srv.base_url, tmp_path, max_attempts=3))
    assert len(srv.requests()) == 3
    assert "gave up after 3 attempts" in str(err.value)


def test_retries_are_bounded_by_total_time(srv, tmp_path):
    # A Retry-After beyond the whole budget: give up now instead of sleeping past it.
    srv.set_script(Script(reply="fixed", rules=[Rule(fault="rate_limit", retry_after_s=30)]))
    t0 = time.perf_counter()
    with pytest.raises(LLMHTTPError) as err:
        complete(llm_settings(srv.base_url, tmp_path, max_retry_s=2.0))
    assert time.perf_counter() - t0 < 2.0
    assert err.value.status == 429 and "past the retry budget" in str(err.value)
    assert len(srv.requests()) == 1


def test_the_time_a_hung_first_attempt_took_counts_against_the_budget(srv, tmp_path):
    # The first attempt runs before tenacity's loop; its 0.6 s must still use up the budget.
    srv.set_script(Script(reply="fixed", hang_s=3.0, rules=[Rule(tries=[1], fault="hang")]))
    with pytest.raises(LLMTimeoutError):
        complete(llm_settings(srv.base_url, tmp_path, timeout_s=0.6, max_retry_s=0.5))
    assert [r.outcome for r in srv.requests()] == ["fault:hang"]


def test_invalid_output_that_never_gets_better_is_an_output_error(srv, tmp_path):
    srv.set_script(Script(reply="fixed", rules=[Rule(fault="truncated")]))
    with pytest.raises(LLMOutputError, match="cut off"):
        complete(llm_settings(srv.base_url, tmp_path, max_attempts=2))
    assert len(srv.requests()) == 2


def test_an_unreachable_endpoint_is_a_connection_error_after_retries(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(LLMConnectionError, match="cannot reach"):
        complete(llm_settings(f"http://127.0.0.1:{port}/v1", tmp_path, max_attempts=2))


def test_requests_tell_the_endpoint_nothing_about_the_machine_running_the_job(srv, tmp_path):
    """No request, by either SDK path, carries the SDK's platform headers (OS, CPU
    architecture, Python runtime and library versions): a provider learns nothing about the
    job's machine. What the endpoint needs still goes: the key as a bearer token and the JSON
    content type."""
    settings = llm_settings(srv.base_url, tmp_path, api_key=SECRET_KEY)
    complete(settings)

    async def by_create() -> None:
        client = ChatClient(settings, cache=False, sdk_path="create")
        try:
            await client.complete(data_messages(day="2024-03-02"), schema=Draft)
        finally:
            await client.aclose()

    run(by_create())
    seen = srv.requests()
    assert len(seen) == 2
    for rec in seen:
        names = {h.lower() for h in rec.headers}
        assert not {h for h in names if h.startswith("x-stainless-") and h not in (
            "x-stainless-retry-count", "x-stainless-read-timeout")}, names  # fmt: skip
        assert {"authorization", "content-type", "user-agent"} <= names


# -- fail fast --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "status", "hint"),
    [
        ("bad_request", 400, "rejected the request"),
        ("unauthorized", 401, "OPENAI_API_KEY"),
        ("forbidden", 403, "OPENAI_API_KEY"),
        ("not_found", 404, "--model"),
    ],
)
def test_client_errors_fail_fast_with_one_clear_message(srv, tmp_path, fault, status, hint):
    srv.set_script(Script(reply="fixed", rules=[Rule(fault=fault)]))
    settings = llm_settings(srv.base_url, tmp_path, api_key=SECRET_KEY)
    with pytest.raises(LLMHTTPError) as err:
        complete(settings)
    assert len(srv.requests()) == 1, "a 4xx client error must not be retried"
    assert err.value.status == status
    assert hint in str(err.value)
    assert SECRET_KEY not in str(err.value)
    assert "\n" not in str(err.value)


def test_wrong_key_says_check_openai_api_key_and_never_prints_it(srv, tmp_path, caplog):
    srv.set_script(Script(reply="fixed", api_key="the-right-key"))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(LLMAuthError) as err:
        complete(llm_settings(srv.base_url, tmp_path, api_key=SECRET_KEY))
    assert "check OPENAI_API_KEY" in str(err.value)
    assert SECRET_KEY not in str(err.value) and SECRET_KEY not in caplog.text
    assert len(srv.requests()) == 1


def test_local_endpoint_without_a_key_gets_a_placeholder(srv, tmp_path):
    srv.set_script(Script(reply="fixed", api_key="not-needed"))
    done = complete(llm_settings(srv.base_url, tmp_path))  # no api_key configured
    assert isinstance(done.parsed, Draft)


def test_openai_without_a_key_is_a_config_error(tmp_path):
    settings = llm_settings("https://api.openai.com/v1", tmp_path)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        ChatClient(settings)


# -- limiter ----------------------------------------------------------------------------------


def test_limiter_holds_the_configured_requests_per_minute(srv, tmp_path):
    settings = llm_settings(srv.base_url, tmp_path, rpm=240)  # 4/s, bursts of at most 4

    async def go():
        # two clients, as a writer and a judge would be: they share one process-wide budget
        a, b = ChatClient(settings), ChatClient(settings)
        assert a.limiter is b.limiter
        msgs = [data_messages(note=str(i)) for i in range(12)]
        try:
            await asyncio.gather(
                *[(a if i % 2 else b).complete(m, schema=Draft) for i, m in enumerate(msgs)]
            )
        finally:
            await a.aclose()
            await b.aclose()

    t0 = time.perf_counter()
    run(go())
    elapsed = time.perf_counter() - t0
    # 12 requests at 4/s with a burst of 4: the last 8 are paced 0.25 s apart
    assert elapsed >= 1.9, f"12 requests took {elapsed:.2f}s: faster than 240/min"
    assert len(srv.requests()) == 12


def test_limiter_holds_tokens_per_minute():
    limiter = get_limiter("http://tpm.test/v1", None, 60_000)  # 1,000 tokens/s, burst 1,000
    waits = [limiter.reserve(500).wait_s for _ in range(4)]
    assert waits[0] == 0 and waits[1] == 0
    assert waits[2] == pytest.approx(0.5, abs=0.05)
    assert waits[3] == pytest.approx(1.0, abs=0.05)


# -- cache ------------------------------------------------------------------------------------


def test_cache_prevents_a_second_paid_call(srv, tmp_path):
    settings = llm_settings(srv.base_url, tmp_path, cache=True)
    first = complete(settings)
    second = complete(settings)  # a rerun: a new client, the same cache file
    assert srv.paid_calls() == 1
    assert not first.cached and second.cached
    assert second.parsed == first.parsed
    assert second.usage.calls == 0 and second.usage.cached_calls == 1
    assert second.usage.cost_usd == 0


def test_cache_key_covers_params_and_bypass_pays_again(srv, tmp_path):
    settings = llm_settings(srv.base_url, tmp_path, cache=True)
    complete(settings)
    complete(settings, params={"temperature": 0.1})  # different params: a different call
    complete(settings, cache=False)  # --no-cache
    assert srv.paid_calls() == 3


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(), min_size=1, max_size=4),
    temperature=st.integers(0, 200).map(lambda t: t / 100),  # as settings hold it: 0.00-2.00
    max_tokens=st.integers(1, 100_000),
)
def test_a_cache_written_by_an_earlier_version_still_hits(texts, temperature, max_tokens):
    """Before orjson the body was `json.dumps(sort_keys, ensure_ascii=False, compact)`; the key
    is a hash of those bytes, so they must not change, or every upgrade pays for every story
    again. Prompts carry any text a listener's titles hold: quotes, backslashes, control
    characters, emoji, '<'. (Some floats under 1e-4 are written differently, e.g. 1e-05 as
    0.00001; no sampling setting takes such a value.)"""
    body = {
        "model": "scripted",
        "temperature": temperature,
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": t} for t in texts],
        "response_format": {"type": "json_schema", "json_schema": {"strict": True, "n": [1, 2]}},
    }
    before = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert request_body(body) == before.encode("utf-8")


def test_erase_user_removes_that_listeners_cached_replies(srv, tmp_path):
    from wrapped.llm import erase_user

    settings = llm_settings(srv.base_url, tmp_path, cache=True)
    complete(settings, data_messages(user_id="u_a"), user_id="u_a")
    complete(settings, data_messages(user_id="u_b"), user_id="u_b")
    assert erase_user("u_a", settings.cache_path) == 1
    complete(settings, data_messages(user_id="u_a"), user_id="u_a")  # paid again
    complete(settings, data_messages(user_id="u_b"), user_id="u_b")  # still cached
    assert srv.paid_calls() == 3


# -- usage and secrets ------------------------------------------------------------------------


def test_usage_counts_tokens_and_prices_them(srv, tmp_path):
    settings = llm_settings(srv.base_url, tmp_path, prices={"scripted": (1.0, 2.0)})
    done = complete(settings)
    u = done.usage
    assert u.calls == 1 and u.prompt_tokens > 0 and u.completion_tokens > 0
    assert u.cost_usd == pytest.approx((u.prompt_tokens * 1.0 + u.completion_tokens * 2.0) / 1e6)
    assert u.latency_s > 0


def test_the_key_is_never_in_logs_messages_or_files(srv, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    srv.set_script(
        Script(reply="fixed", rules=[Rule(tries=[1], fault="rate_limit", retry_after_s=0)])
    )
    settings = llm_settings(srv.base_url, tmp_path, cache=True, api_key=SECRET_KEY)
    complete(settings, user_id="u_x")
    complete(settings, user_id="u_x")  # cache hit
    srv.set_script(Script(reply="fixed", rules=[Rule(fault="bad_request")]))
    with pytest.raises(LLMHTTPError) as err:
        complete(settings, data_messages(note="other"))
    client = ChatClient(settings)
    for text in (caplog.text, str(err.value), repr(client), str(settings.public_dump())):
        assert SECRET_KEY not in text
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files, "the cache file was not written"
    for path in files:
        assert SECRET_KEY.encode() not in path.read_bytes(), path.name


def test_create_path_sends_the_same_request(srv, tmp_path):
    srv.set_script(Script(reply="fixed", rules=[Rule(tries=[1], fault="server_error")]))

    async def go():
        client = ChatClient(llm_settings(srv.base_url, tmp_path), sdk_path="create")
        try:
            return await client.complete(data_messages(), schema=Draft)
        finally:
            await client.aclose()

    assert isinstance(run(go()).parsed, Draft)
    log = srv.requests()
    assert [r.user_id for r in log] == ["u_0000000000000001"] * 2
    assert [r.retry_count for r in log] == [0, 1]


def test_one_loop_per_call_callers_leak_no_connections(srv):
    # A sync caller (e.g. a judge library) may run asyncio.run() per call with one client.
    code = f"""
import asyncio, gc
from wrapped.settings import Settings
from wrapped.llm import ChatClient
c = ChatClient(Settings(base_url={srv.base_url!r}, model="scripted", cache=False))
for i in range(3):
    asyncio.run(c.complete([{{"role": "user", "content": f"hi {{i}}"}}]))
del c
gc.collect()
"""
    out = subprocess.run([sys.executable, "-W", "always", "-c", code], capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Unclosed" not in out.stderr and "ResourceWarning" not in out.stderr
    assert len(srv.requests()) == 3


def test_standard_openai_environment_variables_are_honoured(srv, tmp_path, monkeypatch):
    from wrapped.settings import load_settings

    srv.set_script(Script(reply="fixed", api_key=SECRET_KEY))
    monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET_KEY)
    settings = load_settings(model="scripted", cache=False, cache_path=tmp_path / "c.sqlite3")
    done = complete(settings)
    assert isinstance(done.parsed, Draft)
    assert [r.status for r in srv.requests()] == [200]


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


@pytest.mark.parametrize("take_turns", [True, False])
def test_a_reply_is_not_kept_waiting_behind_a_pile_of_gate_checks(take_turns):
    """Twenty listeners' checks are ready at once and a reply lands 1 ms later. Taking turns,
    the reply's task runs after about one check (its LLM slot is handed on at once); without
    turns it would wait for all twenty, the whole pass."""
    from wrapped.turns import cpu_turn

    async def main() -> tuple[int, list[int]]:
        done: list[int] = []
        loop = asyncio.get_running_loop()

        async def check(i: int) -> None:
            if take_turns:
                await cpu_turn()
            _busy(0.004)
            done.append(i)

        async def reply() -> int:
            landed = loop.create_future()
            loop.call_later(0.001, landed.set_result, None)
            await landed
            return len(done)

        waiter = asyncio.ensure_future(reply())
        await asyncio.sleep(0)  # the reply's timer is set before the checks start
        await asyncio.gather(*(check(i) for i in range(20)))
        return await waiter, done

    checks_before_reply, order = asyncio.run(main())
    assert order == list(range(20))  # first come, first served either way
    if take_turns:
        assert checks_before_reply <= 3
    else:
        assert checks_before_reply == 20


def test_a_cancelled_turn_passes_to_the_next_waiter():
    from wrapped.turns import cpu_turn

    async def main() -> list[str]:
        ran: list[str] = []

        async def step(name: str) -> None:
            await cpu_turn()
            ran.append(name)

        tasks = [asyncio.ensure_future(step(n)) for n in ("a", "b", "c")]
        await asyncio.sleep(0)  # all three are queued
        tasks[1].cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.wait_for(step("d"), 1.0)  # the queue is not stuck
        return ran

    assert asyncio.run(main()) == ["a", "c", "d"]
