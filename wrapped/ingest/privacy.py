"""Privacy at the door: pseudonymous listener ids and file labels that name nobody.

The raw account name (or folder name) is hashed with a keyed HMAC before anything leaves ingest;
without the salt the id cannot be reversed or recomputed from a guessed name. Private fields
(IP, user agent, e-mail, device, offline timestamps, account names) are never read into a
column in the first place: every reader lists the fields it keeps, not the ones it drops.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from pydantic import SecretStr

_PSEUDO = re.compile(r"^u_[0-9a-f]{16}$")

#: Fields of the real exports that must never reach an output (kept here for tests and docs).
PRIVATE_FIELDS = frozenset(
    {
        "ip_addr",
        "ip_addr_decrypted",
        "user_agent_decrypted",
        "username",
        "user_name",
        "platform",
        "offline",
        "offline_timestamp",
        "email",
        "postalCode",
        "mobileNumber",
        "mobileOperator",
        "mobileBrand",
        "facebookUid",
        "gender",
        "creationTime",
        "createdFromFacebook",
    }
)


def pseudonymize(raw_user: str, salt: str | SecretStr) -> str:
    """Keyed hash of a raw user id: "u_" + 16 hex chars of HMAC-SHA256(salt, raw id)."""
    key = salt.get_secret_value() if isinstance(salt, SecretStr) else salt
    digest = hmac.new(key.encode("utf-8"), raw_user.strip().encode("utf-8"), hashlib.sha256)
    return "u_" + digest.hexdigest()[:16]


def is_pseudonymous(user_id: str) -> bool:
    """True for ids ingest itself produced (canonical inputs keep them instead of re-hashing)."""
    return bool(_PSEUDO.match(user_id))


def ensure_pseudonymous(raw_user: str, salt: str | SecretStr) -> str:
    """Already-pseudonymous ids pass through; anything else is hashed."""
    return raw_user if is_pseudonymous(raw_user) else pseudonymize(raw_user, salt)


#: Personal data a file name can carry besides the listener's name (an upload tool may name a
#: file after the uploader's e-mail or the address it came from).
_PERSONAL = (
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"  # e-mail
    r"|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)"  # IPv4
    r"|(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){3,7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])"  # IPv6
)

_EXTENSION = re.compile(r"\.(?:zip|json|jsonl|csv|parquet|txt)$", re.IGNORECASE)


class Scrubber:
    """Replaces raw identities (account/folder names), e-mails and IP addresses in file labels.

    Export file names can carry the account name (ListenBrainz names its zip after the user);
    labels end up in `source`, rejects and the report, so they must not. One regular expression
    for all identities (longest first): 1,100 listeners once cost 1,100 x 1,100 compiles.
    """

    def __init__(self, identities: dict[str, str], salt: str | SecretStr) -> None:
        names = sorted((r for r in identities if len(r) >= 3), key=lambda r: (-len(r), r))
        self._pseudo = {r.lower(): identities[r] for r in reversed(names)}
        alts = [re.escape(r) for r in names] + [_PERSONAL]
        self._re = re.compile("|".join(f"(?:{a})" for a in alts), re.IGNORECASE)
        self._salt = salt

    def _sub(self, m: re.Match[str]) -> str:
        text = m.group(0)
        known = self._pseudo.get(text.lower())
        if known:
            return known
        ext = _EXTENSION.search(text)  # 'me@mail.example.com.zip': the '.zip' is no address
        cut = ext.start() if ext else len(text)
        return pseudonymize(text[:cut], self._salt) + text[cut:]

    def __call__(self, label: str) -> str:
        return self._re.sub(self._sub, label)


def scrub(label: str, identities: dict[str, str], salt: str | SecretStr = "") -> str:
    """`Scrubber(identities, salt)(label)`, for one label."""
    return Scrubber(identities, salt)(label)
