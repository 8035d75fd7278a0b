"""Unsafe *forms*, not just words: the shapes a defect takes when no listed term is in it.

The lexicon (`wrapped.safety.lexicon`) finds words; these patterns find the forms that carry the
same harm in words nobody listed:

* **injection** — an imperative aimed at the model: a verb of dismissal (ignore, disregard,
  forget, override, bypass ...) with its object (rules, instructions, guidelines, prompt ...); a
  verb of disclosure (reveal, print, show, leak ...) with what is hidden (system message, hidden
  instructions, secrets ...); role prefixes ("SYSTEM:", "Assistant,", "New instruction:"); the
  same in Spanish, Portuguese, German, French, Italian and Japanese; and an encoded payload (base64,
  rot13, hex) with a request to decode and follow it — decoded payloads are screened too.
* **shaming** — rhetorical questions about the listener's social life or worth, judging
  adjectives on the listener's habits ("sad little habit", "pathetic streak"), "touch grass" and
  its variants (go outside, see the sun, get out more).
* **idioms** of violence, sex and drugs ("a knife to the ribs", "steamier than a one-night
  stand", "pills at a rave") — in `lexicon.json`'s `idioms` table, plus the forms below that
  take a weapon or a wound as a figure of speech.
* **sensitive inference** — the story telling the listener what they feel or are going through
  ("you must have been going through something", "sounds like a breakup").

One module per family (`injection`, `shaming`, `idioms`, `inference`, over the trigger stems
of `stems`); this module is what the output-side checks import. Each function takes the
*folded* text (`lexicon.fold` plus confusables, lower case) and returns the matched spans, so a
reviewer sees what fired. Every pattern runs only with the branches whose required strings,
read from the pattern itself, the text holds (`required`: one Aho-Corasick pass per text for
all of them; most stories hold none), each branch tried only where it can start
(`alternation`).
"""

from __future__ import annotations

from wrapped.safety.idioms import idioms
from wrapped.safety.inference import sensitive
from wrapped.safety.injection import injection
from wrapped.safety.shaming import shaming
from wrapped.safety.stems import keys_of

__all__ = ["idioms", "injection", "keys_of", "sensitive", "shaming"]
