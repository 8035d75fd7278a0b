"""What the scripted server answers to judge requests: a deterministic heuristic judge.

It recognises the panel judge's prompt (`judge.j2`: a `<listener_data>` block, a `<draft>` block
and a request for "scores"), deepeval's prompts (G-Eval results, toxicity/bias opinions and
verdicts, PII extraction/verdicts, reasons) and the gate's own rubric tags (`[rubric:NAME]` in
the evaluation steps, see `wrapped.gate.judge`), and answers in the JSON shape each prompt asks
for (panel criteria map onto the rubrics: grounding = faithfulness, freshness = repetition):

* tone — shaming, sensitive-inference or unsafe words, shouting, no second person lower it;
* faithfulness — names in quotes that the data block does not hold lower it;
* repetition — 5-word overlap with any previous story in the prompt (containment >= 0.25 fails);
* locale — US spellings in an en-GB story or British ones in an en-US story fail;
* format — 40-160 words and a title of at most 80 characters;
* safety / toxicity / bias / PII — its own small cue list and PII shapes (`_CUES`, `_PII_SHAPES`),
  deliberately not the gate's lexicon or patterns, so a judge test can fail where the gate fails.

Garbage (for "unscored" tests): `set_mode("garbage")` in-process, or the environment variable
`WRAPPED_SCRIPTED_JUDGE=garbage` for a server in another process, or the token `JUDGE-GARBAGE`
anywhere in the judged text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from wrapped.testing.spellings import GB_WORDS, US_WORDS

_MODE = {"mode": "normal"}
GARBAGE_TOKEN = "JUDGE-GARBAGE"


def set_mode(mode: str) -> None:
    """'normal' or 'garbage' (every judge reply unparsable) for servers in this process."""
    _MODE["mode"] = mode


def _garbage(text: str) -> bool:
    return (
        _MODE["mode"] == "garbage"
        or os.environ.get("WRAPPED_SCRIPTED_JUDGE", "") == "garbage"
        or GARBAGE_TOKEN in text
    )


def _between(text: str, a: str, b: str) -> str:
    i = text.find(a)
    if i < 0:
        return ""
    j = text.find(b, i + len(a))
    return text[i + len(a) : j if j >= 0 else len(text)]


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    # cached: a story's words serve three rubrics, and a listener's stories return as the
    # "previous stories" of each later day
    return tuple(re.findall(r"[a-z0-9']+", text.lower()))


@lru_cache(maxsize=4096)
def _shingles(text: str, n: int = 5) -> frozenset[tuple[str, ...]]:
    w = _words(text)
    # zip of n shifted views: the same n-word tuples as slicing at every i, built in C
    return frozenset(zip(*(w[i:] for i in range(n)), strict=False))  # views end unequal


_QUOTED = re.compile(r"[“\"‘][^”\"’]{1,80}[”\"’]")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’&-]*")


#: the judge's own cues, NOT the gate's lexicon (a judge test must be able to fail where the
#: lexicon fails): word *stems* matched at the start of a word of the prose, each with a weight;
#: a story scoring 2 or more is unsafe or unkind. Small on purpose: a heuristic stand-in for an
#: LLM judge's reading, not a second lexicon.
_CUES: dict[str, int] = {
    # themes the product keeps out (weight 2: one is enough)
    "cocain": 2, "heroin": 2, "meth": 2, "weed": 2, "stoned": 2, "overdos": 2, "vodka": 2,
    "whisk": 2, "tequil": 2, "booz": 2, "drunk": 2, "hungover": 2, "sexy": 2, "porn": 2,
    "nude": 2, "horny": 2, "murder": 2, "stab": 2, "gunshot": 2, "suicid": 2, "nazi": 2,
    "fuck": 2, "shit": 2, "bitch": 2, "knife": 2, "bullet": 2, "pills": 2, "one-night": 2,
    # unkind or prying tone (weight 1: two are needed, or one with a jeer)
    "sad": 1, "pathetic": 2, "loser": 2, "cringe": 2, "embarrass": 2, "lonely": 1,
    "friendless": 2, "depress": 2, "therap": 2, "breakup": 2, "religio": 2, "guilty": 2,
    "shame": 2, "grass": 1, "outside": 1, "worry": 1, "tragic": 1, "obsess": 1,
}  # fmt: skip
_JEERS = re.compile(r"\?!|!\?|\blol\b|\blmao\b|\byikes\b|\bsmh\b|\bseriously\?", re.IGNORECASE)
_WORD_STARTS = re.compile(r"(?<![a-z])[a-z][a-z-]*")
#: the stems as one alternation, tried in `_CUES`'s order: `match` on a word finds the stem the
#: loop over `_CUES` with `startswith` would (one regex call a word instead of ~50 calls)
_STEMS = re.compile("|".join(map(re.escape, _CUES)))


#: what every jeer holds, in an ASCII text (`_JEERS` ignores case: a lowered ASCII text holds
#: one of these wherever `_JEERS` matches; outside ASCII, case folding has more equivalences)
_JEER_MARKS = ("?", "lol", "lmao", "yikes", "smh")


def _jeers(text: str) -> int:
    """How many matches `_JEERS` has in `text`. Most stories hold none, and `_JEERS` (seven
    case-blind branches tried at every character) was 40% of `_lex_hits`; an ASCII text with
    none of `_JEER_MARKS` has no match, so it is not scanned."""
    if text.isascii():
        low = text.lower()
        if not any(mark in low for mark in _JEER_MARKS):
            return 0
    return len(_JEERS.findall(text))


def _lex_hits(text: str) -> list[str]:
    """The judge's reading of tone and themes (see `_CUES`): only the writer's own prose counts
    ("Lonely Planet" the track is a name; "you seem lonely" is not), so quoted and capitalised
    titles and names are left out first. Independent of `wrapped.safety` by design."""
    prose = _CAPITALISED.sub(" ", _QUOTED.sub(" ", text)).lower()
    hits: list[str] = []
    score = 0
    for word in _WORD_STARTS.findall(prose):
        m = _STEMS.match(word)
        if m is not None:
            stem = m.group()
            hits.append(f"cue: {stem}")
            score += _CUES[stem]
    jeers = _jeers(text)
    score += jeers
    if jeers:
        hits.append("cue: jeering punctuation")
    return hits if score >= 2 else []


#: the tags around a rubric prompt's parts; a part without them reads back as itself (no tag
#: can start inside a part and end in the next tag: every tag starts "<<" + a letter or "/")
_MARKERS = tuple(
    f"<<{close}{name}>>"
    for name in ("STORY", "TITLE", "PREVIOUS", "LOCALE", "DATA")
    for close in ("", "/")
)


def _has_marker(text: str) -> bool:
    """Whether `text` holds one of `_MARKERS` (each starts "<<", which a data block, escaping
    every "<", never holds: one scan of the ~15 KB block instead of ten)."""
    return "<<" in text and any(m in text for m in _MARKERS)


class _Case(NamedTuple):
    """The parts of a rubric prompt (`<<STORY>>...<</STORY>>` and the like) a rubric reads."""

    story: str
    title: str
    previous: str
    locale: str
    data: str

    @classmethod
    def parse(cls, prompt: str) -> _Case:
        return cls(
            story=_between(prompt, "<<STORY>>", "<</STORY>>") or prompt,
            title=_between(prompt, "<<TITLE>>", "<</TITLE>>"),
            previous=_between(prompt, "<<PREVIOUS>>", "<</PREVIOUS>>"),
            locale=_between(prompt, "<<LOCALE>>", "<</LOCALE>>"),
            data=_between(prompt, "<<DATA>>", "<</DATA>>"),
        )


def _score(rubric: str, prompt: str, hits: list[str] | None = None) -> tuple[int, str]:
    return _score_case(rubric, _Case.parse(prompt), hits)


def _score_case(rubric: str, case: _Case, hits: list[str] | None = None) -> tuple[int, str]:
    """(score 0..10, reason) of one G-Eval rubric, by a heuristic per rubric."""
    if rubric in ("tone", "safety"):
        return _tone_or_safety(rubric, case, hits)
    scorer = _RUBRICS.get(rubric)
    return scorer(case) if scorer else (7, "no specific rubric; looks fine")


def _repetition(case: _Case) -> tuple[int, str]:
    story = case.story
    mine = _shingles(story)
    worst = 0.0
    for other in case.previous.split("<<NEXT>>"):
        if mine and other.strip():
            worst = max(worst, len(mine & _shingles(other)) / len(mine))
    if worst >= 0.25:
        return 1, f"{worst:.0%} of the story's phrases repeat a previous story"
    sentences = [x.strip().lower() for x in re.split(r"(?<=[.!?])\s+", story) if len(x.split()) > 3]
    if len(sentences) != len(set(sentences)):
        return 2, "the story repeats its own sentences"
    return 9, "fresh: no phrasing reused from previous stories"


def _locale(case: _Case) -> tuple[int, str]:
    locale = case.locale.strip() or "en-GB"
    words = set(_words(case.story + " " + case.title))
    wrong = sorted(
        words & (US_WORDS if locale == "en-GB" else GB_WORDS if locale == "en-US" else set())
    )
    if wrong:
        return 2, f"spellings not for {locale}: {', '.join(wrong)}"
    return 9, f"spelling fits {locale}"


def _format(case: _Case) -> tuple[int, str]:
    n, title = len(_words(case.story)), case.title
    if not 40 <= n <= 160 or len(title) > 80:
        return 2, f"{n} words, title {len(title)} characters (want 40-160 words, title <= 80)"
    return 9, f"{n} words, title fits"


def _tone_or_safety(rubric: str, case: _Case, hits: list[str] | None) -> tuple[int, str]:
    story = case.story
    if hits is None:
        hits = _lex_hits(story + " " + case.title)
    shouting = story.count("!") > 3 or bool(re.search(r"\b[A-Z]{5,}\b", story))
    if hits:
        return 1, f"tone/safety problems: {'; '.join(hits[:3])}"
    if rubric == "tone" and (shouting or not re.search(r"\byou(r)?\b", story, re.I)):
        return 4, "shouty or not addressed to the listener"
    return 8, "warm, witty and addressed to the listener"


def _faithfulness(case: _Case) -> tuple[int, str]:
    data = case.data.lower()
    quoted = re.findall(r"[“\"]([^”\"]{2,60})[”\"]", case.story)
    missing = [q for q in quoted if q.lower() not in data]
    if missing:
        return 2, f"names not in the data: {', '.join(missing[:3])}"
    return 9, "every named item appears in the data"


#: rubric -> its heuristic (tone and safety share one, see `_score_case`)
_RUBRICS: dict[str, Callable[[_Case], tuple[int, str]]] = {
    "repetition": _repetition,
    "locale": _locale,
    "format": _format,
    "faithfulness": _faithfulness,
}


def _opinions(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _list_block(prompt: str, head: str) -> list[str]:
    block = prompt.rsplit(head, 1)[-1].rsplit("JSON:", 1)[0].strip()
    try:
        value = json.loads(block)
        return [str(x) for x in value] if isinstance(value, list) else [block]
    except ValueError:
        try:
            import ast

            value = ast.literal_eval(block)
            return [str(x) for x in value] if isinstance(value, list) else [block]
        except (ValueError, SyntaxError):
            return [block]


def judge_reply(messages: list[dict], data: dict | None = None) -> str:
    """The JSON text a heuristic judge returns for `messages` (the last user message is read).

    `data` is the prompt's listener data block when the caller already parsed it."""
    prompt = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") != "system")
    if _garbage(prompt):
        return "I think it's pretty good overall?? {score: maybe"
    system = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "system")
    if "<draft>" in prompt and '"scores"' in system + prompt:
        return _panel(prompt, data)
    head = prompt[:400].lower()
    rubric = re.search(r"\[rubric:(\w+)\]", prompt)
    if rubric and "evaluation steps" in prompt.lower() and '"score"' in prompt:
        score, reason = _score(rubric.group(1), prompt)
        return json.dumps({"reason": reason, "score": score})
    if rubric and '"steps"' in prompt:
        return json.dumps({"steps": [f"Judge the {rubric.group(1)} of the story."]})
    return _metric_reply(prompt, head)


def _metric_reply(prompt: str, head: str) -> str:
    """Replies to deepeval's safety metrics' prompts (opinions and their toxicity or bias, PII
    statements and their verdicts), to a request for a reason, or a neutral score."""
    if "generate a list of opinions" in head:
        text = prompt.rsplit("Text:", 1)[-1].rsplit("JSON:", 1)[0]
        return json.dumps({"opinions": _opinions(text)})
    if "whether each opinion is" in head or ("opinions:" in prompt.lower() and "verdict" in head):
        return _opinion_verdicts(prompt, toxic="toxic" in head)
    if "extract all factual statements" in head:
        text = prompt.split("Text:", 1)[-1]
        return json.dumps({"extracted_pii": _pii(text)})
    if "based on these extracted pii statements" in head:
        return _pii_verdicts(prompt)
    if '"reason"' in prompt:
        return json.dumps({"reason": "The score reflects the verdicts above."})
    return json.dumps({"reason": "unrecognised judge prompt", "score": 5})


#: lexicon categories that make an opinion biased (the others make it toxic)
_BIAS_TOPICS = ("health", "religion", "sexuality", "politics")


def _opinion_verdicts(prompt: str, toxic: bool) -> str:
    """A verdict per opinion: "yes" (toxic, or biased) when the lexicon finds such a hit."""
    out = []
    for op in _list_block(prompt, "Opinions:"):
        hits = _lex_hits(op)
        bad = (
            [h for h in hits if not h.startswith(_BIAS_TOPICS)]
            if toxic
            else [h for h in hits if h.startswith(_BIAS_TOPICS)]
        )
        out.append({"verdict": "yes", "reason": "; ".join(bad)} if bad else {"verdict": "no"})
    return json.dumps({"verdicts": out})


def _pii_verdicts(prompt: str) -> str:
    """A verdict per extracted statement: "yes" when it holds personal data."""
    items = _list_block(prompt.split("For each extracted", 1)[0], "statements:")
    return json.dumps(
        {
            "verdicts": [
                {
                    "verdict": "yes" if _pii(x) else "no",
                    "reason": "personal data" if _pii(x) else "not personal",
                }
                for x in items
                if x and x != "[]"
            ]
        }
    )


#: panel criterion -> the rubric heuristic that scores it
_PANEL_RUBRIC = {
    "grounding": "faithfulness",
    "tone": "tone",
    "safety": "safety",
    "freshness": "repetition",
    "locale": "locale",
    "format": "format",
}


def _panel(prompt: str, data: dict | None = None) -> str:
    """Score judge.j2's criteria with the rubric heuristics (0..10 -> 0..1)."""
    from wrapped.prompts.datablock import OPEN, extract_data_block

    if data is None:
        data = extract_data_block(prompt)
    draft = json.loads(_between(prompt, "<draft>\n", "\n</draft>"))
    prev = "<<NEXT>>".join(p.get("story", "") for p in data.get("previous_stories", []))
    locale = data.get("request", {}).get("locale", "")
    # the block's own text stands in for the data (names are what the faithfulness rubric
    # looks for; the JSON escapes only '<', which no quoted name contains)
    block = _between(prompt, OPEN, "\n<draft>")
    title, story = draft.get("title", ""), draft.get("story", "")
    parts = _Case(story=story, title=title, previous=prev, locale=locale, data=block)
    if not story or any(not isinstance(x, str) or _has_marker(x) for x in parts):
        # the rubrics read these parts out of a rubric prompt's text; an empty story, a part
        # that is not text or that holds a marker would not read back as itself, so score
        # that text, exactly as a rubric prompt is scored
        parts = _Case.parse(
            f"<<LOCALE>>{locale}<</LOCALE>>\n<<DATA>>{block}"
            f"<</DATA>>\n<<PREVIOUS>>{prev}<</PREVIOUS>>\n"
            f"<<TITLE>>{title}<</TITLE>>\n<<STORY>>{story}<</STORY>>"
        )
    scores: dict[str, float] = {}
    reasons: dict[str, str] = {}
    hits = _lex_hits(f"{draft.get('story', '')} {draft.get('title', '')}")
    for name, rubric in _PANEL_RUBRIC.items():
        score, reason = _score_case(rubric, parts, hits)
        scores[name] = score / 10
        if score < 10:
            reasons[name] = reason
    return json.dumps({"scores": scores, "reasons": reasons})


_PII_SHAPES = (
    re.compile(r"\S+@\S+\.[a-z]{2,}", re.IGNORECASE),  # e-mail
    re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"),  # IPv4
    re.compile(r"\bu_[0-9a-f]{6,}\b"),  # a pseudonymous id
    re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d"),  # a timestamp
    re.compile(r"\+\d[\d ()-]{8,}\d"),  # an international phone number
)


def _pii(text: str) -> list[str]:
    """Personal data by its shape: the judge's own few patterns, not the gate's (`gate.pii`)."""
    found: list[str] = []
    for rx in _PII_SHAPES:
        found += rx.findall(text)
    return [str(x) for x in found]
