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


def scrub(label: str, identities: dict[str, str]) -> str:
    """Replace raw identities (account/folder names) in a file label by their pseudonyms.

    Export file names can carry the account name (ListenBrainz names its zip after the user);
    labels end up in `source`, rejects and the report, so they must not.
    """
    for raw, pseudo in sorted(identities.items(), key=lambda kv: -len(kv[0])):
        if len(raw) >= 3:
            label = re.sub(re.escape(raw), pseudo, label, flags=re.IGNORECASE)
    return label
