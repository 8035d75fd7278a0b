"""Sensitive inference: the story telling the listener what they feel or are going through
("you must have been going through something", "sounds like a breakup"; see
`wrapped.safety.forms`)."""

from __future__ import annotations

import re

from wrapped.safety.required import Guarded
from wrapped.safety.stems import Stems, any_stem

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
    # money, work, family, faith and politics read into the listening
    r"|\b(?:in\s+debt|debts?|student\s+loans?|between\s+jobs|out\s+of\s+work|job\s*hunt\w*|"
    r"layoffs?|redundan\w+|jobless|tight[- ]money|money\s+(?:troubles?|worries|was\s+tight)|"
    r"rent\s+was\s+due|payday|paycheck|broke\s+month|fertility|ivf|pregnan\w*|a\s+nursery|"
    r"baby\s+on\s+the\s+way|new\s+parents?|relationship\s+with\s+god|your\s+faith|shabbat|"
    r"sabbath|kosher|halal|(?:leans?|leaning|lean)\s+(?:left|right)|left[- ]wing|right[- ]wing|"
    r"vot(?:e|ed|ing)\s+for|depressi\w+|low[- ]mood|panic[\s-]+attacks?|"
    r"heart\s+(?:must\s+have\s+been\s+|was\s+)?(?:mending|healing|broken)|heartache|anxiety|"
    r"insomnia|sleepless\s+nights?|illness|surgery|recovering\s+from)\b"
    # "woke" is politics unless it is the verb: followed by what wakes ("woke the house", "woke
    # up", "woke you at six") or said of someone who woke ("you woke", "the day she woke")
    r"|(?<!\byou\s)(?<!\bi\s)(?<!\bwe\s)(?<!\bthey\s)(?<!\bhe\s)(?<!\bshe\s)\bwoke\b"
    r"(?!\s+(?:up|you|me|him|her|them|us|everyone|everybody|early|at\s+\d|\d|the\s+(?:house|"
    r"flat|neighbou?rs|speakers|street|block|room|morning|day|whole)))"
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
        "woke",
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
        "debt",
        "loan",
        "jobs",
        "work",
        "job",
        "layoff",
        "redundan",
        "money",
        "rent was",
        "payday",
        "paycheck",
        "broke",
        "fertility",
        "ivf",
        "nursery",
        "baby",
        "parent",
        "god",
        "faith",
        "shabbat",
        "kosher",
        "halal",
        "left",
        "right",
        "wing",
        "vot",
        "mood",
        "heart",
        "anxiety",
        "insomnia",
        "sleepless",
        "illness",
        "surgery",
    )
)


#: circumstances read into the listening in everyday words: sobriety, a baby on the way, a lost
#: or hated job, money and betting, "talk to someone", who the listener loves, an injury
_CIRCUMSTANCE_RE = re.compile(
    r"\b(?:staying|stay|getting|got|being)\s+sober\b|\bsober\s+(?:life|journey|streak|days?)\b"
    r"|\b(?:little\s+one|baby|bump)\s+(?:must\s+be\s+|is\s+|was\s+)?on\s+the\s+way\b"
    r"|\bexpecting\s+a\s+(?:baby|little\s+one|child)\b"
    r"|\b(?:lost|losing|quit|quitting)\s+(?:your|a)\s+job\b"
    r"|\bjob\s+you\s+(?:clearly\s+|must\s+|probably\s+|secretly\s+)?(?:hate|dread|can't\s+stand)\b"
    r"|\b(?:placing|place|placed|making)\s+bets\b|\bgambl(?:ing|er|e|ed)\b"
    r"|\byou\s+can(?:'t|not)\s+(?:really\s+)?afford\b"
    r"|\b(?:talk|speak)\s+to\s+(?:someone|somebody|a\s+(?:professional|therapist|counsell?or|"
    r"doctor))\b|\b(?:anger|rage)\s+(?:issues|problems)\b"
    r"|\b(?:figuring|working)\s+out\s+who\s+you\s+(?:are|love|like)\b|\byour\s+sexuality\b"
    r"|\byour\s+(?:back|knees?|hip|legs?|injury|condition)\s+(?:has\s+been|is|was|must\s+be|"
    r"might\s+be)\s+(?:keeping|giving|hurting|acting|playing|bothering)\b",
    re.IGNORECASE,
)
#: a home life read into the listening: illness, a new baby, living alone, the kids
_HOME_RE = re.compile(
    r"\b(?:off\s+sick|(?:home|in\s+bed)\s+(?:sick|ill|with\s+(?:a|the)\s+(?:flu|cold|bug))|"
    r"under\s+the\s+weather|(?:new|first-?time|tired|exhausted|sleep-deprived)\s+(?:parents?|mum|"
    r"mom|dad)|the\s+baby\s+(?:was\s+|is\s+)?(?:finally\s+)?(?:asleep|down|napping|sleeping)|"
    r"(?:living|live|lives|lived)\s+(?:alone|on\s+your\s+own|by\s+yourself)|(?:struggling|coping|"
    r"dealing|juggling)\s+with\s+the\s+kids|toddler\s+tantrums?|(?:empty|quiet|lonely|silent)\s+"
    r"(?:flat|apartment|house|home|nest))\b",
    re.IGNORECASE,
)
_HOME_FORMS = Guarded(_HOME_RE)
_INFER_FORMS = Guarded(_INFER_RE)
_CIRCUMSTANCE_FORMS = Guarded(_CIRCUMSTANCE_RE)
_CIRCUMSTANCE_STEMS = Stems(("sober", "on the way", "expecting", "job", "bets", "gambl", "afford",
                       "talk to", "speak to", "anger", "rage", "who you", "sexuality", "your"))  # fmt: skip


def sensitive(text: str, heads: str | None = None) -> list[str]:
    """The story inferring the listener's health, relationships, beliefs or circumstances
    (`heads`: see `wrapped.safety.stems.any_stem`)."""
    hits: list[str] = []
    if _CIRCUMSTANCE_FORMS.possible(text) and any_stem(text, _CIRCUMSTANCE_STEMS, heads):
        hits += [m.group(0) for m in _CIRCUMSTANCE_FORMS.finditer(text)]
    if _INFER_FORMS.possible(text) and any_stem(text, _INFER_STEMS, heads):
        hits += [m.group(0) for m in _INFER_FORMS.finditer(text)]
    if _HOME_FORMS.possible(text):
        hits += [m.group(0) for m in _HOME_FORMS.finditer(text)]
    return list(dict.fromkeys(hits))
