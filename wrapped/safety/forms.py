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

Each function takes the *folded* text (`lexicon.fold` plus confusables, lower case) and returns
the matched spans, so a reviewer sees what fired. Patterns are compiled once; every one opens
with a literal so the regex engine skips most positions at once (the gate checks ~1,000
stories per second per core).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

_W = r"(?:\s+[\w'’-]+){0,5}?\s+"
_INJ_STEMS = (
    "repeat",
    "print",
    "output",
    "show",
    "reveal",
    "echo",
    "begin your",
    "start your",
    "sudo",
    "admin",
    "override",
    "your new",
    "your real",
    "your actual",
    "your true",
    "ignor",
    "disregard",
    "forget",
    "overrid",
    "bypass",
    "circumvent",
    "abandon",
    "discard",
    "aside",
    "throw out",
    "scrap",
    "suspend",
    "disabl",
    "turn off",
    "follow",
    "attention",
    "reveal",
    "system",
    "instruc",
    "prompt",
    "secrets",
    "password",
    "api key",
    "credential",
    "config",
    "you are now",
    "from now on",
    "act as",
    "pretend",
    "jailbreak",
    "dan mode",
    "developer",
    "god mode",
    "anything now",
    "only with",
    "instead,",
    "instead write",
    "instead say",
    "instead output",
    "instead print",
    "rather write",
    "rather say",
    "olvid",
    "esque",
    "oubli",
    "vergiss",
    "vergessen",
    "dimentic",
    "desconsider",
    "descarta",
    "nao siga",
    "revel",
    "muestra",
    "mostra",
    "zeig",
    "verrat",
    "affich",
    "rivela",
    "imprim",
    "mensaje",
    "mensagem",
    "message",
    "messaggio",
    "nachricht",
    "anweisung",
    "regeln",
    "richtlinien",
    "istruzion",
    "regole",
    "reglas",
    "regras",
    "consignes",
    "regles",
    "directri",
    "diretriz",
    "new task",
    "new rules",
    "new directive",
    "new orders",
    "neue anw",
    "nueva instr",
    "nuevas instr",
    "nova instr",
    "novas instr",
    "nouvelle instr",
    "nouvelles instr",
    "nuove istr",
)
_ROLE_STEMS = tuple(
    f"{role}{sep}"
    for role in (
        "system",
        "assistant",
        "developer",
        "admin",
        "administrator",
        "ai",
        "model",
        "bot",
        "chatbot",
        "gpt",
        "llm",
        "sys",
        "operator",
        "user",
        "instruction",
        "instructions",
    )
    for sep in (":", " :", ",")
) + ("[inst", "[/inst", "[sys", "[system", "<|", "<<sys", "<system", "</sys")
_ENC_STEMS = (
    "base",
    "rot",
    "caesar",
    "hex",
    "encod",
    "encrypt",
    "cipher",
    "obfuscat",
    "scrambl",
    "decod",
    "decrypt",
    "reverse",
)


class Stems:
    """A family's trigger stems, looked up by the first letters of the text's words: a story
    is tested against the few stems whose first letters it holds, not against all of them
    (one pass over its words instead of a substring search per stem)."""

    __slots__ = ("by_key", "odd")

    def __init__(self, stems: tuple[str, ...]) -> None:
        self.by_key: dict[str, list[str]] = {}
        self.odd: list[str] = []
        for st in stems:
            lead = re.match(r"[a-z]+", st.lstrip())
            if lead is None or len(lead.group(0)) < 2:
                self.odd.append(st)
            else:
                self.by_key.setdefault(lead.group(0)[:3], []).append(st)

    def found(self, text: str, keys: frozenset[str]) -> bool:
        if any(st in text for st in self.odd):
            return True
        for k in keys.intersection(self.by_key):
            if any(st in text for st in self.by_key[k]):
                return True
        return False


_WORDS_RE = re.compile(r"[a-z]+")


def keys_of(text: str) -> frozenset[str]:
    """The 2- and 3-letter heads of the words of a folded text (what `Stems.found` looks up)."""
    words = set(_WORDS_RE.findall(text))
    return frozenset({w[:3] for w in words} | {w[:2] for w in words if len(w) == 2})


def _any(text: str, stems: Stems, keys: frozenset[str] | None = None) -> bool:
    """Does `text` hold one of `stems`?"""
    return stems.found(text, keys_of(text) if keys is None else keys)


INJ_STEMS = Stems(_INJ_STEMS)
ROLE_STEMS = Stems(_ROLE_STEMS)
ENC_STEMS = Stems(_ENC_STEMS)


# --- injection ---------------------------------------------------------------------------------

_DISMISS = (
    r"ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|bypass|"
    r"circumvent|abandon|discard|set\s+aside|throw\s+out|scrap|suspend|disable|"
    r"turn\s+off|stop\s+following|no\s+longer\s+follow|don'?t\s+follow|do\s+not\s+follow|"
    r"pay\s+no\s+attention\s+to"
)
_RULES = (
    r"instructions?|directions|directives?|rules|guidelines|guardrails|prompts?|programming|"
    r"policy|policies|restrictions|constraints|safety\s+(?:rules|filters?|settings)|filters|"
    r"orders|commands|system\s+(?:message|prompt)|training|everything\s+(?:above|before|you\s+were\s+told)|"
    r"what\s+(?:you\s+were|i)\s+(?:told|said)|the\s+above|previous\s+(?:text|messages?)"
)
_REVEAL = (
    r"reveal|print|show|output|display|repeat|leak|dump|expose|disclose|recite|spill|echo|"
    r"paste|share|tell\s+(?:me|us|them|the\s+listener|the\s+user)|write\s+out|give\s+(?:me|us)|"
    r"read\s+(?:out|back)|copy|quote"
)
_SECRET = (
    r"system\s+(?:message|prompt|instructions?)|(?:hidden|secret|internal|initial|original|"
    r"confidential|developer|private)\s+(?:instructions?|prompt|rules|message|notes|config\w*)|"
    r"(?:your|the)\s+(?:instructions|prompt|rules|guidelines)|secrets?|api\s+keys?|passwords?|"
    r"credentials|hidden\s+text|pre-?prompt"
)
INJECTION_RE = re.compile(
    rf"\b(?:{_DISMISS})(?:{_W}|\s+)(?:all\s+|any\s+|your\s+|the\s+|my\s+|previous\s+|prior\s+"
    rf"|earlier\s+|above\s+|preceding\s+|former\s+|original\s+|those\s+|these\s+)*(?:{_RULES})\b"
    rf"|\b(?:{_REVEAL})(?:{_W}|\s+)(?:{_SECRET})\b"
    # role prefixes and re-tasking
    r"|new\s+(?:instructions?|task|rules|directive|system\s+message|orders)\s*[:\-—]"
    r"|(?:updated|revised|real|actual|true)\s+instructions?\b"
    r"|(?:you\s+are\s+now|from\s+now\s+on,?\s+you|act\s+as\s+(?:an?\s+)?(?:unfiltered|"
    r"unrestricted|evil|different|new)|pretend\s+(?:you\s+are|to\s+be)|jailbreak|"
    r"dan\s+mode|developer\s+mode|god\s+mode|do\s+anything\s+now)\b"
    r"|(?:respond|reply|answer)\s+only\s+with\b|(?:instead|rather),?\s+(?:write|say|output|print)\b"
    r"|\b(?:repeat|print|output|show|reveal|echo)\s+(?:back\s+)?(?:the\s+|all\s+(?:the\s+)?)?"
    r"(?:text|words|message|messages|everything|lines)\s+(?:above|before\s+this|you\s+were\s+given)\b"
    r"|\b(?:begin|start)\s+your\s+(?:reply|response|answer)\s+with\b|\bsudo\b"
    r"|\badmin(?:istrator)?\s+override\b|\boverride\s+code\b"
    r"|\byour\s+(?:new|real|actual|true)\s+(?:task|job|instructions?|orders)\s+(?:is|are)\b"
    # other languages of the listeners' markets
    r"|\b(?:ignora|ignore[sz]?|ignorar|ignoriere|ignorieren|olvida|olvide|esque[cç]a|oublie[z]?|"
    r"vergiss|vergessen|dimentica|desconsidere|descarta|n[ãa]o\s+siga)\b[^.!?\n]{0,40}?"
    r"\b(?:instrucci[oó]n(?:es)?|instru[cç](?:[oõ]es|ao|ão)|instructions?|anweisungen?|"
    r"regeln|richtlinien|istruzioni|regole|reglas|regras|consignes|r[eè]gles|directrices|"
    r"diretrizes|vorgaben)\b"
    r"|\b(?:revela|revele|muestra|mostra|zeig|zeige|verrate|r[ée]v[èe]le[zr]?|affiche[zr]?|"
    r"rivela|imprime|imprima)\b[^.!?\n]{0,40}?\b(?:sistema|systemnachricht|systemprompt|"
    r"syst[eè]me|secretos?|segredos?|geheimnisse?|secrets?|segreti)\b"
    r"|\b(?:mensaje|mensagem|message|messaggio|nachricht)\s+(?:del?\s+|do\s+)?(?:sistema|"
    r"syst[eè]me)\b|\b(?:neue|nuevas?|novas?|nouvelles?|nuove)\s+(?:anweisung(?:en)?|"
    r"instrucci[oó]n(?:es)?|instru[cç][oõ]es|instructions?|istruzioni)\b",
)
#: a role label opening a line or a sentence ("SYSTEM:", "Assistant,", "[INST]")
ROLE_RE = re.compile(
    r"(?:^|[\n.!?\"“”]\s*|\(\s*)(?:system|assistant|developer|admin|administrator|ai|model|bot|"
    r"chatbot|gpt|llm|sys|operator|user|instruction|instructions)\s*(?::|,\s*(?:ignore|disregard|"
    r"forget|reveal|print|you\s+(?:must|will|are|should)|please|stop|now|drop|from))"
    r"|\[/?(?:inst|system|sys)\]|<\|?(?:system|im_start|im_end)\|?>|<</?sys>>",
)
_JA_RE = re.compile(
    r"(?:指示|命令|ルール|規則|指令|設定|プロンプト|ガイドライン)[をはも]?(?:すべて|全て|全部)?"
    r"(?:無視|忘れ|破棄|上書き)|(?:システム|隠し|秘密の?)(?:プロンプト|メッセージ|指示)"
    r"|(?:以前|前|上記)の指示|新しい指示|(?:无视|忽略)(?:之前|以前|所有)?的?(?:指令|指示|规则)"
    r"|시스템\s*프롬프트|지시를\s*무시"
)
_ENCODED_WORD = re.compile(
    r"\b(?:base\s?-?64|rot\s?-?13|rot\s?-?47|caesar|hex(?:adecimal)?|encoded|encrypted|cipher(?:ed)?|"
    r"ciphertext|obfuscated|scrambled|decode[sd]?|decoding|decrypt(?:ed)?|decipher(?:ed)?|"
    r"unscramble[sd]?|reverse\s+(?:it|this|the\s+text))\b",
)
_OBEY_WORD = re.compile(
    r"\b(?:follow|obey|execute|run|carry\s+out|comply|do\s+(?:what|as)|act\s+on|apply|perform|"
    r"then\s+do|implement|treat\s+it\s+as|instructions?|whatever\s+it\s+says)\b",
)
_LONG_RUN = re.compile(
    r"[A-Za-z0-9+/]{16}|\d[0-9a-fA-F]?[\s:]?[0-9a-fA-F]{2}[\s:]?[0-9a-fA-F]{2}[\s:]?\d"
)
_B64_TOKEN = re.compile(r"(?<![\w+/])[A-Za-z0-9+/]{16,}={0,2}(?![\w+/])")
_HEX_TOKEN = re.compile(r"\b(?:[0-9a-fA-F]{2}[\s:]?){10,}\b")


def _decoded_payloads(text: str) -> list[str]:
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


def injection(text: str, raw: str | None = None, keys: frozenset[str] | None = None) -> list[str]:
    """Instruction-like spans in `text` (the folded view; see module doc). `raw`: the text as
    written, for payloads whose case matters (base64)."""
    raw = text if raw is None else raw
    keys = keys_of(text) if keys is None else keys
    hits = []
    if _any(text, INJ_STEMS, keys):
        hits += [m.group(0).strip() for m in INJECTION_RE.finditer(text)]
    if _any(text, ROLE_STEMS, keys):
        hits += [m.group(0).strip(' \n.!?"“”(') for m in ROLE_RE.finditer(text)]
    if not text.isascii():
        hits += [m.group(0) for m in _JA_RE.finditer(text)]
    enc = _ENCODED_WORD.search(text) if _any(text, ENC_STEMS, keys) else None
    if enc:
        for e in _ENCODED_WORD.finditer(text):
            if _OBEY_WORD.search(text, max(0, e.start() - 120), e.end() + 120):
                hits.append(f"encoded payload to follow: '{e.group(0)}'")
                break
        rot = codecs.decode(text, "rot13")
        for payload in [*_decoded_payloads(raw), rot]:
            if INJECTION_RE.search(payload) or ROLE_RE.search(payload):
                hits.append(f"encoded instruction: '{payload[:60]}'")
                break
    elif _LONG_RUN.search(raw):
        for payload in _decoded_payloads(raw):
            if INJECTION_RE.search(payload) or ROLE_RE.search(payload):
                hits.append(f"encoded instruction: '{payload[:60]}'")
    return list(dict.fromkeys(h for h in hits if h))


# --- shaming -----------------------------------------------------------------------------------

_SOCIAL = (
    r"friends?|social\s+life|a\s+life|any\s+life|outside|outdoors|the\s+house|your\s+room|"
    r"sunlight|daylight|the\s+sun|people|humans?|a\s+date|dates?|"
    r"dating|partner|girlfriend|boyfriend|sleep|a\s+job|hobb(?:y|ies)|talk(?:ed)?\s+to|"
    r"touch(?:ed)?\s+grass|leave\s+the\s+house|go\s+out|went\s+out|conversation|phone\s+calls?|"
    r"real\s+world|real\s+life|other\s+interests|okay|ok|alright|all\s+right|worried|help|"
    r"lonely|bored|single|friday\s+nights?|weekends?\s+off"
)
_QUESTION_RE = re.compile(
    rf"(?:^|(?<=[.!?\n]))[^.!?\n]*\b(?:do|did|does|have|has|had|are|were|is|was|can|could|"
    rf"should|would|will|who|when|what|how|why|ever)\b[^.!?\n]*\b(?:{_SOCIAL})\b[^.!?\n]*\?",
)
_JUDGING = (
    r"sad|sadd?est|pathetic|embarrassing|embarrassed|tragic|questionable|dubious|worrying|"
    r"alarming|concerning|troubling|unhinged|deranged|lonely|sorry|creepy|cringe\w*|shameful|"
    r"laughable|ridiculous|absurd|unhealthy|obsessive|desperate|painful|pitiful|pitiable|"
    r"lame|dorky|nerdy|weird|bizarre|sketchy|dodgy|dismal|"
    r"bleak|grim|depressing|woeful|miserable|awful|terrible|horrible|dreadful|atrocious|"
    r"abysmal|cursed|unforgivable|indefensible|inexplicable|baffling|worrisome|disturbing|"
    r"crushing|humiliating|mortifying|shocking|scandalous|ugly|silly|dumb|stupid|guilty"
)
_HABIT = (
    r"habits?|taste|tastes|obsessions?|routines?|choices?|decisions?|behaviou?rs?|record|"
    r"streaks?|loops?|playlists?|rotation|life|lifestyle|existence|situation|"
    r"display|showing|numbers|stats|statistics|pattern|patterns|addiction|compulsion|"
    r"tendenc(?:y|ies)|ritual|rituals|phase|moment|relationship|fixation|dependency|"
    r"pleasures?|secret|secrets|confession|admission|binge|binges"
)
_SHAME_RE = re.compile(
    rf"\b(?:{_JUDGING})(?:\s+(?:little|lil|old|bit\s+of\s+a|kind\s+of|sort\s+of|and\s+\w+|"
    rf"\w+ing|listening|music|musical|audio|streaming|late[- ]night|solo|lonely|little|"
    rf"3\s?am|repeat))*\s+(?:{_HABIT})\b"
    # grass, sun, outside: the advice form of "get a life"
    r"|\b(?:touch(?:ing|ed)?|feel(?:ing)?|see|find|smell|step\s+on|go\s+near)\s+(?:some|a\s+"
    r"(?:little|bit\s+of|blade\s+of|patch\s+of)|any|real|actual|more|the)?\s*(?:grass|lawn|turf|"
    r"greenery)\b|\bgrass[- ]touching\b"
    r"|\b(?:go|get|step|head|went|going|getting)\s+(?:outside|outdoors|out\s+more|"
    r"out\s+of\s+the\s+house|some\s+(?:sun|sunlight|fresh\s+air|vitamin\s+d))\b"
    r"|\b(?:see|saw|seen|seeing)\s+(?:the\s+)?(?:sun|sunlight|daylight|daylight)\b"
    r"|\b(?:get|got|have|find|getting)\s+(?:yourself\s+)?(?:a\s+life|a\s+hobby|some\s+friends|"
    r"a\s+social\s+life|help|a\s+grip|out\s+more)\b"
    r"|\b(?:no|zero|without\s+a?)\s+(?:life|friends|social\s+life|shame|self[- ]respect|"
    r"dignity|chill)\b"
    r"|\b(?:we(?:'re|\s+are)|i(?:'m|\s+am)|nobody(?:'s|\s+is)|no\s+one(?:'s|\s+is)|not)\s+"
    r"(?:not\s+)?judging\b|\bjudg(?:e|ing|ement|ment)\s+(?:you|free|zone)\b"
    r"|\b(?:staging|stage|need|needs|time\s+for)\s+an?\s+intervention\b"
    r"|\b(?:cry|call)\s+for\s+help\b|\b(?:a|the)\s+red\s+flag\b|\byou\s+(?:have|had|got)\s+"
    r"(?:a\s+)?(?:problem|issues)\b|\bwho\s+hurt\s+you\b|\bare\s+you\s+ok(?:ay)?\b"
    r"|\b(?:loser|losers|nerd|weirdo|hermit|recluse|shut-?in|basement[- ]dweller|"
    r"friendless|couch\s+potato|no-?lifer?)\b"
    r"|\b(?:seriously|really|honestly),?\s+(?:though\s*)?\?|\byikes\b|\boof\b"
    r"|\bstep(?:ping)?\s+away\s+from\s+(?:the|your)\s+(?:headphones|speakers|phone|screen|aux)\b"
    r"|\blog\s+off\b|\bput\s+(?:the|your)\s+(?:phone|headphones)\s+down\b"
    r"|\b(?:empty|blank|quiet|non-?existent|tragic|sad)\s+social\s+(?:calendar|life)\b"
    r"|\bnot\s+(?:exactly\s+)?(?:a|the)\s+(?:party\s+animal|social\s+butterfly)\b"
    r"|\bcall\s+your\s+(?:mum|mom|mother|friends|family)\b|\bhermit\s+mode\b",
)


_JUDGING_STEMS = Stems(
    (
        "sad",
        "pathetic",
        "embarrass",
        "tragic",
        "questionab",
        "dubious",
        "worr",
        "alarm",
        "concern",
        "troubl",
        "unhinged",
        "deranged",
        "lonely",
        "sorry",
        "creepy",
        "cringe",
        "shame",
        "laughab",
        "ridicul",
        "absurd",
        "unhealthy",
        "obsessive",
        "desperat",
        "painful",
        "piti",
        "lame",
        "dork",
        "nerd",
        "weird",
        "bizarre",
        "sketchy",
        "dodgy",
        "dismal",
        "bleak",
        "grim",
        "depress",
        "woeful",
        "miserab",
        "awful",
        "terribl",
        "horribl",
        "dreadful",
        "atrocious",
        "abysmal",
        "cursed",
        "unforgiv",
        "indefens",
        "inexplic",
        "baffl",
        "disturb",
        "crushing",
        "humiliat",
        "mortify",
        "shock",
        "scandal",
        "ugly",
        "silly",
        "dumb",
        "stupid",
        "guilty",
    )
)
_SHAME_STEMS = Stems(
    (
        "step away",
        "stepping away",
        "log off",
        "put the",
        "put your",
        "social calendar",
        "social life",
        "party animal",
        "social butterfly",
        "call your",
        "hermit",
        "grass",
        "lawn",
        "turf",
        "greenery",
        "outside",
        "outdoors",
        "out more",
        "out of the house",
        "the sun",
        "sunlight",
        "some sun",
        "daylight",
        "a life",
        "hobby",
        "friends",
        "help",
        "grip",
        "no life",
        "no friends",
        "no social",
        "no shame",
        "no self",
        "no dignity",
        "no chill",
        "zero ",
        "without a",
        "judg",
        "intervention",
        "red flag",
        "problem",
        "issues",
        "hurt you",
        "you ok",
        "loser",
        "nerd",
        "weirdo",
        "hermit",
        "recluse",
        "shut-in",
        "shutin",
        "basement",
        "friendless",
        "couch",
        "lifer",
        "?",
        "yikes",
        "oof",
    )
)
_SOCIAL_STEMS = Stems(
    (
        "friend",
        "social",
        "life",
        "outside",
        "outdoors",
        "house",
        "room",
        "sun",
        "daylight",
        "people",
        "human",
        "date",
        "dating",
        "partner",
        "girlfriend",
        "boyfriend",
        "sleep",
        "job",
        "hobb",
        "talk",
        "grass",
        "go out",
        "went out",
        "conversation",
        "phone",
        "real world",
        "real life",
        "interests",
        "ok",
        "alright",
        "all right",
        "worried",
        "help",
        "lonely",
        "bored",
        "single",
        "night",
        "weekend",
    )
)


def shaming(text: str, keys: frozenset[str] | None = None) -> list[str]:
    """Shaming forms in `text`: judging a habit, rhetorical questions, "touch grass"."""
    hits = []
    keys = keys_of(text) if keys is None else keys
    if _any(text, _SHAME_STEMS, keys) or _any(text, _JUDGING_STEMS, keys):
        hits += [m.group(0).strip() for m in _SHAME_RE.finditer(text)]
    if "?" in text and _any(text, _SOCIAL_STEMS, keys):
        hits += [m.group(0).strip() for m in _QUESTION_RE.finditer(text)]
    return list(dict.fromkeys(hits))


# --- idioms of violence, sex and drugs -----------------------------------------------------------

_IDIOM_RE = re.compile(
    r"\b(?:knife|knives|dagger|blade|machete|switchblade|shank|bullet|bullets|shotgun|"
    r"pistol|revolver|grenade|gunpoint|sniper|bayonet|brass\s+knuckles)\b"
    r"|\b(?:stab(?:s|bed|bing)?|strangl\w*|chok(?:e|ed|ing)\s+(?:you|him|her|them|someone)|"
    r"bludgeon\w*|maim\w*|disembowel\w*|gut(?:s|ted)?\s+(?:you|him|her|them|punch)|"
    r"punch(?:ed)?\s+(?:in|to)\s+the\s+(?:face|gut|mouth|teeth|throat)|sucker[- ]punch\w*|"
    r"black\s+eye|bloody\s+(?:nose|lip|knuckles)|broken\s+(?:jaw|nose|bones?|ribs?)|"
    r"beat(?:en)?\s+to\s+a\s+pulp|bleed(?:ing)?\s+out|blood\s+(?:everywhere|on\s+the)|"
    r"in\s+cold\s+blood|(?:to|in)\s+the\s+(?:ribs|jugular)|headshot|body\s+count|"
    r"pull(?:ed|s)?\s+the\s+trigger|trigger[- ]happy|loaded\s+gun|violent|violence|bloodied|"
    r"bruised|throw(?:ing)?\s+hands|punch-up|beatdown|gun\s+to\s+(?:your|the|my)\s+head|"
    r"hit\s?man|assassins?|frisky|sultry|skinny[- ]dipping|nightcaps?|bender|benders|"
    r"three\s+sheets\s+to\s+the\s+wind|liquid\s+courage|bar\s+tab|booze\s+cruise)\b"
    r"|\b(?:one[- ]night\s+stands?|hook[- ]?ups?|hooking\s+up|booty\s+calls?|between\s+the\s+sheets|"
    r"(?:steamy|steamier|steamiest|raunch\w*|kinky|seduct\w*|seduc\w*|sensual|"
    r"lustful|lusty|x-rated|nsfw|strip\s?(?:tease|club|per)s?|lap\s+dances?|foreplay|aphrodisiac\w*|"
    r"hot\s+and\s+heavy|making\s+out|make\s+out|netflix\s+and\s+chill|friends\s+with\s+benefits|"
    r"in\s+the\s+sack|bedroom\s+(?:eyes|antics|activities|moves))\b)"
    r"|\b(?:pills?|popping\s+pills|a\s+line\s+of|lines\s+of\s+(?:coke|powder|blow)|do(?:ing)?\s+"
    r"lines|high\s+as\s+a\s+kite|higher\s+than\s+a\s+kite|blazed|spliffs?|"
    r"doobies?|edibles|shrooms|magic\s+mushrooms|acid\s+trips?|tripping\s+balls|ecstasy|"
    r"(?:smok\w*|roll\w*|pass\w*|light\w*|puff\w*)\s+(?:a|the|another|up\s+a)\s+joints?|"
    r"joints?\s+(?:rolled|lit|passed)|powder\s+up\s+your\s+nose|needles?\s+in|"
    r"shots?\s+of\s+(?:tequila|vodka|whiskey|rum|gin|jager\w*)|tequila\s+shots?|"
    r"(?:pub|bar)\s+crawls?|keg\s?stands?|(?:got|get|getting|gets)\s+(?:wasted|plastered|"
    r"sloshed|smashed|hammered|buzzed|tipsy|drunk)|pints?|cocktails?|happy\s+hour|"
    r"bottle\s+of\s+(?:red|white|rum|gin))\b",
)


_IDIOM_STEMS = Stems(
    (
        "violen",
        "bloodied",
        "bruised",
        "hands",
        "punch-up",
        "beatdown",
        "head",
        "hit man",
        "hitman",
        "assassin",
        "frisky",
        "sultry",
        "dipping",
        "nightcap",
        "bender",
        "sheets",
        "courage",
        "bar tab",
        "cruise",
        "knife",
        "knives",
        "dagger",
        "blade",
        "machete",
        "shank",
        "bullet",
        "shotgun",
        "pistol",
        "revolver",
        "grenade",
        "gunpoint",
        "sniper",
        "bayonet",
        "knuckles",
        "stab",
        "strangl",
        "chok",
        "bludgeon",
        "maim",
        "disembowel",
        "gut",
        "punch",
        "black eye",
        "bloody",
        "broken",
        "pulp",
        "bleed",
        "blood",
        "ribs",
        "jugular",
        "headshot",
        "body count",
        "trigger",
        "loaded gun",
        "night stand",
        "hook",
        "booty",
        "sheets",
        "steam",
        "raunch",
        "kinky",
        "seduc",
        "sensual",
        "lust",
        "x-rated",
        "nsfw",
        "strip",
        "lap dance",
        "foreplay",
        "aphrodisiac",
        "hot and",
        "making out",
        "make out",
        "netflix",
        "benefits",
        "sack",
        "bedroom",
        "pill",
        "line of",
        "lines",
        "kite",
        "blazed",
        "spliff",
        "doobie",
        "edibles",
        "shroom",
        "mushroom",
        "acid",
        "tripping",
        "ecstasy",
        "joint",
        "powder",
        "needle",
        "shot",
        "tequila",
        "crawl",
        "keg",
        "wasted",
        "plastered",
        "sloshed",
        "smashed",
        "hammered",
        "buzzed",
        "tipsy",
        "drunk",
        "pint",
        "cocktail",
        "happy hour",
        "bottle of",
    )
)


def idioms(text: str, keys: frozenset[str] | None = None) -> list[str]:
    """Figures of speech that put violence, sex or drugs in a story (see module doc)."""
    if not _any(text, _IDIOM_STEMS, keys):
        return []
    return list(dict.fromkeys(m.group(0) for m in _IDIOM_RE.finditer(text)))


# --- sensitive inference -------------------------------------------------------------------------

_INFER_RE = re.compile(
    r"\b(?:you(?:'re|\s+are|'ve\s+been|\s+have\s+been|\s+were|\s+must\s+(?:have\s+been|be)|"
    r"\s+might\s+(?:have\s+been|be)|\s+may\s+(?:have\s+been|be)|\s+seem(?:ed)?(?:\s+to\s+be)?|"
    r"\s+(?:probably|clearly)\s+(?:were|are))|(?:sounds|looks|seems)\s+like\s+(?:you|someone)"
    r"(?:\s+(?:were|was|are|is|had|has|needed))?|(?:someone|somebody)(?:'s|\s+is|\s+was))\s+"
    r"(?:(?:a\s+(?:little|bit)\s+|really\s+|very\s+|so\s+|quite\s+)?(?:going\s+through|dealing\s+with|"
    r"healing|recovering|grieving|mourning|struggling|hurting|heartbroken|lonely|depressed|sad|"
    r"down|low|anxious|stressed|burn(?:ed|t)\s+out|in\s+love|falling\s+for|single|pregnant|"
    r"expecting|sick|unwell|ill|in\s+recovery|sober|getting\s+over|nursing\s+a|missing\s+someone|"
    r"coping|processing|working\s+through|in\s+a\s+dark\s+place|in\s+a\s+rough\s+patch|on\s+the\s+mend))\b"
    r"|\b(?:a\s+)?(?:rough|hard|tough|dark|difficult)\s+(?:patch|time|season|chapter|stretch|"
    r"spell)\b|\b(?:break-?up|heartbreak|divorce|split\s+up|your\s+ex\b|newly\s+single|"
    r"rebound|grief|bereavement|funeral|passed\s+away|hospital|rehab|relapse|sobriety|"
    r"medication|meds|antidepressants?|chemo|diagnos\w*|prayer|praying|pray|church|mosque|"
    r"synagogue|ramadan|sabbath|pride\s+parade|coming\s+out|election|"
    r"ballot|campaign\s+rally|protest(?:s|ing)?|picket|unemploy\w*|laid\s+off|fired\s+from|"
    r"panic\s+attacks?|burnout|mental\s+health|self[- ]care|healing\s+era|therapy)\b"
    r"|\b(?:you|you've|you\s+were|you're|you\s+must\s+have\s+been)\s+(?:crying|cried|in\s+tears|"
    r"in\s+your\s+feel(?:ing)?s|going\s+through\s+it|heartsick|lovesick)\b",
)


_INFER_STEMS = Stems(
    (
        "crying",
        "cried",
        "tears",
        "feels",
        "feelings",
        "through it",
        "heartsick",
        "lovesick",
        "going through",
        "dealing with",
        "healing",
        "recover",
        "grie",
        "mourn",
        "struggl",
        "hurting",
        "heartbr",
        "lonely",
        "depress",
        "sad",
        "down",
        "low",
        "anxious",
        "stress",
        "burn",
        "in love",
        "falling for",
        "single",
        "pregnan",
        "expecting",
        "sick",
        "unwell",
        " ill",
        "sober",
        "getting over",
        "nursing",
        "missing someone",
        "coping",
        "processing",
        "working through",
        "dark place",
        "rough",
        "on the mend",
        "hard time",
        "tough",
        "dark",
        "difficult",
        "break",
        "divorce",
        "split up",
        "your ex",
        "rebound",
        "bereave",
        "funeral",
        "passed away",
        "hospital",
        "rehab",
        "relapse",
        "sobri",
        "medicat",
        "meds",
        "antidepress",
        "chemo",
        "diagnos",
        "pray",
        "church",
        "mosque",
        "synagogue",
        "ramadan",
        "sabbath",
        "pride",
        "coming out",
        "election",
        "ballot",
        "rally",
        "protest",
        "picket",
        "unemploy",
        "laid off",
        "fired from",
        "panic",
        "burnout",
        "mental",
        "self-care",
        "self care",
        "therapy",
    )
)


def sensitive(text: str, keys: frozenset[str] | None = None) -> list[str]:
    """The story inferring the listener's health, relationships, beliefs or circumstances."""
    if not _any(text, _INFER_STEMS, keys):
        return []
    return list(dict.fromkeys(m.group(0) for m in _INFER_RE.finditer(text)))
