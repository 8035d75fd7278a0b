"""Shaming forms: rhetorical questions about the listener's social life or worth, judging
adjectives on their habits, "touch grass" and its variants, and sarcasm
(`wrapped.safety.sarcasm`; see `wrapped.safety.forms`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wrapped.safety.required import Guarded
from wrapped.safety.sarcasm import sarcasm
from wrapped.safety.stems import Stems, any_stem

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
    r"|\bcall\s+your\s+(?:mum|mom|mother|friends|family)\b|\bhermit\s+mode\b"
    # condescension and its stock phrases: "bless your heart", "..., champ", "lonely much?"
    r"|\bbless\s+(?:your\s+heart|you|it|them)\b|,\s*(?:champ|sport|buddy|pal|sweetie|kiddo)\b"
    r"|\b(?:lonely|bored|desperate|obsessed|single|sad|clingy|basic)\s+much\s*\?"
    r"|\b(?:couch|sofa|basement)\s+(?:goblin|gremlin|troll|potato)s?\b|\b(?:goblin|gremlin)\s+"
    r"(?:mode|behaviou?r|energy)\b"
    # the outside world as a dare: "leaving the house", "fresh air", "outside is free"
    r"|\b(?:try|trying|maybe|consider|considering)\s+(?:leaving|going|getting|stepping)\s+"
    r"(?:the\s+house|outside|out(?:doors)?)\b|(?<!breath\sof\s)\bfresh\s+air\b"
    r"|\b(?:outside|outdoors|daylight|sunlight|grass|the\s+sun)\s+(?:is\s+free|exists|misses\s+you|"
    r"sends\s+its\s+regards|says\s+hi|called)\b"
    # needing a life, a hobby, friends; being worried about the listener
    r"|\b(?:need|needs|needed)\s+(?:a\s+hobby|a\s+life|friends|help|a\s+break\s+from\s+you)\b"
    r"|\b(?:we(?:'re|\s+are)|i(?:'m|\s+am))\s+(?:a\s+(?:little|bit)\s+|slightly\s+|honestly\s+)?"
    r"(?:worried|concerned)\s+(?:about|for)\s+(?:you|your)\b"
    r"|\byour\s+(?:dignity|attention\s+span|(?:lack\s+of\s+(?:a\s+)?)?social\s+life)\b"
    r"|\b(?:with\s+)?no\s*(?:one|body)\s+(?:to\s+share|else\s+to|to\s+talk)\b|\bnobody\s+but\b"
    r"|\bnot\s+a\s+(?:great|good)\s+look\b|\b(?:should|could|would)\s+(?:probably\s+)?(?:start\s+)?"
    r"pay(?:ing)?\s+rent\b|\bbegging\s+for\s+(?:a\s+)?(?:day\s+off|break|rest|mercy)\b"
    r"|\bpeaked\s+in\s+(?:high\s+|secondary\s+|middle\s+)?school\b"
    r"|\b(?:lack|lacking)\s+of\s+(?:alternatives|options|friends|plans)\b",
)
#: `_SHAME_RE` run only with the branches whose required strings a story holds (its forty-odd
#: branches tried at every position were the gate's costliest regex)
_SHAME_FORMS = Guarded(_SHAME_RE)


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
        "bless",
        "champ",
        "sport",
        "buddy",
        "pal",
        "sweetie",
        "kiddo",
        "much?",
        "much ?",
        "goblin",
        "gremlin",
        "leaving",
        "fresh air",
        "is free",
        "exists",
        "misses you",
        "regards",
        "says hi",
        "called",
        "need a",
        "needs a",
        "needed a",
        "need friends",
        "needs friends",
        "needed friends",
        "need help",
        "needs help",
        "needed help",
        "worried",
        "concerned",
        "dignity",
        "attention span",
        "nobody",
        "no one",
        "noone",
        "great look",
        "good look",
        "rent",
        "begging",
        "peaked",
        "lack",
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


def _questions(text: str) -> Iterator[re.Match[str]]:
    """`_QUESTION_RE.finditer(text)`, tried once per question: a match is one sentence that
    opens the text or follows one of ".!?" or a line break, and runs to its "?" (it cannot
    cross them), so it can only be the sentence before each "?", matched up to it."""
    q = text.find("?")
    while q >= 0:
        start = max(text.rfind(c, 0, q) for c in ".!?\n") + 1
        m = _QUESTION_RE.match(text, start, q + 1)
        if m is not None:
            yield m
        q = text.find("?", q + 1)


#: mockery as a form, whatever the topic: "do you even ...?", "X much?", "that's a bit sad",
#: "try harder", "sick of you", "X, you are not", belittling comparisons
_MOCK_RE = re.compile(
    r"\b(?:do|did|does|can|could)\s+you\s+even\b[^.!?\n]*\?"
    r"|\bdo\s+you\s+ever\s+(?:finish|commit|stop|sleep|leave|go\s+out|see|talk|let)\b[^.!?\n]*\?"
    r"|(?:^|(?<=[.!?]\s))(?!(?:how|so|too|that|very|not)\b)(?:[\w'-]+\s+){1,3}much\s*\?"
    r"|\b(?:that|this|it)(?:'s|\s+is|\s+was)\s+(?:honestly\s+|frankly\s+|a\s+(?:bit|little)\s+|"
    r"kind\s+of\s+|sort\s+of\s+|pretty\s+|rather\s+|so\s+|just\s+|quite\s+)?"
    r"(?:sad|pathetic|embarrassing|tragic|lame|cringe|bleak|grim|depressing|pitiful)\s*[.!,;?]"
    r"|\b(?:try|do)\s+(?:a\s+(?:little|bit)\s+)?(?:harder|better)\b(?!\s+than)"
    r"|\b(?:sick|tired)\s+of\s+you\b|\b[\w-]+,\s+you\s+(?:are|were)\s+not\b"
    r"|\b(?:we|i)(?:'ve|\s+have)\s+(?:seen|heard|had)\s+(?:longer|bigger|busier|louder|"
    r"better|more\s+\w+)\b|\brounding\s+error\b|\bcommitment\s+issues\b"
    r"|\blike\s+a\s+(?:toddler|child|kid|baby|goldfish)\b",
    re.IGNORECASE,
)
_MOCK_FORMS = Guarded(_MOCK_RE)
_QUESTION_FORMS = Guarded(_QUESTION_RE)
_MOCK_STEMS = Stems(("even", "ever", "much", "sad", "pathetic", "embarrass", "tragic", "lame",
               "cringe", "bleak", "grim", "depress", "pitiful", "harder", "better", "sick",
               "tired", "not", "seen", "heard", "had", "rounding", "commitment", "like a"))  # fmt: skip


def shaming(text: str, heads: str | None = None) -> list[str]:
    """Shaming forms in `text`: judging a habit, rhetorical questions, "touch grass", mockery
    (`heads`: see `wrapped.safety.stems.any_stem`)."""
    hits = []
    if _MOCK_FORMS.possible(text) and any_stem(text, _MOCK_STEMS, heads):
        hits += [m.group(0).strip() for m in _MOCK_FORMS.finditer(text)]
    if _SHAME_FORMS.possible(text) and (
        any_stem(text, _SHAME_STEMS, heads) or any_stem(text, _JUDGING_STEMS, heads)
    ):
        hits += [m.group(0).strip() for m in _SHAME_FORMS.finditer(text)]
    if "?" in text and _QUESTION_FORMS.possible(text) and any_stem(text, _SOCIAL_STEMS, heads):
        hits += [m.group(0).strip() for m in _questions(text)]
    hits += sarcasm(text)
    return list(dict.fromkeys(hits))
