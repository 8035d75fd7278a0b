"""Knock on an endpoint's door before any work.

A batch run against a mistyped or stopped endpoint used to spend the whole retry budget on
every call of every listener (3 minutes for 2 listeners), then store the embedded writer's
fallback stories and exit 0. One TCP connect to the same host and port says "nobody is there"
in well under a second, before ingest. It proves only that something listens: a wrong key or
model is still found by the first call, which fails fast on its own (401/404 are not retried).
"""

from __future__ import annotations

import socket
import urllib.request
from urllib.parse import urlsplit

from wrapped.errors import ConfigError

#: how long a host may take to accept a TCP connection before the run is refused
PROBE_TIMEOUT_S = 5.0


def knock(host: str, port: int, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """None when `host:port` accepts a TCP connection, else why not (the OS's words)."""
    try:
        socket.create_connection((host.strip("[]"), port), timeout=timeout).close()
    except OSError as exc:
        return exc.strerror or str(exc) or type(exc).__name__
    return None


def check_endpoint(url: str, *, role: str, option: str) -> None:
    """ConfigError (one line) when nothing listens at `url`'s host and port.

    Skipped when a proxy from the environment carries the request: then the host may be out of
    this machine's direct reach and still be served."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return  # the settings refuse such a URL; nothing to knock on
    proxies = urllib.request.getproxies()
    if (proxies.get(parts.scheme) or proxies.get("all")) and not urllib.request.proxy_bypass(host):
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ConfigError(f"{option} {url}: the port is not a number from 0 to 65535") from None
    why = knock(host, port)
    if why is not None:
        raise ConfigError(
            f"cannot reach the {role} at {url} ({option}): {why}; check the address, and that the server is up"
        )
