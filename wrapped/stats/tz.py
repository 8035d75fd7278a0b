"""Time zones and locales: which local clock a listener's days are cut by.

A day is a LOCAL day. Each listener's zone is resolved once, in this order, and the source is
recorded on the UserYear (`tz_source`) so reviewers can see why a day was cut where it was:

1. ``override`` - ``settings.tz`` (``--tz``), for everyone;
2. ``profile``  - the profile's IANA ``timezone`` when it is a valid zone;
3. ``country``  - the main (most populous) zone of the listener's country (profile country, else
   the most frequent ``country`` on their events, ties broken alphabetically);
4. ``utc``      - nothing known.

Conversion is vectorized per zone (one ``tz_convert`` per distinct zone, never per event), so
DST change days get 23 or 25 hours exactly as the zone database says.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from wrapped.errors import ConfigError

#: ISO 3166-1 alpha-2 -> the zone most of the country's population lives in.
COUNTRY_ZONES: dict[str, str] = {
    "AD": "Europe/Andorra", "AE": "Asia/Dubai", "AR": "America/Argentina/Buenos_Aires",
    "AT": "Europe/Vienna", "AU": "Australia/Sydney", "BA": "Europe/Sarajevo",
    "BD": "Asia/Dhaka", "BE": "Europe/Brussels", "BG": "Europe/Sofia", "BH": "Asia/Bahrain",
    "BO": "America/La_Paz", "BR": "America/Sao_Paulo", "BY": "Europe/Minsk",
    "CA": "America/Toronto", "CH": "Europe/Zurich", "CL": "America/Santiago",
    "CN": "Asia/Shanghai", "CO": "America/Bogota", "CR": "America/Costa_Rica",
    "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen", "DO": "America/Santo_Domingo", "DZ": "Africa/Algiers",
    "EC": "America/Guayaquil", "EE": "Europe/Tallinn", "EG": "Africa/Cairo",
    "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris",
    "GB": "Europe/London", "GH": "Africa/Accra", "GR": "Europe/Athens",
    "GT": "America/Guatemala", "HK": "Asia/Hong_Kong", "HN": "America/Tegucigalpa",
    "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "ID": "Asia/Jakarta",
    "IE": "Europe/Dublin", "IL": "Asia/Jerusalem", "IN": "Asia/Kolkata",
    "IQ": "Asia/Baghdad", "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome",
    "JM": "America/Jamaica", "JO": "Asia/Amman", "JP": "Asia/Tokyo", "KE": "Africa/Nairobi",
    "KR": "Asia/Seoul", "KW": "Asia/Kuwait", "KZ": "Asia/Almaty", "LB": "Asia/Beirut",
    "LI": "Europe/Vaduz", "LK": "Asia/Colombo", "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MA": "Africa/Casablanca",
    "MC": "Europe/Monaco", "MT": "Europe/Malta", "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur", "NG": "Africa/Lagos", "NI": "America/Managua",
    "NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "NP": "Asia/Kathmandu",
    "NZ": "Pacific/Auckland", "OM": "Asia/Muscat", "PA": "America/Panama", "PE": "America/Lima",
    "PH": "Asia/Manila", "PK": "Asia/Karachi", "PL": "Europe/Warsaw",
    "PR": "America/Puerto_Rico", "PT": "Europe/Lisbon", "PY": "America/Asuncion",
    "QA": "Asia/Qatar", "RO": "Europe/Bucharest", "RS": "Europe/Belgrade",
    "RU": "Europe/Moscow", "SA": "Asia/Riyadh", "SE": "Europe/Stockholm",
    "SG": "Asia/Singapore", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava",
    "SV": "America/El_Salvador", "TH": "Asia/Bangkok", "TN": "Africa/Tunis",
    "TR": "Europe/Istanbul", "TW": "Asia/Taipei", "TZ": "Africa/Dar_es_Salaam",
    "UA": "Europe/Kyiv", "UG": "Africa/Kampala", "US": "America/New_York",
    "UY": "America/Montevideo", "VE": "America/Caracas", "VN": "Asia/Ho_Chi_Minh",
    "ZA": "Africa/Johannesburg",
}  # fmt: skip

#: Countries whose English spelling/vocabulary follows British usage ("favourite", "colour").
_EN_GB = frozenset("GB IE AU NZ IN ZA SG HK MY MT CY KE NG GH UG TZ PK LK BD JM".split())
_EN_OTHER = {"US": "en-US", "CA": "en-CA", "PR": "en-US", "PH": "en-US"}


def locale_for(country: str | None) -> str:
    """English locale for prompts: en-GB for Commonwealth-style spelling, en-CA, else en-US."""
    if not country:
        return "en-US"
    c = country.upper()
    if c in _EN_GB:
        return "en-GB"
    return _EN_OTHER.get(c, "en-US")


@lru_cache(maxsize=4096)
def valid_zone(name: str | None) -> str | None:
    """The zone name if the zone database knows it, else None (never raises)."""
    if not name or not isinstance(name, str):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


def check_override(tz: str | None) -> str | None:
    """Validate ``--tz``: an unknown zone is the user's mistake, said in one line."""
    if tz is None:
        return None
    zone = valid_zone(tz)
    if zone is None:
        raise ConfigError(f"--tz {tz!r} is not a known IANA time zone (e.g. Europe/London)")
    return zone


def resolve_zones(
    override: str | None, profile_tz: list[str | None], country: list[str | None]
) -> tuple[list[str], list[str]]:
    """Per listener: (zone, source) following the documented order."""
    zones: list[str] = []
    sources: list[str] = []
    for ptz, ctry in zip(profile_tz, country, strict=True):
        if override is not None:
            zones.append(override)
            sources.append("override")
            continue
        z = valid_zone(ptz)
        if z is not None:
            zones.append(z)
            sources.append("profile")
            continue
        cz = COUNTRY_ZONES.get(ctry.upper()) if ctry else None
        if cz is not None:
            zones.append(cz)
            sources.append("country")
        else:
            zones.append("UTC")
            sources.append("utc")
    return zones, sources


def local_wall_ns(ts_utc_ns: np.ndarray, zone_code: np.ndarray, zones: list[str]) -> np.ndarray:
    """Local wall-clock time (ns since the epoch, as if UTC) of each event.

    `zone_code[i]` indexes `zones`. One vectorized conversion per distinct zone.
    """
    out = np.empty_like(ts_utc_ns)
    if len(ts_utc_ns) == 0:
        return out
    present = np.flatnonzero(np.bincount(zone_code, minlength=len(zones)))
    if len(present) == 1:
        idx = pd.DatetimeIndex(ts_utc_ns.view("M8[ns]"), tz="UTC")
        return np.asarray(idx.tz_convert(zones[present[0]]).tz_localize(None).asi8)
    small = zone_code.astype(np.int16) if len(zones) < 2**15 else zone_code
    order = np.argsort(small, kind="stable")  # 16-bit keys: numpy radix-sorts them
    bounds = np.searchsorted(zone_code[order], np.arange(len(zones) + 1))
    for z in present:
        sel = order[bounds[z] : bounds[z + 1]]
        idx = pd.DatetimeIndex(ts_utc_ns[sel].view("M8[ns]"), tz="UTC")
        out[sel] = idx.tz_convert(zones[z]).tz_localize(None).asi8
    return out
