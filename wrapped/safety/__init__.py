"""The safety policy both sides of the pipeline share: what a story may never touch.

The lexicon (`lexicon`: words, idioms and obfuscations of drugs, alcohol, sex, violence,
self-harm and hate, kept as data in `data/lexicon.json`) and the input-side screen (`screen`:
the listener's year with unsafe titles and names removed before any writer sees it). It sits
after `stats` and before `prompts` in the flow, so the prompts and the embedded writer use the
screen without reaching forward into the gate, and the gate's output-side checks use the same
lexicon.
"""

from __future__ import annotations

from wrapped.safety.screen import SanitizedYear, is_unsafe, normalize_name, sanitize_for_prompt

__all__ = ["SanitizedYear", "is_unsafe", "normalize_name", "sanitize_for_prompt"]
