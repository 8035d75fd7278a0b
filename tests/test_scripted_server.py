"""The scripted OpenAI-compatible server: real HTTP, real SDK, scripted stories and defects."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from typing import NamedTuple

import openai
import pytest
from _llm_helpers import data_messages, llm_settings, run
from _prompt_helpers import gb_listener, previous_from, request_for, tricky_listener
from hypothesis import given, settings
from hypothesis import strategies as st

from wrapped.llm import ChatClient, OpenAIBackend
from wrapped.prompts import render, safe_year
from wrapped.story import Draft, DraftResult, PromptPair, StoryRequest, WriteJob
from wrapped.testing import Rule, Script, ScriptedServer
from wrapped.testing.defects import KNOWN_ARTISTS, UNSAFE_SENTENCES


@pytest.fixture(scope="module")
def server():
    with ScriptedServer(Script()) as srv:
        yield srv


@pytest.fixture
def srv(server):
    server.set_script(Script())
    server.clear()
    return server


class Written(NamedTuple):
    result: DraftResult
    prompt: PromptPair

    def __getattr__(self, name: str):  # result.draft, result.backend, ...
        return getattr(self.result, name)


def write(srv, tmp_path, request: StoryRequest, **overrides) -> Written:
    """The prompt rendered as the generate stage renders it, sent by the scripted backend."""
    settings = llm_settings(srv.base_url, tmp_path, **overrides)
    prompt = render(request, settings=settings)

    async def go():
        backend = OpenAIBackend(settings)
        try:
            job = WriteJob(request, prompt, safe_year(request.user_year).user_year)
            return Written(await backend.write(job), prompt)
        finally:
            await backend.aclose()

    return run(go())


def test_models_endpoint_lists_the_scripted_models(srv):
    client = openai.OpenAI(base_url=srv.base_url, api_key="x", max_retries=0)
    try:
        ids = [m.id for m in client.models.list()]
    finally:
        client.close()
    assert ids == ["scripted", "scripted-judge", "sloppy", "bland"]


def test_grounded_reply_is_the_embedded_writers_story_for_that_data(srv, tmp_path):
    from wrapped.prompts import extract_from_messages, request_from_data
    from wrapped.writer import compose

    request = request_for(gb_listener(), 0)
    result = write(srv, tmp_path, request)
    assert result.backend == "scripted" and result.prompt_hash == result.prompt.version_hash
    # the server rebuilt the request from the data block the model saw, and composed from it
    seen = request_from_data(
        extract_from_messages([m.model_dump() for m in result.prompt.messages])
    )
    assert result.draft == compose(seen)
    (record,) = srv.requests()
    assert record.user_id == request.user_year.user_id
    assert record.day == request.day.isoformat()
    assert record.attempt == 1 and record.outcome == "ok" and record.paid


def test_grounded_reply_passes_grounding_and_planted_defects_fail_it(srv, tmp_path):
    from wrapped.gate.grounding import verify_draft

    uy = gb_listener()
    request = request_for(uy, 0)
    clean = write(srv, tmp_path, request).draft
    assert verify_draft(clean, uy, request.day).status == "pass"
    for defect in ("hallucinated_artist", "wrong_number"):
        srv.set_script(Script(rules=[Rule(defect=defect)]))
        bad = write(srv, tmp_path, request).draft
        assert verify_draft(bad, uy, request.day).status == "fail", defect


def test_each_defect_is_planted_as_described(srv, tmp_path):
    uy = gb_listener()
    previous = previous_from(uy, [(1, "Your loudest Tuesday", "A story told before. " * 5)])
    request = request_for(uy, 0, previous=previous)
    clean = write(srv, tmp_path, request).draft
    data_text = json.dumps(uy.model_dump(mode="json")).lower()

    def planted(defect: str) -> Draft:
        srv.set_script(Script(rules=[Rule(defect=defect)]))
        return write(srv, tmp_path, request).draft

    artist = next(a for a in KNOWN_ARTISTS if a in planted("hallucinated_artist").story)
    assert artist.lower() not in data_text
    wrong = planted("wrong_number")
    changed = set(re.findall(r"\d+", wrong.story)) - set(re.findall(r"\d+", clean.story))
    assert changed and all(n not in re.findall(r"\d+", data_text) for n in changed)
    unsafe = planted("unsafe").story
    assert any(s in unsafe for s in UNSAFE_SENTENCES)
    assert planted("repetition").story == previous[0].story
    outcomes = [r.outcome for r in srv.requests()]
    assert outcomes[0] == "ok" and outcomes[1:] == [
        "defect:hallucinated_artist", "defect:wrong_number", "defect:unsafe", "defect:repetition",
    ]  # fmt: skip


def test_echo_injection_quotes_the_instruction_that_reached_the_prompt(srv, tmp_path):
    from _prompt_helpers import ESCAPE_TITLE

    srv.set_script(Script(rules=[Rule(defect="echo_injection")]))
    draft = write(srv, tmp_path, request_for(tricky_listener(), 0)).draft
    assert ESCAPE_TITLE in draft.story


def test_rules_select_by_user_and_gate_attempt(srv, tmp_path):
    uy = gb_listener()
    srv.set_script(
        Script(rules=[Rule(user_id=uy.user_id, attempt=[1], defect="hallucinated_artist")])
    )
    first = write(srv, tmp_path, request_for(uy, 0))
    retry = write(
        srv, tmp_path, request_for(uy, 0, attempt=2, feedback=["names an unknown artist"])
    )
    other = write(srv, tmp_path, request_for(tricky_listener(), 0))
    assert [r.outcome for r in srv.requests()] == ["defect:hallucinated_artist", "ok", "ok"]
    assert first.draft != retry.draft and other.draft.story


def test_a_reply_the_script_cannot_build_is_a_logged_unpaid_500_and_the_server_stays_up(srv):
    """A data block the embedded writer cannot compose from (a listener with no stats) fails
    that one request as a provider outage would, never the server: a test driving faults
    through it must still see every request answered and logged."""
    client = openai.OpenAI(base_url=srv.base_url, api_key="x", max_retries=0)
    try:
        with pytest.raises(openai.InternalServerError) as err:
            client.chat.completions.create(model="scripted", messages=data_messages())
        after = client.chat.completions.create(
            model="scripted", messages=[{"role": "user", "content": "hello"}]
        )
    finally:
        client.close()
    assert err.value.status_code == 500
    assert "scripted reply failed" in str(err.value)
    failed, ok = srv.requests()
    assert failed.outcome.startswith("error:") and failed.status == 500
    assert not failed.paid and failed.user_id == "u_0000000000000001"
    assert ok.status == 200 and ok.paid and after.choices[0].message.content


def test_seeded_fault_mix_is_reproducible_at_any_order(srv, tmp_path):
    script = Script(reply="fixed", seed=7, fault_rate=0.5, fault_mix={"server_error": 1.0})
    srv.set_script(script)

    async def burst(reverse: bool):
        client = ChatClient(llm_settings(srv.base_url, tmp_path, max_attempts=1))
        order = sorted(range(30), reverse=reverse)
        try:
            for i in order:
                try:
                    await client.complete(data_messages(note=str(i)), schema=Draft)
                except Exception:
                    pass
        finally:
            await client.aclose()

    def outcomes_by_note() -> dict[int, str]:
        return {i: r.outcome for i, r in zip(sorted(range(30)), srv.requests(), strict=True)}

    run(burst(False))
    forward = outcomes_by_note()
    srv.clear()
    run(burst(True))
    backward = {
        i: r.outcome for i, r in zip(sorted(range(30), reverse=True), srv.requests(), strict=True)
    }
    assert forward == backward
    assert 5 <= sum(o == "fault:server_error" for o in forward.values()) <= 25


def test_script_can_be_replaced_at_runtime_over_http(srv):
    body = Script(reply="fixed", rules=[Rule(fault="not_found")]).model_dump_json().encode()
    req = urllib.request.Request(f"{srv.url}/_script", data=body, method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert json.loads(resp.read())["rules"][0]["fault"] == "not_found"
    client = openai.OpenAI(base_url=srv.base_url, api_key="x", max_retries=0)
    try:
        with pytest.raises(openai.NotFoundError):
            client.chat.completions.create(model="scripted", messages=data_messages())
    finally:
        client.close()
    with urllib.request.urlopen(f"{srv.url}/_log", timeout=10) as resp:
        (entry,) = json.loads(resp.read())
    assert entry["status"] == 404 and entry["paid"] is False


def test_judge_requests_are_answered_by_the_scripted_judge(srv, tmp_path):
    from wrapped.testing.scripted_judge import judge_reply

    messages = [{"role": "user", "content": "Rate this story. [rubric:format] Reply in JSON."}]

    async def go():
        client = ChatClient(llm_settings(srv.base_url, tmp_path), model="scripted-judge")
        try:
            return await client.complete(messages)
        finally:
            await client.aclose()

    assert run(go()).text == judge_reply(messages)
    assert srv.requests()[0].kind == "judge"


def test_process_mode_serves_the_same_api(tmp_path):
    with ScriptedServer(Script(reply="fixed", latency_ms=5), mode="process") as srv:

        async def go():
            client = ChatClient(llm_settings(srv.base_url, tmp_path))
            try:
                return await client.complete(data_messages(), schema=Draft)
            finally:
                await client.aclose()

        assert run(go()).parsed == Script().fixed_draft
        assert srv.paid_calls() == 1


def test_latency_is_the_time_to_answer_never_sooner(tmp_path):
    """A 300 ms endpoint answers after 300 ms: never sooner, and the wait is not taken twice
    (the reply is built inside it)."""
    import time

    with ScriptedServer(Script(reply="fixed", latency_ms=300), mode="process") as srv:

        async def go():
            client = ChatClient(llm_settings(srv.base_url, tmp_path, cache=False))
            try:
                times = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    await client.complete(data_messages(), schema=Draft, cache=False)
                    times.append(time.perf_counter() - t0)
                return times
            finally:
                await client.aclose()

        times = run(go())
        assert min(times) >= 0.3
        assert sorted(times)[1] < 0.3 + 0.25  # the median call: one wait plus the client's work
        assert srv.paid_calls() == 3


def test_fake_llm_command_runs_the_server_in_the_foreground():
    cmd = [sys.executable, "-m", "wrapped", "fake-llm", "--port", "0", "--reply", "fixed"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            line = proc.stdout.readline()
            url = re.search(r"http://127\.0\.0\.1:\d+/v1", line)
            assert url, f"no URL in {line!r}"
            client = openai.OpenAI(base_url=url.group(), api_key="x", max_retries=0)
            reply = client.chat.completions.create(model="scripted", messages=data_messages())
            client.close()
            assert Draft.model_validate_json(reply.choices[0].message.content)
        finally:
            proc.terminate()
            proc.wait(10)


def test_fake_llm_rejects_a_bad_option_in_one_line():
    out = subprocess.run(
        [sys.executable, "-m", "wrapped", "fake-llm", "--fault-rate", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert "error:" in out.stderr and "fault_rate" in out.stderr
    assert "Traceback" not in out.stderr


def _writer_body(request: StoryRequest, tmp_path) -> dict:
    from _prompt_helpers import make_settings

    from wrapped.prompts import render

    pair = render(request, settings=make_settings(tmp_path))
    return {"model": "scripted", "messages": [m.model_dump() for m in pair.messages]}


def _reply(engine, body: dict) -> str:
    from wrapped.testing.engine import Decision, request_context

    ctx = request_context(body, engine.script.judge_model, engine)
    return engine.content(ctx, Decision(), "h", 1)


def test_block_memo_replies_as_a_fresh_engine_for_other_days_and_a_changed_listener(tmp_path):
    """The engine validates a listener's year once and reuses it for the listener's other
    days; every reply must still be what an engine that never saw the listener sends."""
    from wrapped.testing.engine import Engine

    listener = gb_listener()
    changed = listener.model_copy(
        update={
            "days": [listener.days[0].model_copy(update={"headline": "A changed day"})]
            + listener.days[1:]
        }
    )
    bodies = [_writer_body(request_for(listener, i), tmp_path) for i in range(len(listener.days))]
    bodies.append(
        _writer_body(
            request_for(
                listener,
                1,
                attempt=2,
                previous=previous_from(
                    listener, [(0, "Earlier", "An earlier story about your day.")]
                ),
            ),
            tmp_path,
        )
    )
    bodies += [_writer_body(request_for(changed, i), tmp_path) for i in (1, 0)]
    engine = Engine(Script())
    for body in bodies + bodies:  # the second pass answers from the memos
        assert _reply(engine, body) == _reply(Engine(Script()), body)
    # the later days did come from the listener's memoized year
    found = [engine.blocks.find(b["messages"]) for b in bodies]
    assert all(block is not None and block.base is not None for block in found)
    assert found[1].base is found[2].base and found[-1].base is not found[1].base


def test_block_memo_parses_as_json_loads_and_falls_back_outside_the_renderers_layout():
    from wrapped.prompts import CLOSE, OPEN
    from wrapped.testing.blocks import BlockMemo

    memo = BlockMemo()
    day = {"date": "2024-03-01", "log": [{"title": "x"}], "headline": "h"}
    listener = {"user_id": "u_1", "days": [day, {"date": "2024-03-02", "log": []}]}
    tidy = json.dumps(
        {"feedback": [], "listener": listener, "previous_stories": [], "request": {"day": 1}},
        separators=(", ", ": "),
    )
    loose = json.dumps({"request": {"day": 1}, "listener": listener})  # other key order
    for text in (tidy, tidy, loose, tidy.replace('"x"', '"y"')):
        block = memo.find([{"role": "user", "content": f"{OPEN}\n{text}\n{CLOSE}"}])
        assert block is not None and block.data == json.loads(text)
    assert memo.find([{"role": "user", "content": f"{OPEN}\n{{1: 2}}\n{CLOSE}"}]) is None
    assert memo.find([{"role": "user", "content": "no block"}, "not a message"]) is None


@pytest.mark.parametrize(
    "story",
    [
        'You played "Song A" by "Band B" twice. You played "Song A" by "Band B" twice.',
        "YOU LOVED IT!!!! " * 5,
        "Your favorite colour: <<NEXT>> a story with a marker in it, you know.",
        "A story that closes early <</STORY>> and <<TITLE>>, you know.",
    ],
)
def test_panel_scores_the_parts_as_the_rubric_prompt_text_scores_them(story):
    """The panel judge scores the draft's parts directly; a rubric prompt carrying the same
    parts in its text must score the same."""
    from wrapped.testing.scripted_judge import _PANEL_RUBRIC, _Case, _score, _score_case

    parts = _Case(
        story=story,
        title="A colourful day",
        previous="You played Song A by Band B twice and more<<NEXT>>another story",
        locale="en-GB",
        data='\n{"listener": {"name": "Song A"}}\n</listener_data>',
    )
    text = (
        f"<<LOCALE>>{parts.locale}<</LOCALE>>\n<<DATA>>{parts.data}<</DATA>>\n"
        f"<<PREVIOUS>>{parts.previous}<</PREVIOUS>>\n<<TITLE>>{parts.title}<</TITLE>>\n"
        f"<<STORY>>{parts.story}<</STORY>>"
    )
    for rubric in _PANEL_RUBRIC.values():
        if "STORY>>" not in story:  # a part holding a tag is scored from the text instead
            assert _score_case(rubric, parts) == _score(rubric, text)
        assert _score_case(rubric, _Case.parse(text)) == _score(rubric, text)


#: jeer words and letters that case-blind matching folds onto theirs outside ASCII
_JEER_PIECES = ["lol", "LOL", "LmAo", "yikes", "SMH", "seriously?", "Seriously", "ſmh", "yıkes"]


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_JEER_PIECES) | st.text(alphabet="abyksIl ?!.-'", max_size=6))
)
def test_the_jeer_shortcut_counts_as_the_full_scan(pieces):
    """`_jeers` skips the case-blind scan of an ASCII text without a jeer's marks; it must count
    exactly what the scan counts, non-ASCII letters that fold onto a jeer's included."""
    from wrapped.testing.scripted_judge import _JEERS, _jeers

    text = "".join(pieces)
    assert _jeers(text) == len(_JEERS.findall(text))


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES, ascii_only=st.booleans())
def test_server_reads_any_body_as_json_loads_does(value, ascii_only):
    """A request body decodes to the value `json.loads` gives (integers past 64 bits and
    non-ASCII text included), so a rule or a log record never sees a different request."""
    from wrapped.testing import jsonio

    text = json.dumps(value, ensure_ascii=ascii_only)
    for raw in (text, text.encode()):
        got = jsonio.loads(raw)
        assert got == json.loads(raw)
        assert json.dumps(got) == json.dumps(value)  # same types: 1 stays 1, never 1.0


@pytest.mark.parametrize(
    "raw",
    [
        b'{"n": 12345678901234567890123}',  # orjson would read a float
        b'{"x": NaN, "y": -Infinity, "z": 1e400}',
        b'{"s": "\\ud800"}',  # a lone surrogate escape
        '{"a": "é"}'.encode("utf-16"),
        b'{"a": 1, "a": 2}',
    ],
)
def test_server_reads_what_only_json_accepts_as_json_does(raw):
    from wrapped.testing import jsonio

    got, want = jsonio.loads(raw), json.loads(raw)
    assert repr(got) == repr(want)


@pytest.mark.parametrize("raw", [b"", b"{", b'{"a": 1} x', b"\xff\xfe\x00"])
def test_server_rejects_what_json_rejects(raw):
    from wrapped.testing import jsonio

    with pytest.raises(ValueError):
        json.loads(raw)
    with pytest.raises(ValueError):
        jsonio.loads(raw)
