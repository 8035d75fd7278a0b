"""Personal data in a story, in the formats of the listeners' countries.

What a story must never hold (`safety.pii`): e-mail addresses (also "name at host dot com"), IP
addresses (v4, v6, "10[.]0[.]0[.]1"), the listener's id or any pseudonymous id, exact timestamps,
phone numbers (international "+44 20 7946 0958", national "(555) 123-4567", "06 12 34 56 78",
"030 1234567", "090-1234-5678", "11 98765-4321", or any seven digits or more written as one
number), street addresses ("221B Baker Street", "Calle Mayor 5", "Rua Augusta, 120",
"Hauptstraße 12", "12 rue de la Paix", "3丁目2-1", post codes), full dates of birth (a date with
day, month and year next to "born"/"birthday"/"DOB", or any full date more than ten years
before the listening year), social handles, card, IBAN and social-security numbers.

Every pattern holds a digit or a marker ("@", "丁目") that the text is tested for first, so a
story without one costs a few string scans. The text is NFKC-normalized first when it is not
ASCII (full-width digits, styled letters).
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from typing import Any

from wrapped.safety.required import build_automaton, required_sets, spaced

# the regex parser, to read a gate's class of characters (`_class_of`); not typed
_sre: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_SPOKEN_RE = re.compile(
    r"\b[\w.+-]+\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+)\s*[\w-]+\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)"
    r"\s*(?:com|net|org|io|de|fr|es|co|uk|br|jp|mx|it|pt|nl|ca|au|me|info)\b",
    re.IGNORECASE,
)
IPV4_RE = re.compile(r"\b(?=\d)(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
IPV4_DEFANGED_RE = re.compile(
    r"\b\d{1,3}(?:\s*(?:\[\.\]|\(\.\)|\[dot\]|\(dot\)|\s+dot\s+)\s*\d{1,3}){3}\b"
)
IPV6_RE = re.compile(
    r"\b(?=[0-9a-fA-F])"
    r"(?:(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b|(?:[0-9a-fA-F]{1,4}:)+:[0-9a-fA-F:]*\b)"
)
UID_RE = re.compile(r"\bu_[0-9a-f]{8,}\b")
TIMESTAMP_RE = re.compile(
    r"\b(?=\d)(?:\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}|\d{1,2}:\d{2}:\d{2}\b|\d{10,13}\b)"
)
#: a run of digits with phone separators; kept when it holds 7+ digits and is no date or range
PHONE_RE = re.compile(r"(?<![\w,.])(?:\+|00)?\(?\d[\d\s().\-–/]{5,}\d(?!\w|[,.]\d)")
_PHONE_WORD = re.compile(
    r"\b(?:call|calls|calling|phone|tel|telephone|mobile|cell|ring|text|texts|whatsapp|"
    r"number|dial|hotline|fax|contact)\b",
    re.IGNORECASE,
)
_NOT_PHONE = re.compile(
    r"^(?:\d{4}\s*[-–/]\s*\d{2}\s*[-–/]\s*\d{2}|\d{1,2}\s*[-–/.]\s*\d{1,2}\s*[-–/.]\s*\d{2,4}|"
    r"\d{4}\s*[-–]\s*\d{2,4}|\d{1,2}:\d{2}.*)$"
)
_STREET_TYPES = (
    r"street|st|road|rd|avenue|ave|av|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|"
    r"terrace|close|crescent|square|sq|parkway|pkwy|highway|hwy|circle|row|mews|gardens|grove|"
    r"hill|walk|broadway"
)
_ROMANCE = (
    r"Calle|C/|Avenida|Avda\.?|Av\.|Rua|Travessa|Alameda|Pra[cç]a|Largo|Via|Viale|Piazza|Corso|"
    r"Carrer|Plaza|Paseo|Camino|Rue|Avenue|Boulevard|Chemin|All[ée]e|Quai|Impasse|Place"
)
_NUMBER_STREET = re.compile(
    rf"\b(?=\d)\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w'’.-]*\s+){{1,4}}(?i:{_STREET_TYPES})\b\.?"
)
_GERMAN_STREET = re.compile(
    r"\b(?=[A-ZÄÖÜ])[A-ZÄÖÜ][\wäöüß-]*(?:stra(?:ss|ß)e|str\.|weg|gasse|allee|platz|"
    r"ring|damm|ufer|chaussee)\s+\d{1,4}[a-z]?\b"
)
#: Nordic and Dutch (Götgatan 48, Storgata 5, Nørregade 12, Mannerheimintie 3, Keizersgracht
#: 12) and Korean road names (94 Wausan-ro, 12 Teheran-ro 7-gil)
_NORTH_EAST_STREET = re.compile(
    r"\b(?=[A-ZÅÄÖÆØ])[A-ZÅÄÖÆØ][\wåäöæøü-]*(?:gatan|gata|gaten|gade|vägen|vegen|veien|vej|"
    r"tie|katu|straat|gracht|laan|plein|kade)\s+\d{1,4}[a-zA-Z]?\b"
    r"|\b(?=\d)\d{1,4}(?:-\d{1,4})?,?\s+[A-Z][a-z]+-(?:ro|gil|daero)\b"
)
_NUMBER_RUE = re.compile(
    r"\b(?=\d)\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|"
    r"all[ée]e|chemin|impasse|quai|calle|rua|via)\s+\w+"
)
_JA_HE_STREET = re.compile(
    r"(?=[都道府県])[都道府県][^\s\d]{0,8}?[市区町村][^\s\d]{0,8}?\d+(?:\s*[-－]\s*\d+){1,2}"
    r"|(?=[רש])(?:רחוב|רח'|שדרות|שד')\s+[^\s\d,]+(?:\s+[^\s\d,]+)?\s+\d{1,4}\b"
)
#: (pattern, words one of which must be in the text for it to run; None: always)
ADDRESS_RES: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...] = (
    # 221B Baker Street, 1600 Pennsylvania Avenue NW
    (_NUMBER_STREET, None),
    # Calle Mayor 5, Rua Augusta, 120, Via Roma 12, Avenida da Liberdade 245
    (
        re.compile(
            rf"\b(?=[A-Z])(?:{_ROMANCE})\s+(?:(?:de|da|do|dos|das|des|du|la|le|del|della|di|"
            r"delle)\s+)*[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*){0,3},?\s*"
            r"(?:(?:n[º°o.]|nr\.?|no\.?)\s*)?\d{1,5}\b"
        ),
        frozenset(
            _ROMANCE.lower()
            .replace("\\.?", "")
            .replace("\\.", "")
            .replace("[cç]", "c")
            .replace("[ée]", "e")
            .replace("/", "")
            .split("|")
        ),
    ),
    # Hauptstraße 12, Lindenweg 3a
    (_GERMAN_STREET, None),
    (_NORTH_EAST_STREET, None),
    # 12 rue de la Paix, 5 avenue Foch
    (
        _NUMBER_RUE,
        frozenset(
            "rue avenue av boulevard bd place allée allee chemin impasse quai calle rua via".split()
        ),
    ),
    # apartment, P.O. box
    (
        re.compile(
            r"\b(?i:apt|apartment|flat|unit|suite|piso|andar|wohnung)\.?\s*#?\s*\d{1,4}"
            r"[A-Za-z]?\b|\b(?i:p\.?\s?o\.?\s+box|postfach|apartado(?:\s+de\s+correos)?|caixa\s+"
            r"postal|bo[iî]te\s+postale|casella\s+postale)\s+\d+"
        ),
        frozenset(
            "apt apartment flat unit suite piso andar wohnung box postfach apartado caixa boite "
            "boîte casella".split()
        ),
    ),
    # India: "Sector 62", "Block C", "Plot 7", "H.No. 12"; a city and its six-digit PIN
    (
        re.compile(
            r"\b(?i:sector|block|plot|h\.?\s?no\.?|house\s+no\.?)\s*[-#]?\s*\d{1,4}[A-Za-z]?\b"
            r"|\b[A-Z][a-z]+,?\s+[1-9]\d{5}\b"
        ),
        frozenset("sector block plot no".split()),
    ),
    # Japanese prefecture, city or ward and block numbers; a Hebrew street and number
    (_JA_HE_STREET, None),
    # Japan
    (
        re.compile(r"〒\s*\d{3}-?\d{4}|\d+\s*丁目\s*\d+(?:\s*番地?\s*\d*|\s*-\s*\d+)"),
        frozenset(["丁目", "〒"]),
    ),
)
#: post codes: no street word needed
POSTCODE_RE = re.compile(
    r"\b(?=[A-Z])(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"  # UK
    r"|\b(?:[A-Z]{2})\s\d{5}(?:-\d{4})?\b"  # US state + ZIP
    r"|(?<=\D)\d{5}-\d{3}\b"  # Brazil CEP
    r"|\b\d{5}\s+(?:[A-ZÄÖÜ][a-zäöüß]+)(?:\s+am\s+Main)?\b(?=[,.\n]|\s+(?:Germany|Deutschland|"
    r"France|Spain|España|Italy|Italia)))"
)
_WORDS = re.compile(r"[^\W\d_]+")
#: ASCII other than letters to a space: an ASCII text's `_WORDS` are then its split
_LETTERS_ONLY = bytes(c if chr(c).isalpha() or c > 127 else ord(" ") for c in range(256))
_MONTH_WORDS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|"
    r"aug(?:ust|\.)?|sep(?:t(?:ember)?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
    r"diciembre|janeiro|fevereiro|mar[cç]o|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"januar|februar|m[äa]rz|juni|juli|oktober|dezember|janvier|f[ée]vrier|mars|avril|mai|juin|"
    r"juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|gennaio|febbraio|aprile|maggio|"
    r"giugno|luglio|settembre|ottobre|dicembre"
)
FULL_DATE_RE = re.compile(
    rf"(?i:\b\d{{1,2}}(?:st|nd|rd|th|º|er)?\.?\s+(?:of\s+|de\s+)?(?:{_MONTH_WORDS})\.?,?\s+"
    rf"(?:de\s+)?((?:19|20)\d{{2}})\b"
    rf"|\b(?:{_MONTH_WORDS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\b"
    r"|\b\d{1,2}[/.\-]\d{1,2}[/.\-]((?:19|20)\d{2})\b|\b((?:19|20)\d{2})[/.\-]\d{1,2}[/.\-]\d{1,2}\b)"
    r"|((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
)
_BIRTH_WORD = re.compile(
    r"\b(?:born|birth|birthday|bday|b-day|dob|d\.o\.b|nacid[oa]|nascid[oa]|geboren|"
    r"n[ée]e?|nato|nata|cumpleaños|aniversário|geburtstag|anniversaire|compleanno)\b|生年月日|生まれ",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
HANDLE_RE = re.compile(r"(?<![\w@])@[A-Za-z_][\w.]{2,29}\b")
SSN_RE = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
#: 13 to 19 digits in groups, kept when the Luhn check (every card number's) holds
CARD_RE = re.compile(r"\b(?=\d)(?:\d{4}[\s-]?){3}\d{1,7}\b")
IBAN_RE = re.compile(r"\b(?=[A-Z]{2}\d)[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b")

#: patterns that can only match where a digit starts a word (they open with `\b(?=\d)` or
#: `\b\d`), or at one of the given characters: tried there alone, the text's digit runs found
#: once for all of them. A phone number opens with a digit that no word character precedes,
#: "+" or "(".
_AT_DIGITS: dict[re.Pattern[str], str] = {
    rx: "" for rx in (IPV4_RE, TIMESTAMP_RE, SSN_RE, CARD_RE, _NUMBER_STREET, _NUMBER_RUE)
} | {PHONE_RE: "+("}
#: a digit that opens a word (`\b\d`), written digit first so the regex engine skips to digits
#: in C (a pattern opening with `\b` is tried at every position)
_DIGIT_START = re.compile(r"\d(?<!\w\d)")
#: pattern -> a quick one (a literal or a class first) that finds a part of every match of it:
#: a text where the quick one finds nothing is not scanned with the slow one
_GATES: dict[re.Pattern[str], re.Pattern[str]] = {
    # an octet, a dot, an octet (a class first: the regex engine skips to digits in C)
    IPV4_RE: re.compile(r"\d\.\d"),
    IBAN_RE: re.compile(r"[A-Z]{2}\d"),
    # h:h:h (three groups or more) or h::, both a colon, up to four hex digits and a colon (a
    # literal first: the regex engine finds colons in C)
    IPV6_RE: re.compile(r":[0-9a-fA-F]{0,4}:"),
    # the house number's last digit, a space and the street name's capital
    _NUMBER_STREET: re.compile(r"\d[A-Za-z]?,?\s+[A-Z]"),
    # UK "SW1A 1AA", US "NY 10001"; its other branches would need a digit where `(?=[A-Z])` is
    POSTCODE_RE: re.compile(r"[A-Z]\s?\d"),
    _GERMAN_STREET: re.compile(
        r"(?:stra(?:ss|ß)e|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee)\s+\d"
    ),
    _JA_HE_STREET: re.compile(r"[都道府県רש]"),
    _NORTH_EAST_STREET: re.compile(
        r"(?:gatan|gata|gaten|gade|vägen|vegen|veien|vej|tie|katu|straat|gracht|laan|plein|kade)"
        r"\s+\d|-(?:ro|gil|daero)\b"
    ),
}


#: pattern -> sets of strings every match of it holds one of each, read from the pattern itself
#: (`wrapped.safety.required`), for the patterns whose gate is a slow scan of the whole text and
#: whose strings are rare in a story (street suffixes): a text lacking them is not scanned
_REQUIRED: dict[re.Pattern[str], tuple[frozenset[str], ...]] = {
    rx: required_sets(rx.pattern, rx.flags) for rx in (_GERMAN_STREET, _NORTH_EAST_STREET)
}


#: all of `_REQUIRED`'s strings, found in a text by one Aho-Corasick pass (not a substring
#: scan of the text per string: 28 of them)
_REQUIRED_STRINGS = build_automaton(
    (s, s) for s in sorted({s for sets in _REQUIRED.values() for n in sets for s in n})
)


def _class_of(gate: re.Pattern[str]) -> frozenset[str] | None:
    """The characters of a gate that is one class of literal characters, else None (also when
    it ignores case: a class of other scripts' letters may then match an ASCII one)."""
    parsed = _sre.parse(gate.pattern, gate.flags)
    if gate.flags & re.IGNORECASE or len(parsed) != 1 or parsed[0][0] is not _c.IN:
        return None
    items = parsed[0][1]
    return frozenset(chr(av) for _, av in items) if all(o is _c.LITERAL for o, _ in items) else None


#: the patterns whose gate is a class of characters none of which is ASCII (Japanese and Hebrew
#: streets): an ASCII text, as most stories are, holds no match of them and is not searched
_NOT_IN_ASCII = frozenset(
    rx for rx, gate in _GATES.items() if (cls := _class_of(gate)) and not any(map(str.isascii, cls))
)


class _Text:
    """One text as the patterns read it: its digit runs found once (see `_AT_DIGITS`), and the
    strings of `_REQUIRED` it holds, with its white space made single spaces (`spaced`)."""

    __slots__ = ("text", "_starts", "_held", "_ascii")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._held: set[str] | None = None
        self._ascii = text.isascii()

    def spans(self, rx: re.Pattern[str]) -> list[str]:
        """`[m.group(0) for m in rx.finditer(text)]`, skipping where no match can be."""
        return [m.group(0) for m in self.matches(rx)]

    def matches(self, rx: re.Pattern[str]) -> list[re.Match[str]]:
        """`list(rx.finditer(text))`, skipping where no match can be."""
        text = self.text
        if self._ascii and rx in _NOT_IN_ASCII:
            return []
        sets = _REQUIRED.get(rx)
        if sets:
            if self._held is None:
                self._held = {s for _, s in _REQUIRED_STRINGS.iter(spaced(text))}
            held = self._held
            if not all(not held.isdisjoint(need) for need in sets):
                return []
        gate = _GATES.get(rx)
        if gate is not None and gate.search(text) is None:
            return []
        also = _AT_DIGITS.get(rx)
        if also is None:
            return list(rx.finditer(text))
        if self._starts is None:
            self._starts = [m.start() for m in _DIGIT_START.finditer(text)]
        starts = self._starts
        for c in also:
            at = text.find(c)
            if at >= 0:
                starts = list(starts)
                while at >= 0:
                    starts.append(at)
                    at = text.find(c, at + 1)
                starts.sort()
        out = []
        end = 0
        for p in starts:
            if p >= end and (m := rx.match(text, p)) is not None:
                out.append(m)
                end = m.end()
        return out


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _cards(text: _Text) -> list[str]:
    out = []
    for span in text.spans(CARD_RE):
        digits = re.sub(r"\D", "", span)
        if 13 <= len(digits) <= 19 and _luhn(digits):
            out.append(span)
    return out


def _phones(read: _Text) -> list[str]:
    text = read.text
    out = []
    for m in read.matches(PHONE_RE):
        cand = m.group(0).strip(" ().-–/")
        digits = sum(c.isdigit() for c in cand)
        if digits < 7 or digits > 15 or _NOT_PHONE.match(cand):
            continue
        if "(" in cand and ")" not in cand[cand.index("(") :]:
            continue  # "your top track of 2024 (322 minutes": an aside opens, no area code
        seps = len(re.findall(r"[\s().\-–/]+", cand))
        lead = m.group(0).lstrip()[:1] in "+(" or cand.startswith("00")
        near = _PHONE_WORD.search(text, max(0, m.start() - 40), m.start())
        if lead or near or seps >= 2 or (seps == 0 and digits >= 7):
            out.append(cand)
        elif seps == 1 and digits >= 7:
            out.append(cand)
    return out


def _dates_of_birth(text: str, year: int) -> list[str]:
    """Full dates (day, month, year) that are a birth date: near a birth word, or more than
    ten years before the listening year. Read around each year only (the full-date pattern
    is slow over a whole story)."""
    out = []
    for y in _YEAR.finditer(text):
        lo = max(0, y.start() - 32)
        for m in FULL_DATE_RE.finditer(text, lo, min(len(text), y.end() + 24)):
            yv = int(next(g for g in m.groups() if g))
            near = _BIRTH_WORD.search(text, max(0, m.start() - 60), min(len(text), m.end() + 30))
            if near or yv <= year - 10:
                out.append(m.group(0))
    return list(dict.fromkeys(out))


def find_pii(text: str, masked: str, *, user_id: str, year: int) -> list[str]:
    """Every piece of personal data in `text` as "what: 'span'" (`masked`: the same text with
    the listener's known names blanked, so "1 Abbey Road" the album is no address)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        masked = unicodedata.normalize("NFKC", masked)
    has_digit = _DIGIT.search(text) is not None
    read = _Text(text)
    read_masked = read if masked == text else _Text(masked)
    found: list[str] = []
    checks: list[tuple[re.Pattern[str], str, str]] = [
        (EMAIL_RE, "e-mail address", "@"),
        (HANDLE_RE, "social handle", "@"),
    ]
    if has_digit:
        checks += [
            (IPV4_RE, "IP address", "."),
            (IPV6_RE, "IP address", ":"),
            (UID_RE, "user id", "u_"),
            (TIMESTAMP_RE, "exact timestamp", ""),
            (SSN_RE, "id number", "-"),
            (IBAN_RE, "bank account", ""),
        ]
    for rx, what, needs in checks:
        if needs and needs not in text:
            continue
        found += [f"{what}: '{span}'" for span in read.spans(rx)]
    low = text.lower()
    if (" at " in low and "dot" in low) or "[at]" in low or "(at)" in low or "{at}" in low:
        found += [f"e-mail address: '{m.group(0)}'" for m in EMAIL_SPOKEN_RE.finditer(text)]
    if has_digit:
        if "dot" in low or "[.]" in text or "(.)" in text:
            found += [f"IP address: '{m.group(0)}'" for m in IPV4_DEFANGED_RE.finditer(text)]
        found += [f"phone number: '{p}'" for p in _phones(read)]
        found += [f"card number: '{c}'" for c in _cards(read)]
        low_masked = masked.lower()
        if low_masked.isascii():  # the same words, by a translation and a split (4x)
            words = set(low_masked.encode("ascii").translate(_LETTERS_ONLY).decode().split())
        else:
            words = set(_WORDS.findall(low_masked))
        if "丁目" in masked or "〒" in masked:
            words.update(("丁目", "〒"))
        for address_rx, need_words in ADDRESS_RES:
            if need_words is None or not need_words.isdisjoint(words):
                found += [f"street address: '{x}'" for x in read_masked.spans(address_rx)]
        found += [f"post code: '{x}'" for x in read_masked.spans(POSTCODE_RE)]
        if _YEAR.search(text):
            found += [f"date of birth: '{d}'" for d in _dates_of_birth(text, year)]
    if user_id and user_id in text:
        found.append("the listener's id")
    return list(dict.fromkeys(found))
