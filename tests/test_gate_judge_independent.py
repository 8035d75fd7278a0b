"""The scripted judge is not the gate's lexicon in disguise.

It stands in for an LLM judge in tests: if it reused `wrapped.safety.lexicon` (as it once
did), a judge test could never fail where the lexicon fails. These tests show it reads text
by its own method: sentences the lexicon flags that the judge does not, and the reverse.
"""

from __future__ import annotations

import ast
from pathlib import Path

import wrapped.testing.scripted_judge as sj
from wrapped.safety.lexicon import lexicon


def _lexicon_flags(text: str) -> bool:
    lex = lexicon()
    return bool(lex.unsafe.find(text) or lex.shaming.find(text) or lex.sensitive.find(text))


def test_it_imports_nothing_from_the_gate_or_the_safety_policy() -> None:
    tree = ast.parse(Path(sj.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    assert not {m for m in imported if m.startswith(("wrapped.safety", "wrapped.gate"))}


def test_the_lexicon_catches_what_the_judge_does_not() -> None:
    # spaced-out letters and a listed term the judge's cues do not hold
    for text in ("Your w.h.i.s.k.e.y evenings were legendary.", "A real cannabis haze of a week."):
        assert _lexicon_flags(text)
        assert sj._lex_hits(text) == []


def test_the_judge_catches_what_the_lexicon_does_not() -> None:
    # tone carried by stems and jeering punctuation, no listed term
    for text in ("You, friendless again?! Seriously? lol", "Sad, obsessive, worrying loops."):
        assert not _lexicon_flags(text)
        assert sj._lex_hits(text)


def test_pii_shapes_are_its_own() -> None:
    assert sj._pii("write to a.b@example.org") and not sj._pii("Calle Mayor 15")
