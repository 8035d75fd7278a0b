"""The grounding verifier: every name, number, rank, date and weekday checked against the data."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from _gate_helpers import DAY, make_user_year, user_year_dict

from wrapped.gate import ListenerContext, verify_draft, verify_grounding
from wrapped.gate.numbers import matches, words_to_number
from wrapped.gate.policy import deterministic_checks
from wrapped.stats.model import UserYear
from wrapped.story import Draft, PreviousStory, StoryRequest

CORPUS = Path(__file__).resolve().parents[1] / "evals" / "gate_corpus"

GOOD = [
    "Saturday, 9 March: you pressed play on Here Comes the Sun at 07:42 and never quite looked back. "
    "Over the day you racked up 417 minutes and 96 plays, and The Beatles alone took 38 of them.",
    "This one clocked nearly 7 hours of listening — 417 minutes, to be exact — with Björk's Jóga "
    "sliding in at 08:15 and Khruangbin closing things out just before midnight. Phoebe kept you "
    "company around lunchtime.",
    "Your #2 artist, Björk, and your top artist, the Beatles, traded turns all day. Across the year "
    "you gave over 32,000 minutes to music, and Saturdays are your busiest day.",
    "You listened to 287 different artists this year and found 83 new ones, with Little Simz the "
    "pick of the newcomers. Your second-favourite song, “Jóga”, earned 71 plays.",
    "In March, THE BEATLES peaked with 611 minutes. A 46-day streak shows real commitment, and "
    "your listening age of 47 says the 1960s still matter.",
]


def _check(text: str):
    return verify_grounding(text, make_user_year(), DAY)


@pytest.mark.parametrize("text", GOOD)
def test_sensible_stories_are_grounded(text: str) -> None:
    check = _check(text)
    assert check.status == "pass", check.reasons
    assert check.claims and all(c.grounded and c.fact for c in check.claims)


@pytest.mark.parametrize(
    ("text", "kind", "why"),
    [
        ("Arctic Monkeys kept you company all day.", "name", "not a name"),
        ("You spun “Mr. Brightside” on repeat.", "name", "not a name"),
        ("Later, Radiohead took over.", "name", "not a name"),
        ("Over the day you racked up 517 minutes.", "number", "517"),
        ("You played 'Jóga' twelve times that morning.", "number", "12"),
        ("Your #3 artist, Björk, was everywhere.", "rank", "top_artists[2]"),
        ("Björk, your top artist, was everywhere.", "rank", "top_artists[2]"),
        ("That Tuesday you played 417 minutes.", "weekday", "Saturday"),
        ("On 12 March you played 417 minutes.", "date", "2024-03-09"),
        ("You're in the top 1% of Björk listeners.", "number", "percentile"),
        ("It all started at 06:10 with The Beatles.", "time", "no play"),
        ("July was your biggest month.", "month", "biggest month"),
        ("Björk got more plays than The Beatles.", "comparison", "#2"),
    ],
)
def test_each_kind_of_wrong_claim_is_a_violation(text: str, kind: str, why: str) -> None:
    check = _check(text)
    assert check.status == "fail"
    bad = [c for c in check.claims if not c.grounded]
    assert bad[0].kind == kind
    assert why in (bad[0].why or "") + bad[0].text


def test_names_match_across_case_accents_quotes_and_the() -> None:
    text = "“here comes the sun” by the Beatles, then BJORK’s 'Joga' and Maria Tambien."
    check = _check(text)
    names = {c.fact for c in check.claims if c.kind == "name"}
    assert {"name=The Beatles", "name=Björk", "name=Jóga", "name=Maria También"} <= names
    assert check.status == "pass", check.reasons


def test_numbers_inside_names_are_not_claims() -> None:
    data = user_year_dict()
    data["top_artists"][4]["name"] = "Maroon 5"
    uy = UserYear.model_validate(data)
    check = verify_grounding("Maroon 5 showed up 151 times this year.", uy, DAY)
    assert check.status == "pass", check.reasons
    assert [c.text for c in check.claims if c.kind == "number"] == ["151 count"]


@pytest.mark.parametrize(
    ("x", "qual", "fact", "ok"),
    [
        (32000, "over", 32109, True),
        (20000, "over", 32109, False),  # true but too loose to count as a fact
        (33000, "over", 32109, False),
        (7, "under", 6.95, True),  # "nearly 7 hours"
        (420, "about", 417, True),
        (500, "about", 417, False),
        (32000, None, 32109, True),  # a round number is the fact rounded to 1,000
        (32100, None, 32109, True),  # or to 100
        (32110, None, 32109, False),
        (418, None, 417, False),
    ],
)
def test_declared_rounding_rules(x: float, qual: str | None, fact: float, ok: bool) -> None:
    assert matches(x, qual, fact, approx=False) is ok


def test_number_words() -> None:
    assert words_to_number("forty-six") == 46
    assert words_to_number("a dozen") == 12
    assert words_to_number("one hundred and twelve") == 112
    assert words_to_number("three thousand four hundred") == 3400


def test_title_case_titles_are_not_name_candidates_but_quotes_are() -> None:
    uy = make_user_year()
    assert (
        verify_draft(Draft(title="A Very Sunny Saturday", story=GOOD[0]), uy, DAY).status == "pass"
    )
    bad = verify_draft(Draft(title="Your “Wonderwall” Saturday", story=GOOD[0]), uy, DAY)
    assert bad.status == "fail" and bad.reasons[0].startswith("title:")


def _corpus():
    listeners = {}
    for line in (CORPUS / "listeners.jsonl").read_text(encoding="utf-8").splitlines():
        uy = UserYear.model_validate_json(line)
        listeners[uy.user_id] = uy
    for line in (CORPUS / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        req = StoryRequest(
            user_year=listeners[r["user_id"]],
            day=date.fromisoformat(r["day"]),
            previous=[PreviousStory(**p) for p in r["previous"]],
        )
        yield r, req


def test_corpus_deterministic_layer_meets_its_targets() -> None:
    """>= 95% recall on number/name/rank/date defects, <= 3% false rejects of good stories."""
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    for r, req in _corpus():
        checks = deterministic_checks(Draft(title=r["title"], story=r["story"]), req)
        total[r["label"]] += 1
        caught[r["label"]] += any(c.status == "fail" for c in checks)
    assert sum(total.values()) >= 200 and total["good"] >= 100
    assert caught["good"] / total["good"] <= 0.03
    for kind in (
        "hallucinated_artist",
        "wrong_count",
        "wrong_rank",
        "wrong_weekday",
        "wrong_date",
        "unsafe_mention",
        "unsafe_title",
        "pii",
        "injection_echo",
        "shaming",
    ):
        assert caught[kind] / total[kind] >= 0.95, (kind, caught[kind], total[kind])


def test_embedded_writer_stories_pass_on_every_day() -> None:
    from wrapped.writer import compose

    uy = make_user_year()
    for day in (DAY, date(2024, 1, 1)):
        for seed in range(8):
            req = StoryRequest(user_year=uy, day=day, seed=seed)
            checks = deterministic_checks(compose(req), req)
            assert all(c.status == "pass" for c in checks), [c.reasons for c in checks]


# --- the per-listener context (fact index, name hits, sanitized copy) --------------------------


def _with_artist(name: str) -> UserYear:
    data = user_year_dict()
    data["top_artists"][4]["name"] = name  # replaces Little Simz (#5)
    return UserYear.model_validate(data)


def _rank_ok(check) -> bool:
    """Passed because the name was found and holds that rank (not because nothing was read)."""
    return check.status == "pass" and any(c.kind == "rank" and c.grounded for c in check.claims)


def test_two_listeners_never_share_an_index() -> None:
    """Same shape, one name apart: each listener's claims are checked against its own data,
    whichever was checked first, for the same text (the name-hit cache included)."""
    text = "Arctic Monkeys were your #5 artist this year."
    a, b = make_user_year(), _with_artist("Arctic Monkeys")
    ca, cb = ListenerContext(a), ListenerContext(b)
    for _ in range(2):
        assert verify_grounding(text, a, DAY, ctx=ca).status == "fail"
        assert _rank_ok(verify_grounding(text, b, DAY, ctx=cb))
        assert verify_grounding(text, a, DAY).status == "fail"  # no context: built for the call
        assert _rank_ok(verify_grounding(text, b, DAY))
    assert ca.index(DAY) is ca.index(DAY)  # built once per listener and day
    assert ca.index(DAY).year is ca.index(date(2024, 1, 1)).year  # the year part once for all
    assert ca.index(DAY) is not cb.index(DAY)


def test_a_context_is_only_used_for_its_own_listener() -> None:
    """A context handed in with another listener's year is not used: that listener's own data
    decides (the context belongs to one listener, by identity)."""
    text = "Arctic Monkeys were your #5 artist this year."
    a, b = make_user_year(), _with_artist("Arctic Monkeys")
    ca = ListenerContext(a)
    assert verify_grounding(text, a, DAY, ctx=ca).status == "fail"
    assert _rank_ok(verify_grounding(text, b, DAY, ctx=ca))


# --- estimated minutes (Last.fm and ListenBrainz keep no play length) --------------------------


def _scrobbles(tmp_path: Path, source: str) -> Path:
    """One listener's export: 30 plays on 2024-03-09, 5 minutes apart, no play lengths."""
    start = 1709971200 + 9 * 3600  # 2024-03-09 09:00 UTC
    if source == "listenbrainz":
        listens = [
            {
                "listened_at": start + i * 300,
                "track_metadata": {
                    "track_name": f"Song {i % 6}",
                    "artist_name": "The Scrobblers",
                    "release_name": "Unknown Lengths",
                },
            }
            for i in range(30)
        ]
        path = tmp_path / "lb_user" / "listens.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(listens), encoding="utf-8")
        return path
    rows = "".join(
        f'"{start + i * 300}","","The Scrobblers","","Unknown Lengths","","Song {i % 6}",""\n'
        for i in range(30)
    )
    path = tmp_path / "fm_user" / "scrobbles.csv"
    path.parent.mkdir(parents=True)
    path.write_text(
        "uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n" + rows,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("source", ["listenbrainz", "lastfm"])
def test_scrobbled_minutes_are_estimates_only_a_hedged_claim_is_grounded(
    tmp_path: Path, source: str
) -> None:
    from wrapped.ingest.pipeline import ingest
    from wrapped.settings import Settings
    from wrapped.stats import compute_user_years

    settings = Settings(salt="estimates-test", year=2024, min_plays=1, min_minutes=0)
    events = ingest([_scrobbles(tmp_path, source)], settings=settings).events
    assert events["ms_estimated"].all()  # ingest marks every scrobble
    (uy,) = compute_user_years(events, settings=settings)
    assert uy.totals.minutes_estimated == 1.0
    minutes = uy.totals.all.minutes
    assert minutes == 105  # 30 plays x 3.5 minutes, none of them measured
    day = uy.days[0].date
    exact = verify_grounding(f"You gave {minutes} minutes to The Scrobblers this year.", uy, day)
    assert exact.status == "fail"
    assert "estimates" in " ".join(exact.reasons)
    for hedged in (f"about {minutes}", f"around {minutes}", "over 100", "nearly 110"):
        check = verify_grounding(f"You gave {hedged} minutes to The Scrobblers this year.", uy, day)
        assert check.status == "pass", (hedged, check.reasons)
    # hours are estimates too; counts of plays are not (a scrobble is a play)
    assert verify_grounding("That is about 2 hours of music.", uy, day).status == "pass"
    assert verify_grounding("You played 30 songs this year.", uy, day).status == "pass"


def test_measured_minutes_stay_exact() -> None:
    """The control: a Spotify listener's minutes are measured, so the exact claim is grounded."""
    uy = make_user_year()
    assert uy.totals.minutes_estimated == 0.0
    assert verify_grounding("Over the day you racked up 417 minutes.", uy, DAY).status == "pass"


def test_embedded_writer_hedges_estimated_minutes_and_passes() -> None:
    from wrapped.writer import compose

    data = user_year_dict()
    data["totals"]["minutes_estimated"] = 1.0  # every play a scrobble
    uy = UserYear.model_validate(data)
    hedged = 0
    for day in (DAY, date(2024, 1, 1)):
        for seed in range(8):
            req = StoryRequest(user_year=uy, day=day, seed=seed)
            draft = compose(req)
            checks = deterministic_checks(draft, req)
            assert all(c.status == "pass" for c in checks), [c.reasons for c in checks]
            hedged += draft.story.count("about ")
    assert hedged  # the stories do quote minutes, hedged
