"""Encoded payloads in a story: base64, hex and percent-encoded runs, and the words that ask
for them to be decoded and followed (read by `wrapped.safety.injection`, which screens what
they decode to)."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

#: a digit opening a hex run ("4d 61 6b 65"); with sixteen base64 characters in a row, what
#: may be a payload (`has_long_run`)
_HEX_RUN = re.compile(r"\d[0-9a-fA-F]?[\s:]?[0-9a-fA-F]{2}[\s:]?[0-9a-fA-F]{2}[\s:]?\d")
#: ASCII base64 characters to "a", the rest to " " (a `bytes.translate` table)
_B64_CLASS = bytes(
    ord("a") if chr(c).isalnum() or chr(c) in "+/" else ord(" ") for c in range(128)
) + bytes(range(128, 256))
#: a run of percent-encoded bytes ("%69%67%6E%6F%72%65"): decoded in place and read again
PCT_RUN = re.compile(r"(?:[\w.-]*%[0-9a-fA-F]{2}){2,}[\w.-]*")  # "%69%67%6E", "ignore%20all%20"
ENCODED_WORD = re.compile(
    r"\b(?:base\s?-?64|rot\s?-?13|rot\s?-?47|caesar|hex(?:adecimal)?|encoded|encrypted|cipher(?:ed)?|"
    r"ciphertext|obfuscated|scrambled|decode[sd]?|decoding|decrypt(?:ed)?|decipher(?:ed)?|"
    r"unscramble[sd]?|reverse\s+(?:it|this|the\s+text))\b",
)
OBEY_WORD = re.compile(
    r"\b(?:follow|obey|execute|run|carry\s+out|comply|do\s+(?:what|as)|act\s+on|apply|perform|"
    r"do\s+(?:exactly\s+|just\s+)?(?:that|it|this|so)|"
    r"then\s+do|implement|treat\s+it\s+as|instructions?|whatever\s+it\s+says)\b",
)
_B64_TOKEN = re.compile(r"(?<![\w+/])[A-Za-z0-9+/]{16,}={0,2}(?![\w+/])")
_HEX_TOKEN = re.compile(r"\b(?:[0-9a-fA-F]{2}[\s:]?){10,}\b")


def has_long_run(raw: str) -> bool:
    """Sixteen base64 characters in a row, or a hex run: the base64 half by a translation and a
    substring test, the hex half by its own pattern (which opens with a digit, so the regex
    engine skips to digits). One pattern for both tried sixteen characters at every letter."""
    data = raw.encode("ascii", "replace")  # "?" for what is not ASCII: no base64 character
    return b"a" * 16 in data.translate(_B64_CLASS) or _HEX_RUN.search(raw) is not None


def decoded_payloads(text: str) -> list[str]:
    """Base64 and hex runs in `text`, decoded where they decode to readable text."""
    out = []
    for m in _B64_TOKEN.finditer(text):
        tok = m.group(0)
        if tok.isalpha() and (tok.islower() or tok.isupper()):
            continue  # a long plain word, not a payload
        try:
            raw = base64.b64decode(tok + "=" * (-len(tok) % 4), validate=True)
            s = raw.decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        if s.isprintable() and sum(c.isalpha() or c == " " for c in s) >= 0.8 * len(s):
            out.append(s)
    for m in _HEX_TOKEN.finditer(text):
        digits = re.sub(r"[\s:]", "", m.group(0))
        try:
            s = bytes.fromhex(digits).decode("utf-8")
        except ValueError:
            continue
        if s.isprintable():
            out.append(s)
    return out


def percent_decoded(raw: str) -> str | None:
    """`raw` with its percent-encoded runs decoded (None: it holds none)."""
    if "%" not in raw or not PCT_RUN.search(raw):
        return None
    return PCT_RUN.sub(lambda m: unquote(m.group(0)), raw)
