"""Planning: selection, run identity (resume vs new run), shards, and the shared RPM budget."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from wrapped.batch.plan import cut_shards, fingerprint_paths, make_run_id, select_users
from wrapped.errors import ConfigError
from wrapped.settings import Settings


def test_select_first_n_and_fraction_are_deterministic():
    ids = [f"u{i:03d}" for i in range(100)]
    first, key = select_users(list(reversed(ids)), users=5, sample=None, seed=0)
    assert first == ids[:5] and key == "first:5"
    a, _ = select_users(ids, users=None, sample="0.1", seed=7)
    b, _ = select_users(ids, users=None, sample="0.1", seed=7)
    assert a == b and len(a) == 10 and a == sorted(a)


def test_select_from_a_file_of_ids_or_account_names(tmp_path):
    from wrapped.ingest import pseudonymize

    f = tmp_path / "ids.txt"
    f.write_text("u002\nu999\n\nu001\nana.k.92\n")
    ana = pseudonymize("ana.k.92", "s")
    chosen, key = select_users(
        ["u001", "u002", "u003", ana], users=None, sample=str(f), seed=0, salt="s"
    )
    assert chosen == sorted(["u001", "u002", ana]) and key.startswith("file:")


@pytest.mark.parametrize("users,sample", [(0, None), (None, "1.5"), (3, "0.5"), (None, "/no/such")])
def test_bad_selection_is_a_clear_config_error(users, sample):
    with pytest.raises(ConfigError):
        select_users(["u1"], users=users, sample=sample, seed=0)


def test_run_id_is_stable_and_changes_with_prompt_or_model():
    s = Settings()
    a = make_run_id(s, prompt_hash="h1", input_fingerprint="f", selection="all")
    assert a == make_run_id(Settings(), prompt_hash="h1", input_fingerprint="f", selection="all")
    assert a != make_run_id(s, prompt_hash="h2", input_fingerprint="f", selection="all")
    other_model = Settings(backend="openai", model="gpt-4.1")
    assert a != make_run_id(other_model, prompt_hash="h1", input_fingerprint="f", selection="all")
    assert a != make_run_id(s, prompt_hash="h1", input_fingerprint="g", selection="all")


def test_fingerprint_follows_content_not_mtime(tmp_path):
    (tmp_path / "a.json").write_text("[1]")
    f1 = fingerprint_paths([tmp_path])
    (tmp_path / "a.json").write_text("[1]")
    assert fingerprint_paths([tmp_path]) == f1
    (tmp_path / "a.json").write_text("[2]")
    assert fingerprint_paths([tmp_path]) != f1


def test_shards_cover_every_listener_once():
    ids = [f"u{i}" for i in range(23)]
    shards = cut_shards(ids, 5)
    assert [len(s) for s in shards] == [5, 5, 5, 5, 3]
    assert sum(shards, []) == ids


def test_dispatch_sends_new_batches_to_the_worker_that_freed_up():
    """A worker stuck on a slow node (or waiting out a 429) must not be handed a share of
    every refill: the driver keeps a window of batches in flight and gives each freed slot to
    the least-loaded worker; equal workers still alternate."""
    from wrapped.batch.fanout import least_loaded

    assert [least_loaded([0, 0, 0], t) for t in range(4)] == [0, 1, 2, 0]
    # the driver's loop with a window of 4 batches: worker 1 never finishes, worker 0 does
    load, given = [0, 0], [0, 0]
    for turn in range(40):
        if sum(load) == 4:  # window full: worker 0 finishes one batch
            load[0] -= 1
        w = least_loaded(load, turn)
        load[w] += 1
        given[w] += 1
    assert given[1] == 2 and given[0] == 38  # round-robin would have queued 20 on worker 1


@hyp_settings(max_examples=300, deadline=None)
@given(
    uid=st.text(max_size=30), tail=st.sampled_from(["", ',"window":{"year":2024}', ',"x":"\\""'])
)
def test_a_staged_year_is_handed_out_under_its_own_user_id(uid, tail):
    """The driver reads each staged year's id from the start of its line instead of decoding
    the whole year: any id (quotes, backslashes, non-ASCII included) reads as `json` reads it."""
    import pydantic_core

    from wrapped.batch.staging import staged_user_id

    line = pydantic_core.to_json({"user_id": uid}).decode()[:-1] + tail + "}\n"
    assert staged_user_id(line) == json.loads(line)["user_id"] == uid
    assert staged_user_id(json.dumps({"days": [], "user_id": uid}) + "\n") == uid
