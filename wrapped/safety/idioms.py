"""Idioms of violence, sex and drugs: figures of speech that put them in a story without a
listed word ("a knife to the ribs", "pills at a rave"; see `wrapped.safety.forms`)."""

from __future__ import annotations

import re

from wrapped.safety.required import Guarded
from wrapped.safety.stems import Stems, any_stem

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
    r"(?:pub|bar)\s+crawls?|keg\s?stands?|(?:got|get|getting|gets)\s+(?:(?:absolutely|totally|"
    r"completely|properly|utterly|so|very|well)\s+)?(?:wasted|plastered|"
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


#: similes and innuendo: a listener hit "like a mugger", "in bed all day (and we don't mean
#: sleeping)", "a couple of lines before work"
_FIGURE_RE = re.compile(
    r"\blike\s+(?:a|an|the)\s+(?:mugger|thug|brawler|burglar|gangster|hitman|sniper|"
    r"(?:right|left)\s+hook|haymaker|uppercut|headbutt|kick\s+(?:in|to)\s+the\s+\w+|"
    r"punch\s+(?:in|to)\s+the\s+\w+|slap\s+in\s+the\s+face|blow\s+to\s+the\s+head)\b"
    r"|\b(?:knocked|knock|knocks)\s+(?:you|him|her|them|me)?\s*(?:out\s+)?cold\b|\bambush\w*"
    r"|\b(?:in\s+bed\s+together|(?:don'?t|do\s+not|didn'?t)\s+mean\s+sleeping|"
    r"(?:if\s+you\s+)?catch\s+(?:our|my)\s+drift|wink[, ]+wink|nudge[, ]+nudge|"
    r"hotel[- ]room\s+(?:fling|affair|tryst)|(?:torrid|steamy|secret|illicit)\s+(?:affair|fling)|"
    r"tryst|walk\s+of\s+shame)\b"
    r"|\b(?:a\s+(?:couple|few)\s+of\s+lines|lines?\s+before\s+(?:work|breakfast|school|noon)|"
    r"(?:sniff|snort)\w*\s+(?:a\s+)?(?:line|lines|powder)|rolled\s+(?:up\s+)?(?:a\s+)?(?:note|"
    r"bill|fiver|twenty))\b",
    re.IGNORECASE,
)
#: the scenes and props of drinking, drugs, violence and sex, as similes ("like last call at a
#: dive bar", "like a SWAT team kicking in the door", "chasing the next hit", "stayed the night")
_SCENE_RE = re.compile(
    r"\bchas(?:e|es|ed|ing)\s+(?:the|their|your|his|her|a|that)\s+(?:next\s+)?(?:hit|high|fix|"
    r"dragon)\b|\bspik(?:e|ed|ing)\s+the\s+(?:punch|drinks?)\b|\b(?:punch|drinks?)\s+(?:had\s+been|"
    r"has\s+been|was|were|got)\s+spiked\b|\btripping\s+(?:on|out)\b"
    r"|\b(?:a\s+)?(?:bad|good|acid)\s+trip\b|\blast\s+(?:call|orders)\b|\bdive\s+bars?\b"
    r"|\brounds?\s+of\s+(?:shots|drinks|beers?|pints)\b|\bcold\s+ones\b|\b(?:a\s+)?(?:few|"
    r"couple\s+of)\s+(?:cold\s+)?(?:beers|brews|bevvies|drinks|glasses\s+of\s+\w+)\b"
    r"|\bhung\s?over\b|\bhangovers?\b|\bon\s+the\s+rocks\b|\bwine\s+o'?clock\b"
    r"|\b(?:bar|pub|street)\s+(?:brawl|fight)s?\b|\bhome\s+invasion\b|\bswat\s+team\b"
    r"|\bkick(?:ed|ing|s)?\s+(?:in|down)\s+(?:the|your|a)\s+(?:door|doors)\b|\bbaseball\s+bat\b"
    r"|\bcrowbar\b|\bto\s+a\s+pulp\b|\bdrive-?by\b|\bhostages?\b|\bexecution[- ]style\b"
    r"|\b(?:head|choke)\s?(?:lock|hold)s?\b|\bpistol[- ]whip\w*|\bgot\s+physical\b"
    r"|\bstayed\s+the\s+night\b|\b(?:summer|holiday|office|brief|little|quick)\s+fling\b"
    r"|\bkeep\s+(?:your|their|his|her|its)\s+hands\s+off\b|\b(?:undress|undressed|undressing)\b",
    re.IGNORECASE,
)
_SCENE_FORMS = Guarded(_SCENE_RE)
_IDIOM_FORMS = Guarded(_IDIOM_RE)
_FIGURE_FORMS = Guarded(_FIGURE_RE)
_FIGURE_STEMS = Stems(("like a", "like an", "like the", "cold", "ambush", "bed", "sleeping", "drift",
                 "wink", "nudge", "fling", "affair", "tryst", "shame", "lines", "line",
                 "powder", "rolled"))  # fmt: skip


def idioms(text: str, heads: str | None = None) -> list[str]:
    """Figures of speech that put violence, sex or drugs in a story (see module doc; `heads`:
    see `wrapped.safety.stems.any_stem`)."""
    hits: list[str] = []
    if _FIGURE_FORMS.possible(text) and any_stem(text, _FIGURE_STEMS, heads):
        hits += [m.group(0) for m in _FIGURE_FORMS.finditer(text)]
    if _IDIOM_FORMS.possible(text) and any_stem(text, _IDIOM_STEMS, heads):
        hits += [m.group(0) for m in _IDIOM_FORMS.finditer(text)]
    if _SCENE_FORMS.possible(text):
        hits += [m.group(0) for m in _SCENE_FORMS.finditer(text)]
    return list(dict.fromkeys(hits))
