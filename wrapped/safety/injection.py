"""Injection forms: imperatives aimed at the model, in any paraphrase (see `wrapped.safety.forms`).

A verb of dismissal with its object (ignore + rules), a verb of disclosure with what is hidden
(reveal + system message), role prefixes ("SYSTEM:", "Assistant,"), the same in the languages of
the listeners' markets, and encoded payloads (base64, rot13, hex) with a request to decode and
follow them; decoded payloads are screened too.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from wrapped.safety.encoded import (
    ENCODED_WORD,
    OBEY_WORD,
    decoded_payloads,
    has_long_run,
    percent_decoded,
)
from wrapped.safety.required import Guarded, char_gate
from wrapped.safety.stems import Stems, any_stem

_W = r"(?:\s+[\w'’-]+){0,5}?\s+"
_INJ_STEMS = (
    "drop",
    "remove",
    "lift",
    "reset",
    "clear",
    "wipe",
    "ditch",
    "toss",
    "delete",
    "skip",
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


INJ_STEMS = Stems(_INJ_STEMS)
ROLE_STEMS = Stems(_ROLE_STEMS)
ENC_STEMS = Stems(_ENC_STEMS)

_DISMISS = (
    r"ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|bypass|"
    r"circumvent|abandon|discard|set\s+aside|throw\s+out|scrap|suspend|disable|"
    r"turn\s+off|stop\s+following|no\s+longer\s+follow|don'?t\s+follow|do\s+not\s+follow|"
    r"pay\s+no\s+attention\s+to|drop|remove|lift|reset|clear|wipe|ditch|toss|delete|skip"
)
_RULES = (
    r"instructions?|directions?|directives?|rules?|guidelines?|guardrails?|prompts?|programming|"
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
    r"credentials|hidden\s+text|pre-?prompt|(?:hidden|secret|internal|initial|original)\s+"
    r"set-?up(?:\s+text)?"
)
INJECTION_RE = re.compile(
    rf"\b(?:{_DISMISS})(?:{_W}|\s+)(?:all\s+|any\s+|your\s+|the\s+|my\s+|previous\s+|prior\s+"
    rf"|earlier\s+|above\s+|preceding\s+|former\s+|original\s+|those\s+|these\s+|every\s+"
    rf"|each\s+|single\s+)*(?:{_RULES})\b"
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
    r"(?:^|[\n.!?\"“”#]\s*|\(\s*)(?:system|assistant|developer|admin|administrator|ai|model|bot|"
    r"chatbot|gpt|llm|sys|operator|user|instruction|instructions)\s*(?::|,\s*(?:ignore|disregard|"
    r"forget|reveal|print|you\s+(?:must|will|are|should)|please|stop|now|drop|from))"
    r"|\[/?(?:inst|system|sys)\]|<\|?(?:system|im_start|im_end)\|?>|<</?sys>>",
)
#: the patterns, each run only with the branches whose required strings a story holds
_INJECTION_FORMS = Guarded(INJECTION_RE)
_ROLE_FORMS = Guarded(ROLE_RE)
_JA_RE = re.compile(
    r"(?:指示|命令|ルール|規則|指令|設定|プロンプト|ガイドライン)[をはも]?(?:すべて|全て|全部)?"
    r"(?:無視|忘れ|破棄|上書き)|(?:システム|隠し|秘密の?)(?:プロンプト|メッセージ|指示)"
    r"|(?:以前|前|上記)の指示|新しい指示|(?:无视|忽略)(?:之前|以前|所有)?的?(?:指令|指示|规则)"
    r"|시스템\s*프롬프트|지시(?:를|사항을)?\s*(?:모두\s*|전부\s*)?무시"
    # Hindi, Hebrew (the text is NFC again when these run)
    r"|(?:निर्देश\w*|नियम\w*)[^.!?।\n]{0,20}(?:अनदेखा|नज़रअंदाज़|भूल)|सिस्टम\s*(?:प्रॉम्प्ट|संदेश)"
    r"|(?:התעלם|התעלמי|התעלמו|שכח|שכחי)[^.!?\n]{0,30}(?:הוראות|הנחיות|כללים)|הנחיות\s+המערכת"
    # Arabic, Russian, Thai
    r"|(?:تجاهل|تجاهلي|تجاهلوا|انس|انسى|أهمل)[^.!?\n]{0,30}(?:التعليمات|تعليمات|الأوامر|القواعد)"
    r"|(?:موجه|رسالة|تعليمات)\s+النظام"
    r"|(?:игнорируй|игнорируйте|забудь|забудьте|отмени|отбрось)[^.!?\n]{0,30}"
    r"(?:инструкци|правил|указани)|системн(?:ый|ое|ые)\s+(?:промпт|сообщени|инструкци)"
    r"|(?:เพิกเฉย|ละเว้น|ลืม|ไม่ต้องสนใจ)[^.!?\n]{0,30}(?:คำสั่ง|คำแนะนำ|กฎ)|(?:ข้อความ|พรอมต์)ระบบ"
)
#: instructions declared void, or the model told there are none: "the rules no longer apply",
#: "pretend there are no rules", "act without limits"; Vietnamese (read folded, accents gone)
_VOID_RE = re.compile(
    r"\b(?:rules|instructions?|directions|directives|guidelines|restrictions|filters?|guardrails|"
    r"limits)\s+(?:(?:are|is)\s+(?:now\s+)?(?:overboard|void|cancel+ed|off|gone|suspended|lifted|"
    r"null|lifted|over)|(?:no\s+longer|don'?t|do\s+not)\s+apply)\b"
    r"|\bpretend\s+(?:that\s+)?(?:there\s+are|you\s+have)\s+no\s+(?:rules|limits|guidelines|"
    r"filters|restrictions)\b|\bact\s+(?:without|with\s+no)\s+(?:any\s+)?(?:limits|restrictions|"
    r"rules|filters|guardrails)\b"
    r"|\bbo\s+qua\b[^.!?\n]{0,30}\b(?:huong\s+dan|chi\s+dan|quy\s+tac)\b|\bloi\s+nhac\s+he\s+thong\b"
)
_VOID_FORMS = Guarded(_VOID_RE)
#: the story doing what an instruction asked: "as requested", "here are the hidden
#: instructions", "we'll set our instructions aside", a role block in JSON, a pirate poem
_OBEYED_RE = re.compile(
    r"\bas\s+(?:you\s+|the\s+(?:system|user|title|listener)\s+)?(?:requested|instructed|commanded|"
    r"demanded)\b|\b(?:hidden|secret|original|internal)\s+(?:prompt|instructions?|setup|rules|"
    r"message)\b|\bsetup\s+(?:text|prompt|instructions)\b|\b(?:set|put|push|leave|lay)\s+"
    r"(?:our|my|the|its|these|those)\s+(?:instructions|guidelines|rules|orders)\s+aside\b"
    r"|\"role\"\s*:\s*\"(?:system|assistant|developer|tool)\"|\b(?:poem|verse|lines|song|"
    r"limerick|haiku|shanty)\s+about\s+pirates\b|\bahoy\b|\bmatey\b|\bshiver\s+me\s+timbers\b",
    re.IGNORECASE,
)
_OBEYED_FORMS = Guarded(_OBEYED_RE)
_ENCODED_FORMS = Guarded(ENCODED_WORD)
_VOID_STEMS = Stems(("rules", "instruc", "direct", "guideline", "restrict", "filter", "guardrail",
                     "limits", "pretend", "bo qua", "loi nhac"))  # fmt: skip


#: a character every match of `_JA_RE` holds: a text that is not ASCII for an em dash or an
#: accent holds none, and is not searched (the pattern is tried at every character)
_JA_GATE = char_gate(_JA_RE)


def _other_scripts(text: str) -> list[str]:
    """`_JA_RE`'s matches in `text`."""
    if _JA_GATE is not None and _JA_GATE.search(text) is None:
        return []
    return [m.group(0) for m in _JA_RE.finditer(text)]


def injection(text: str, raw: str | None = None) -> list[str]:
    """Instruction-like spans in `text` (the folded view; see module doc). `raw`: the text as
    written, for payloads whose case matters (base64). A family's patterns run where one of
    its branches can match and the text holds one of its stems (`wrapped.safety.stems`)."""
    raw = text if raw is None else raw
    hits = []
    if _INJECTION_FORMS.possible(text) and any_stem(text, INJ_STEMS):
        hits += [m.group(0).strip() for m in _INJECTION_FORMS.finditer(text)]
    if _ROLE_FORMS.possible(text) and any_stem(text, ROLE_STEMS):
        hits += [m.group(0).strip(' \n.!?"“”(') for m in _ROLE_FORMS.finditer(text)]
    if _VOID_FORMS.possible(text) and any_stem(text, _VOID_STEMS):
        hits += [m.group(0).strip() for m in _VOID_FORMS.finditer(text)]
    if _OBEYED_FORMS.possible(text):
        hits += [m.group(0).strip() for m in _OBEYED_FORMS.finditer(text)]
    if not text.isascii():  # folding split Hangul into letters: the other scripts read as written
        hits += _other_scripts(unicodedata.normalize("NFC", text))
        if raw is not None and raw != text:  # folding also drops Thai and Arabic vowel marks
            hits += _other_scripts(unicodedata.normalize("NFC", raw))
    decoded = percent_decoded(raw)
    if decoded is not None and (
        INJECTION_RE.search(decoded.lower()) or _VOID_RE.search(decoded.lower())
    ):
        hits.append(f"encoded instruction: '{decoded.lower()[:60]}'")
    enc = None
    if _ENCODED_FORMS.possible(text) and any_stem(text, ENC_STEMS):
        enc = _ENCODED_FORMS.search(text)
    if enc:
        for e in ENCODED_WORD.finditer(text):
            if OBEY_WORD.search(text, max(0, e.start() - 120), e.end() + 120):
                hits.append(f"encoded payload to follow: '{e.group(0)}'")
                break
        rot = codecs.decode(text, "rot13")
        for payload in [*decoded_payloads(raw), rot]:
            if INJECTION_RE.search(payload) or ROLE_RE.search(payload):
                hits.append(f"encoded instruction: '{payload[:60]}'")
                break
    elif has_long_run(raw):
        for payload in decoded_payloads(raw):
            if INJECTION_RE.search(payload) or ROLE_RE.search(payload):
                hits.append(f"encoded instruction: '{payload[:60]}'")
    return list(dict.fromkeys(h for h in hits if h))
