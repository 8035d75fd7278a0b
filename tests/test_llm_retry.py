"""The retry predicate, Retry-After parsing and strict structured-output parsing (no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx2
import openai
import pytest

from wrapped.errors import (
    FATAL_HTTP_STATUSES,
    ConfigError,
    LLMAuthError,
    LLMHTTPError,
    LLMOutageError,
    LLMOutputError,
    LLMTimeoutError,
    is_fatal,
)
from wrapped.llm import LLMConnectionError, parse_retry_after, should_retry
from wrapped.llm.limiter import estimate_request_tokens
from wrapped.llm.retry import OutageBreaker, map_exception
from wrapped.llm.structured import parse_output, response_format, strict_schema
from wrapped.story import Draft
from wrapped.tokens import estimate_tokens

REQ = httpx2.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


def status_error(status: int, headers: dict | None = None) -> openai.APIStatusError:
    resp = httpx2.Response(
        status, headers=headers or {}, request=REQ, json={"error": {"message": "x"}}
    )
    return openai.APIStatusError("x", response=resp, body={"message": "nope"})


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_transient_statuses_retry(status):
    assert should_retry(status_error(status))
    assert should_retry(LLMHTTPError("x", status=status))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_do_not_retry(status):
    assert not should_retry(status_error(status))
    assert not should_retry(map_exception(status_error(status), base_url="u", model="m"))


def test_timeouts_drops_and_bad_output_retry_but_bugs_do_not():
    assert should_retry(openai.APITimeoutError(REQ))
    assert should_retry(openai.APIConnectionError(request=REQ))
    assert should_retry(LLMTimeoutError("t")) and should_retry(LLMConnectionError("c"))
    assert should_retry(LLMOutputError("o"))
    assert should_retry(json.JSONDecodeError("bad", "{", 0))
    assert not should_retry(LLMAuthError("k", status=401))
    assert not should_retry(KeyError("a bug"))
    assert not should_retry(ValueError("a bug"))


def test_retry_after_in_seconds_milliseconds_and_http_date():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after({"retry-after": "2.5"}) == 2.5
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    date = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=now) == pytest.approx(7)
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_mapped_errors_carry_retry_after_and_hide_the_key():
    key = "sk-secret-123"
    exc = status_error(429, {"retry-after": "3"})
    exc.body = {"message": f"slow down {key}"}
    mapped = map_exception(exc, base_url="http://h/v1", model="m", secret=key)
    assert isinstance(mapped, LLMHTTPError) and mapped.retry_after == 3
    assert key not in str(mapped)
    auth = map_exception(status_error(401), base_url="http://h/v1", model="m", secret=key)
    assert isinstance(auth, LLMAuthError) and "check OPENAI_API_KEY" in str(auth)


def test_strict_schema_requires_every_field_and_forbids_extras():
    schema = strict_schema(Draft)
    assert set(schema["required"]) == {"title", "story", "facts_used"}
    assert schema["additionalProperties"] is False
    assert "default" not in json.dumps(schema)
    fmt = response_format(Draft, "json_schema")
    assert fmt["json_schema"]["strict"] is True and fmt["json_schema"]["name"] == "Draft"
    assert response_format(Draft, "prompt") is None


def test_parsing_is_strict():
    good = '{"title": "t", "story": "s", "facts_used": []}'
    assert parse_output(good, Draft).title == "t"
    assert parse_output(f"```json\n{good}\n```", Draft).story == "s"
    for bad in ("", "Sure! " + good, '{"title": "t"}', '{"title": "t", "story": "s", "x": 1}'):
        with pytest.raises(LLMOutputError):
            parse_output(bad, Draft)


def test_json_instruction_joins_the_system_message_only_when_the_endpoint_cannot_enforce():
    from wrapped.llm.structured import with_instruction

    msgs = [{"role": "system", "content": "Be kind."}, {"role": "user", "content": "data"}]
    assert with_instruction(msgs, Draft, "json_schema") == msgs
    for mode in ("json_object", "prompt"):
        out = with_instruction(msgs, Draft, mode)
        assert out[0]["content"].startswith("Be kind.") and '"facts_used"' in out[0]["content"]
        assert out[1] == msgs[1] and msgs[0]["content"] == "Be kind."  # input untouched


def test_the_outage_breaker_trips_only_on_failures_of_availability_in_a_row():
    """One call that runs out of retries on a flaky endpoint is bad luck (its story falls
    back); three in a row with nothing getting through is an endpoint that is down."""
    outage = [
        LLMHTTPError("500 from http://h/v1", status=500),
        LLMHTTPError("429 from http://h/v1", status=429),
        LLMTimeoutError("http://h/v1 did not answer in time"),
        LLMConnectionError("cannot reach http://h/v1"),
    ]
    b = OutageBreaker(3)
    for exc in outage * 3:  # a success between any two give-ups: never trips
        assert b.failed(exc) is exc
        b.ok()
    assert [type(b.failed(e)) for e in outage[:3]] == [LLMHTTPError, LLMHTTPError, LLMOutageError]
    tripped = b.failed(outage[3])
    assert isinstance(tripped, LLMOutageError) and "cannot reach http://h/v1" in tripped.message
    # a bad reply or a wrong key is no outage, and does not count towards one
    b = OutageBreaker(1)
    for exc in (LLMOutputError("cut off"), LLMAuthError("401", status=401)):
        assert b.failed(exc) is exc and b.streak == 0


@pytest.mark.parametrize("status", sorted(FATAL_HTTP_STATUSES))
def test_fatal_statuses_are_never_retried_and_stop_a_run(status):
    mapped = map_exception(status_error(status), base_url="u", model="m")
    assert not should_retry(mapped) and is_fatal(mapped)


def test_only_configuration_errors_are_fatal():
    assert is_fatal(ConfigError("bad option")) and is_fatal(LLMAuthError("k", status=401))
    for exc in (
        LLMHTTPError("busy", status=429),
        LLMHTTPError("down", status=503),
        LLMHTTPError("unprocessable", status=422),
        LLMOutputError("cut off"),
        LLMOutageError("down"),
        ValueError("a bug"),
    ):
        assert not is_fatal(exc), exc


def test_the_request_estimate_counts_text_framing_and_the_reply_cap():
    msgs = [{"role": "system", "content": "x" * 9}, {"role": "user", "content": "y" * 4}]
    assert (
        estimate_tokens("") == 0 and estimate_tokens("abcd") == 1 and estimate_tokens("abcde") == 2
    )
    assert estimate_request_tokens(msgs, 100) == (3 + 1) + 2 * 8 + 100
    assert estimate_request_tokens(msgs, None) == 20
