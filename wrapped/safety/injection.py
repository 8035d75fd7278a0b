"""Injection forms: imperatives aimed at the model, in any paraphrase (see `wrapped.safety.forms`).

A verb of dismissal with its object (ignore + rules), a verb of disclosure with what is hidden
(reveal + system message), role prefixes ("SYSTEM:", "Assistant,"), the same in the languages of
the listeners' markets, and encoded payloads (base64, rot13, hex) with a request to decode and
follow them; decoded payloads are screened too.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

from wrapped.safety.stems import Stems, any_stem, keys_of

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


INJ_STEMS = Stems(_INJ_STEMS)
ROLE_STEMS = Stems(_ROLE_STEMS)
ENC_STEMS = Stems(_ENC_STEMS)

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
    if any_stem(text, INJ_STEMS, keys):
        hits += [m.group(0).strip() for m in INJECTION_RE.finditer(text)]
    if any_stem(text, ROLE_STEMS, keys):
        hits += [m.group(0).strip(' \n.!?"“”(') for m in ROLE_RE.finditer(text)]
    if not text.isascii():
        hits += [m.group(0) for m in _JA_RE.finditer(text)]
    enc = _ENCODED_WORD.search(text) if any_stem(text, ENC_STEMS, keys) else None
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
