"""The test session's network guard: nothing in the pytest process reaches beyond loopback.

CONVENTIONS.md: tests never reach the network (pydantic-ai's `ALLOW_MODEL_REQUESTS = False`).
A forgotten base URL, a library's telemetry or a DNS lookup would otherwise pass unnoticed on a
developer's machine and hang or fail only in an offline CI. `tests/conftest.py` arms this guard
for the whole session.

It is a `sys.addaudithook` hook rather than a patched `socket.socket.connect`: CPython raises
the `socket.connect`, `socket.sendto`, `socket.getaddrinfo`, ... audit events inside the C socket
module, so every path is covered — asyncio's non-blocking connects, aiohttp's resolver thread,
sockets made from `_socket` directly, UDP datagrams sent without a connect. What it cannot see:
other processes (subprocesses, Ray workers and Ray's own C++ gRPC traffic), and name lookups
made in C by an extension module without Python's socket module.

A refused access raises `NetworkBlocked`, an `OSError` with `errno.ENETUNREACH`: libraries
handle it as they would an offline machine (Ray, for one, then takes 127.0.0.1 as its node
address), and the message names the host so the test that tried is easy to find.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
from typing import Any

#: host names that never leave the machine (an IP literal is judged by `is_loopback`)
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_FAMILIES = (socket.AF_INET, socket.AF_INET6)
_ARMED: dict[str, bool] = {"on": False}


class NetworkBlocked(OSError):
    """A test tried to reach a host beyond loopback."""

    def __init__(self, event: str, host: str) -> None:
        super().__init__(
            errno.ENETUNREACH,
            f"network guard (tests/_netguard.py): {event} to {host!r} refused — tests reach "
            "only 127.0.0.1 (use the scripted server, wrapped.testing.ScriptedServer)",
        )
        self.event = event
        self.host = host


def is_loopback(host: object) -> bool:
    """True for a loopback IP literal (127.0.0.0/8, ::1, ::ffff:127.x) or `localhost`."""
    if host is None or host == "":
        return True  # getaddrinfo(None, port): the wildcard/loopback address, no lookup
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).rstrip(".").lower()
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name: its lookup would ask a DNS server


def _is_ip_literal(host: object) -> bool:
    try:
        ipaddress.ip_address(str(host).split("%", 1)[0])
    except ValueError:
        return False
    return True


def _blocked_host(event: str, args: tuple[Any, ...]) -> str | None:
    """The non-loopback host an audited socket event would reach, else None."""
    if event in ("socket.connect", "socket.sendto"):
        sock, address = args[0], args[-1]
        if sock.family in _FAMILIES and isinstance(address, tuple) and address:
            return None if is_loopback(address[0]) else str(address[0])
        return None
    if event == "socket.sendmsg":
        sock, address = args
        if address is not None and sock.family in _FAMILIES and isinstance(address, tuple):
            return None if is_loopback(address[0]) else str(address[0])
        return None
    if event == "socket.getaddrinfo":
        host = args[0]
        # an IP literal resolves without asking anyone; connecting to it is judged above
        return None if is_loopback(host) or _is_ip_literal(host) else str(host)
    if event == "socket.gethostbyname":
        (host,) = args
        return None if is_loopback(host) or _is_ip_literal(host) else str(host)
    if event in ("socket.gethostbyaddr", "socket.getnameinfo"):
        # a reverse lookup asks a DNS server even for an IP literal
        host = args[0][0] if event == "socket.getnameinfo" else args[0]
        return None if is_loopback(host) else str(host)
    return None


def _other_guard_armed() -> bool:
    """tests/_gate_helpers.offline_guard() records the attempts it blocks with its own hook,
    added after this one; while it is armed it refuses the same accesses, so this hook stands
    aside and lets it record them."""
    helpers = sys.modules.get("_gate_helpers")
    guard = getattr(helpers, "_GUARD", None)
    return isinstance(guard, dict) and bool(guard.get("armed"))


def _hook(event: str, args: tuple[Any, ...]) -> None:
    # Called for every audited event in the process (imports, open(), pickle, ...): return
    # at once for anything that is not a socket event.
    if not _ARMED["on"] or not event.startswith("socket."):
        return
    host = _blocked_host(event, args)
    if host is not None and not _other_guard_armed():
        raise NetworkBlocked(event, host)


_INSTALLED: list[bool] = []


def arm() -> None:
    """Refuse non-loopback access from now on (an audit hook cannot be removed: `disarm` only
    switches it off)."""
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED.append(True)
    _ARMED["on"] = True


def disarm() -> None:
    _ARMED["on"] = False
