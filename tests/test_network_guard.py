"""The session's network guard (tests/conftest.py, tests/_netguard.py) is armed in every test."""

from __future__ import annotations

import asyncio
import socket

import pytest
from _netguard import NetworkBlocked


def test_a_connection_beyond_loopback_is_refused_with_a_clear_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        with pytest.raises(NetworkBlocked, match=r"network guard .*'8\.8\.8\.8' refused"):
            s.connect(("8.8.8.8", 53))
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("8.8.8.8", 53), timeout=0.5)


def test_udp_datagrams_and_name_lookups_beyond_loopback_are_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        with pytest.raises(NetworkBlocked):
            s.sendto(b"\0", ("8.8.8.8", 53))  # a DNS query needs no connect()
    with pytest.raises(NetworkBlocked, match="api.openai.com"):
        socket.getaddrinfo("api.openai.com", 443)


def test_asyncio_connections_beyond_loopback_are_refused() -> None:
    async def dial() -> None:
        await asyncio.wait_for(asyncio.open_connection("8.8.8.8", 53), timeout=1)

    with pytest.raises(NetworkBlocked):
        asyncio.run(dial())


def test_loopback_stays_open() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        socket.create_connection(("localhost", port), timeout=1).close()
    assert socket.getaddrinfo("localhost", 80)
