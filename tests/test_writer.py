"""The embedded writer: grounded, safe, locale-aware, deterministic, and not repetitive."""

from __future__ import annotations

import asyncio
import re

import pytest
from _prompt_helpers import (
    BREAKOUT_TITLE,
    ESCAPE_TITLE,
    INJECTION_TITLE,
    UNSAFE_TITLES,
    allowed_numbers,
    gb_listener,
    make_day,
    make_settings,
    names_in,
    numbers_in_text,
    request_for,
    tricky_listener,
    us_listener,
)

from wrapped.errors import InputError
from wrapped.llm.backend import Backend
from wrapped.safety.screen import sanitize_for_prompt
from wrapped.stats.model import UserYear
from wrapped.story import PreviousStory, StoryRequest, Usage, WriteJob
from wrapped.writer import MAX_WORDS, MIN_WORDS, EmbeddedBackend, compose, phrasebank_hash
from wrapped.writer.spelling import american_words, localize

LISTENERS = {"gb": gb_listener(), "us": us_listener(), "tricky": tricky_listener()}
ALL_DAYS = [(k, i) for k, uy in LISTENERS.items() for i in range(len(uy.days))]
SEEDS = range(6)


def story_text(draft) -> str:
    return f"{draft.title}\n{draft.story}"


def test_every_category_is_covered_by_the_fixtures():
    cats = {d.category for uy in LISTENERS.values() for d in uy.days}
    assert len(cats) == 9


@pytest.mark.parametrize(("who", "index"), ALL_DAYS)
def test_stories_have_the_promised_shape(who, index):
    uy = LISTENERS[who]
    for seed in SEEDS:
        d = compose(request_for(uy, index, seed=seed))
        words = len(d.story.split())
        assert MIN_WORDS <= words <= MAX_WORDS, (seed, words, d.story)
        assert 0 < len(d.title) <= 80
        assert re.search(r"\byou(r)?\b", d.story, re.I)  # second person
        assert "{" not in story_text(d) and "[withheld" not in story_text(d)
        assert d.facts_used and all(" = " in f for f in d.facts_used)


@pytest.mark.parametrize(("who", "index"), ALL_DAYS)
def test_every_number_and_quoted_title_comes_from_the_data(who, index):
    uy = LISTENERS[who]
    day = uy.days[index]
    names = names_in(uy, day.date)
    allowed = allowed_numbers(uy, day.date)
    # release years the day's facts name are quotable too
    allowed |= {v for k, v in day.facts.items() if "year" in k and isinstance(v, int)}
    for seed in SEEDS:
        d = compose(request_for(uy, index, seed=seed))
        text = story_text(d)
        for quoted in re.findall(r'"([^"]+)"', text):
            assert quoted in names, (seed, quoted)
        for name in sorted(names, key=len, reverse=True):  # "Disco 2000" is a name, not a count
            text = text.replace(name, " ")
        for number in numbers_in_text(text):
            assert int(number.replace(",", "")) in allowed, (seed, number, d.story)


@pytest.mark.parametrize(("who", "index"), ALL_DAYS)
def test_the_gate_finds_nothing_to_reject(who, index):
    grounding = pytest.importorskip("wrapped.gate.grounding")
    output = pytest.importorskip("wrapped.gate.output")
    uy = LISTENERS[who]
    for seed in SEEDS:
        req = request_for(uy, index, seed=seed)
        d = compose(req)
        checks = [grounding.verify_draft(d, uy, req.day), *output.check_safety(d, req)]
        failed = {c.name: c.reasons for c in checks if c.status == "fail"}
        assert not failed, (seed, d.title, d.story, failed)


def test_unsafe_and_injected_titles_are_never_written():
    uy = tricky_listener()
    for seed in range(30):
        text = story_text(compose(request_for(uy, seed=seed))).lower()
        for title in (*UNSAFE_TITLES, INJECTION_TITLE, BREAKOUT_TITLE, ESCAPE_TITLE):
            assert title.lower() not in text
        assert not re.search(r"cocaine|whiskey|banana|listener_data|instruction", text)


def test_first_play_is_only_claimed_for_the_real_first_play():
    """If the filter removed the day's first play, no later play is called the first."""
    base = tricky_listener()
    day = base.days[0]
    log = [day.log[2], *day.log[:2], *day.log[3:]]  # "Cocaine" first
    assert log[0].title == "Cocaine"
    real = make_day(day.date, day.category, day.strength, day.headline, {}, log)
    uy = base.model_copy(update={"days": [real]})
    from wrapped.safety.screen import sanitize_for_prompt

    # both the raw year and an already-sanitized one (what the gate's fallback passes)
    for year in (uy, sanitize_for_prompt(uy).user_year):
        for seed in range(40):
            text = compose(request_for(year, seed=seed)).story
            assert "started with" not in text and "first play" not in text


def test_same_request_same_story_and_a_new_attempt_rewrites_it():
    req = request_for(gb_listener(), 0)
    assert compose(req) == compose(req.model_copy(deep=True))
    variants = {compose(req.model_copy(update={"attempt": a})).story for a in range(1, 6)}
    variants |= {compose(req.model_copy(update={"seed": s})).story for s in range(5)}
    assert len(variants) >= 6


def test_locale_spelling_and_dates():
    def corpus(uy: UserYear, locale: str) -> str:
        uy = uy.model_copy(update={"locale": locale})
        return "\n".join(
            story_text(compose(request_for(uy, i, seed=s)))
            for i in range(len(uy.days))
            for s in range(25)
        )

    us_words = american_words()
    for uy in (gb_listener(), us_listener()):
        gb_text, us_text = corpus(uy, "en-GB"), corpus(uy, "en-US")
        gb_hits = {w for w in re.findall(r"[A-Za-z-]+", gb_text.lower()) if w in us_words}
        assert not gb_hits, gb_hits
        assert not re.search(r"favourite|colour|catalogue|honour|travelled", us_text, re.I)
        d = uy.days[0]
        assert f"{d.weekday} {d.date.day} " in gb_text
        assert f"{d.weekday}, " in us_text and f"{d.weekday} {d.date.day} " not in us_text
    # the localized words really occur (the genre day, the nostalgic day, the birthday)
    gb_all = corpus(gb_listener(), "en-GB") + corpus(us_listener(), "en-GB")
    us_all = corpus(gb_listener(), "en-US") + corpus(us_listener(), "en-US")
    assert re.search(r"favourite|colour|catalogue|honour", gb_all, re.I)
    assert re.search(r"favorite|color|catalog|honor", us_all, re.I)


def test_names_are_never_respelled():
    assert localize("Your favorite: {d_top_track}", "british") == "Your favourite: {d_top_track}"
    uy = us_listener().model_copy(update={"locale": "en-GB"})
    day = uy.days[1]
    log = [day.log[0].model_copy(update={"title": "Favorite Color"}), *day.log[1:]]
    uy = uy.model_copy(update={"days": [*uy.days[:1], day.model_copy(update={"log": log})]})
    texts = "\n".join(compose(request_for(uy, 1, seed=s)).story for s in range(30))
    assert '"Favorite Color"' in texts  # quoted as the day's first play, spelt as stored
    assert "Favourite Colour" not in texts


def test_previous_stories_are_not_repeated():
    uy = gb_listener()
    previous: list[PreviousStory] = []
    safety = pytest.importorskip("wrapped.gate.output")
    for i, d in enumerate(uy.days):
        req = request_for(uy, i, previous=list(previous))
        draft = compose(req)
        for p in previous:
            assert draft.title != p.title
        checks = safety.check_safety(draft, req)
        assert all(c.status != "fail" for c in checks), [c.reasons for c in checks]
        previous.append(
            PreviousStory(day=d.date, category=d.category, title=draft.title, story=draft.story)
        )
    # same day, same seed: knowing the earlier story changes the wording
    first = compose(request_for(uy, 0))
    again = compose(
        request_for(
            uy,
            0,
            previous=[
                PreviousStory(
                    day=uy.days[0].date,
                    category="biggest_music_day",
                    title=first.title,
                    story=first.story,
                )
            ],
        )
    )
    first_sentence = first.story.split(". ")[0]
    assert first_sentence not in again.story and again.title != first.title


def test_unknown_day_is_an_input_error():
    with pytest.raises(InputError, match="not an interesting day"):
        compose(StoryRequest(user_year=gb_listener(), day="2024-02-02"))


def test_embedded_backend_says_who_wrote_it_and_from_which_phrase_bank():
    backend = EmbeddedBackend(make_settings())
    assert isinstance(backend, Backend) and not backend.reads_prompt
    req = request_for(us_listener(), 0)
    safe = sanitize_for_prompt(req.user_year).user_year
    # it reads no prompt (none is rendered for it): it writes from the sanitized year
    result = asyncio.run(backend.write(WriteJob(req, None, safe)))
    assert (result.backend, result.model) == ("embedded", "embedded-v1")
    assert result.usage == Usage() and result.draft == compose(req)
    assert (result.prompt_version, result.prompt_hash) == ("embedded", phrasebank_hash())
    assert len(phrasebank_hash()) == 16
    asyncio.run(backend.aclose())


def test_compose_writes_from_the_sanitized_year_it_is_handed():
    """The caller's sanitized year is what the writer reads (the generate stage keeps one per
    listener and hands it over): it is not filtered again from the raw year."""
    req = request_for(us_listener(), 0)
    data = req.user_year.model_dump()
    for row in data["top_artists"]:
        row["name"] = f"Quokka Parade {row['rank']}"
    handed = UserYear.model_validate(data)
    stories = [compose(req.model_copy(update={"seed": k}), sanitized=handed) for k in range(12)]
    raw = [compose(req.model_copy(update={"seed": k})) for k in range(12)]
    assert any("Quokka Parade" in d.story for d in stories)
    assert not any("Quokka Parade" in d.story for d in raw)


def test_make_backend_gives_the_embedded_writer_by_default():
    from wrapped.generate import make_backend

    backend = make_backend(make_settings())
    assert backend.name == "embedded" and isinstance(backend, EmbeddedBackend)
