"""Fail any test that tries to reach past this machine.

Once installed, ``socket.socket.connect`` / ``connect_ex`` on an IPv4 or IPv6 socket raise
``NetworkAccessBlocked`` (naming the address) unless the address is loopback (127.0.0.0/8, ::1,
``localhost``) or unspecified (0.0.0.0, ::, which connect locally); unix sockets and other
families are left alone. ``socket.getaddrinfo`` refuses any other host name, so no DNS query
leaves either. asyncio and aiohttp connect through these, so they are covered too.

Every blocked attempt is also noted, and the autouse fixture fails the test after it ends even if
the code under test caught the error (a bot retrying quietly would otherwise pass).

Register it from the top-level ``tests/conftest.py`` with one line::

    pytest_plugins = ["tests.standins.network_guard"]

(``pytest_configure`` installs the guard before collection; ``network_guard`` is autouse.)

A monkeypatch reaches only this process. A bot started as a subprocess (``sinhke run``) is not
guarded: its configuration must point at the local stand-ins only (Telegram ``api_base`` and the
Zalo base URL set to the stand-in's ``base_url``), which is what the end-to-end tests do.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest


class NetworkAccessBlocked(RuntimeError):
    """A test tried to open a connection to, or look up, something not on this machine.

    Not an ``OSError``: code that handles network errors must not swallow it as one.
    """


attempts: list[str] = []  # what was blocked since the current test began
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_installed = False


def is_local(host: str) -> bool:
    """True for a loopback or unspecified address, or a name that means this machine."""
    if host in _LOCAL_NAMES or host.endswith(".localhost") or host == socket.gethostname():
        return True
    try:
        address = ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def _block(what: str) -> NoReturn:
    attempts.append(what)
    msg = f"network access blocked in tests: {what} is not on this machine (only loopback is)"
    raise NetworkAccessBlocked(msg)


def _check(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(str(address[0])):
        _block(f"{address[0]}:{address[1]}")


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if not is_local(name) and not _is_ip(name):
            _block(f"DNS lookup of {name}")
    return _real_getaddrinfo(host, *args, **kwargs)


def _is_ip(name: str) -> bool:
    """An address literal needs no lookup; connecting to it is checked on connect."""
    try:
        ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        return False
    return True


def install_network_guard() -> None:
    """Patch the socket module for the rest of this process (idempotent)."""
    global _installed
    if _installed:
        return
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign, assignment]
    socket.getaddrinfo = _guarded_getaddrinfo
    _installed = True


def pytest_configure(config: pytest.Config) -> None:
    install_network_guard()


@pytest.fixture(autouse=True)
def network_guard() -> Iterator[None]:
    """Fail the test if it tried to reach the network, even when the error was caught."""
    install_network_guard()
    attempts.clear()
    yield
    if attempts:
        blocked = "; ".join(dict.fromkeys(attempts))
        attempts.clear()
        pytest.fail(f"the test tried to reach the network: {blocked}", pytrace=False)
