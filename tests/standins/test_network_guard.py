"""The network guard blocks what is not on this machine and lets loopback and unix sockets be.

The real connect and lookup are replaced by fakes in the blocked cases, so that even a broken
guard sends nothing anywhere.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession

from tests.standins import network_guard
from tests.standins.network_guard import NetworkAccessBlocked, is_local
from tests.standins.telegram import TelegramStandin


@pytest.fixture
def fake_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What reached the real connect / getaddrinfo (nothing should)."""
    reached: list[Any] = []
    monkeypatch.setattr(
        network_guard, "_real_connect", lambda sock, address: reached.append(address)
    )
    monkeypatch.setattr(
        network_guard, "_real_connect_ex", lambda sock, address: reached.append(address)
    )
    monkeypatch.setattr(
        network_guard, "_real_getaddrinfo", lambda *args, **kw: reached.append(args)
    )
    return reached


@pytest.mark.parametrize(
    ("family", "address"),
    [(socket.AF_INET, ("192.0.2.10", 443)), (socket.AF_INET6, ("2001:db8::1", 443, 0, 0))],
)
def test_connect_to_another_machine_is_blocked(
    fake_network: list[Any], family: socket.AddressFamily, address: tuple[Any, ...]
) -> None:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        with pytest.raises(NetworkAccessBlocked, match=re.escape(address[0])):
            sock.connect(address)
        with pytest.raises(NetworkAccessBlocked):
            sock.connect_ex(address)
    assert fake_network == []
    assert network_guard.attempts == [f"{address[0]}:443"] * 2
    network_guard.attempts.clear()  # expected here; the fixture would fail the test otherwise


def test_dns_lookup_of_another_host_is_blocked(fake_network: list[Any]) -> None:
    with pytest.raises(NetworkAccessBlocked, match=r"api\.telegram\.org"):
        socket.getaddrinfo("api.telegram.org", 443)
    socket.getaddrinfo("localhost", 80)
    socket.getaddrinfo("127.0.0.1", 80)
    assert len(fake_network) == 2
    network_guard.attempts.clear()


def test_local_names_and_addresses() -> None:
    for host in ["127.0.0.1", "127.3.2.1", "::1", "localhost", "0.0.0.0", "::ffff:127.0.0.1"]:
        assert is_local(host), host
    for host in ["10.0.0.1", "192.168.1.1", "8.8.8.8", "api.telegram.org", "::ffff:8.8.8.8"]:
        assert not is_local(host), host


async def test_loopback_and_unix_sockets_are_allowed(tmp_path: Path) -> None:
    async with TelegramStandin() as tg, ClientSession() as http:
        async with http.get(f"{tg.base_url}/_control/stats") as resp:
            assert resp.status == 200
        async with http.get(f"http://localhost:{tg.port}/_control/stats") as resp:
            assert resp.status == 200

    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen()
        client.connect(path)
    assert network_guard.attempts == []


def test_the_plugin_fails_a_test_that_swallowed_the_error(tmp_path: Path) -> None:
    """Registered as a plugin, the guard fails a test whose code caught the error quietly."""
    (tmp_path / "test_quiet.py").write_text(
        textwrap.dedent(
            """
            import socket
            from tests.standins import network_guard

            def test_retries_quietly(monkeypatch):
                monkeypatch.setattr(network_guard, "_real_getaddrinfo", lambda *a, **k: [])
                try:
                    socket.getaddrinfo("api.telegram.org", 443)
                except RuntimeError:
                    pass  # as a bot retrying forever might
            """
        )
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.standins.network_guard",
            "-p",
            "no:cacheprovider",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(repo), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the test tried to reach the network: DNS lookup of api.telegram.org" in result.stdout
