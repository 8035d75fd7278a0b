"""Shaming by sarcasm and condescension: praise that means its opposite, advice no one asked
for, the listener measured against "most people" (see `wrapped.safety.shaming`).

Writers who mock rarely use a judging word: they say "Truly a legend of endurance", "Try not
to pull a muscle", "Most people manage that before lunch", "A valiant effort", "Classic you",
"We get it". Each family below is a stock form of that register, not a list of sentences: the
words around it vary, the form does not. Sincere praise does not take these forms ("a lovely
Sunday", "what a day", "you kept going"), which the tests hold the patterns to.
"""

from __future__ import annotations

import re

from wrapped.safety.required import Guarded

_SARCASM_RE = re.compile(
    # mock caution: the effort was tiny
    r"\b(?:try|careful|be\s+careful)\s+not\s+to\s+(?:pull\s+a\s+muscle|strain\s+(?:yourself|"
    r"something)|overdo\s+it|hurt\s+yourself|break\s+a\s+sweat|burn\s+(?:yourself\s+)?out|"
    r"wear\s+(?:yourself|it)\s+out)\b"
    r"|\bsteady\s+on\b|\b(?:don'?t|do\s+not)\s+(?:go\s+)?overdo(?:ing)?\s+it\b"
    r"|\b(?:easy|slow\s+down),?\s+(?:there,?\s+)?(?:tiger|champ|speedy|hotshot|cowboy)\b"
    r"|\bpac(?:e|ing)\s+yourself,?\s+(?:we\s+see|i\s+see|clearly|apparently)\b"
    # measured against everyone else
    r"|\b(?:most|some|normal|other|regular|actual)\s+(?:people|folks|listeners|humans)\s+"
    r"(?:manage|do|get\s+through|clock|hit|beat|finish)\s+(?:that|this|more)\s+(?:before|by|in|on)\s+"
    r"(?:lunch|breakfast|noon|their|a\s+single|one|the\s+commute|the\s+morning|a\s+coffee)\b"
    r"|\b(?:people|folks)\s+(?:would\s+)?call\s+that\s+an?\s+(?:(?:coffee|lunch|bathroom|tea|"
    r"smoke|ad)\s+)?(?:break|warm-?up|snack|blip|breather|commute|stroll|intro)\b"
    r"|\bfor\s+(?:some|most|other|normal)\s+(?:people|folks|listeners),?\s+(?:that'?s|that\s+is|"
    r"is|would\s+be)\s+(?:a|an|just|only|barely)\b"
    # praise that means its opposite
    r"|\btruly\s+a\s+(?:legend|hero|icon|master|champion|titan|person|visionary|pioneer|saint)\s+"
    r"of\b|\b(?:legend|hero|titan|champion|athlete)\s+of\s+(?:endurance|stamina|restraint|"
    r"moderation)\b|\bthe\s+world\s+(?:trembles|shudders|stands\s+still|holds\s+its\s+breath)\b"
    r"|\bbold\s+strategy\b|\bvery\s+[a-z-]+\s+of\s+you\s*[.!]|\b(?:classic|typical|peak)\s+you\b"
    r"|\bhow\s+(?:very\s+)?you\s*[.!]|\b(?:valiant|noble|brave|admirable|lovely|cute|sweet)\s+"
    r"(?:effort|attempt|try)\b|\bfor\s+a\s+(?:beginner|first-?timer|novice|rookie|amateur)\b"
    r"|\bbaby\s+steps\b|\bif\s+you\s+squint\b|\bgold\s+star\s+for\s+(?:effort|trying)\b"
    r"|(?:^|(?<=[.!?]\s))(?:cute|adorable|precious|riveting|thrilling|gripping|groundbreaking)"
    r"(?:,?\s+(?:really|truly|honestly|stuff))?\s*[.!]"
    # the listener as a nuisance or a joke
    r"|\bwe\s+get\s+it\b|\bdon'?t\s+answer\s+that\b|\bdidn'?t\s+think\s+so\b"
    r"|\bpoor\s+(?:them|things?|neighbou?rs|ears|speakers|headphones)\b"
    r"|\b(?:your|the)\s+neighbou?rs\s+(?:send|sent|say|have|would|must|are|will)\b"
    r"|\b(?:send|sent|sends)\s+(?:their|its|his|her)\s+(?:regards|condolences|sympathies|"
    r"apologies)\b|\battention\s+span\s+of\s+a\b|\b(?:would\s+like|wants?|wanted)\s+a\s+word\b"
    r"|\bheard\s+of\s+other\s+(?:songs|artists|music|bands|genres)\b|\bother\s+(?:songs|artists|"
    r"music)\s+(?:exist|exists)\b|\bhow\s+many\s+did\s+you\s+(?:actually|really|even)\b"
    r"|\blearn\s+to\s+commit\b|\byou'?ll\s+never\s+(?:cook|make|finish|use|read|try|learn)\b"
    # the social life, by way of a joke
    r"|\bnothing\s+says\s+(?:\w+\s+)?social\s+life\b|\b(?:truly|really|quite|such)\s+the\s+"
    r"(?:life|soul)\s+of\s+the\s+party\b|\bget\s+a\s+word\s+in\b|\bin\s+your\s+life\s+who\b"
    r"|\b(?:call|phone|text|talk\s+to)\s+a\s+(?:human|real\s+person|living\s+person)\b"
    r"|\blet\s+the\s+sun\s+see\s+you\b|\bsun\s+(?:misses|hasn'?t\s+seen)\s+you\b"
    r"|\bor\s+just\s+(?:the\s+)?(?:hosts|podcasters|voices|headphones)\b"
    r"|\bsad\s+(?:little\s+)?(?:desk\s+)?(?:lunch|lunches|dinners?|commutes?)\b"
    r"|\bfor\s+someone\s+with,?\s+(?:presumably,?\s+)?(?:a\s+job|a\s+life|friends|a\s+social\s+"
    r"life|responsibilities)\b|\bimagine\s+explaining\s+(?:this|that|it|all\s+this)\b"
    r"|\b(?:friends|sleep|daylight|silence|variety|other\s+(?:genres|songs|artists))\s+(?:are|is)\s+"
    r"a\s+thing\b|\blook\s+into\s+it\s*[.!]|\bwho\s+needs\s+(?:plans|friends|a\s+life|sleep|"
    r"variety|other\s+people)\b|\bsome\s+people\s+(?:went\s+out|had\s+plans|saw\s+(?:their\s+)?"
    r"friends|left\s+the\s+house)\b|\b(?:basic|predictable|boring|obsessed|repetitive|"
    r"dramatic)\?\s+(?:maybe|perhaps|definitely|absolutely|yes|obviously)\b"
    r"|\bwe\s+won'?t\s+mention\b|\bnot\s+everyone\s+(?:could|would)\s+admit\b"
    r"|\bso\s+are\s+we\s*[.!]|\balgorithm\s+is\s+(?:tired|exhausted|bored|begging|crying)\b"
    r"|\b(?:admire|respect|salute)\s+the\s+(?:commitment|dedication)\s+to\s+(?:never|not|"
    r"avoiding)\b"
    # a question the writer answers against the listener ("Other bands exist? Apparently not.")
    r"|\?\s+(?:apparently|clearly|evidently|obviously|guess)\s+not\b"
    # the writer's "us" against the listener ("some of us have jobs")
    r"|\b(?:some|the\s+rest|most)\s+of\s+us\s+(?:(?:have|had|need)\s+(?:(?:actual|real|day)\s+)?"
    r"(?:jobs?|lives|a\s+life|plans|friends|work|places\s+to\s+be|things\s+to\s+do)|(?:go|went|get|"
    r"got)\s+(?:out|outside|to\s+work|to\s+bed)|sleep)\b"
    r"|\bclearly\s+not\s+all\s+of\s+us\b"
    # a bond with the hosts or the playlist that is only one way, a diagnosis as a joke
    r"|\b(?:say\s+(?:hi|hello)\s+back|know\s+you\s+exist|one-?way\s+(?:friendship|relationship)|"
    r"parasocial)\b|\b(?:trust|commitment|abandonment|attachment)\s+issues\b"
    r"|\bnothing\s+says\b[^.!?]{0,60}\b(?:alone|by\s+yourself|on\s+your\s+own)\b",
    re.IGNORECASE,
)
#: run only with the branches whose required strings a text holds (`Guarded`)
SARCASM = Guarded(_SARCASM_RE)


def sarcasm(text: str) -> list[str]:
    """The sarcastic and condescending forms in `text`."""
    if not SARCASM.possible(text):
        return []
    return [m.group(0).strip() for m in SARCASM.finditer(text)]
