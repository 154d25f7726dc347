"""The TCP proxy the outage tests cut: it forwards, cuts live connections, refuses new
ones while cut, and forwards again once restored."""

from __future__ import annotations

import asyncio

from tests.e2e.tcp_proxy import TcpProxy


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(1024):
        writer.write(data)
        await writer.drain()
    writer.close()


async def closed(reader: asyncio.StreamReader) -> bool:
    """The other end closed the connection (end of stream, or a reset)."""
    try:
        return await reader.read(1024) == b""
    except ConnectionResetError:
        return True


async def test_cut_and_restore() -> None:
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    async with server, TcpProxy("127.0.0.1", server.sockets[0].getsockname()[1]) as proxy:
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writer.write(b"xin chao")
        assert await reader.readexactly(8) == b"xin chao"

        await proxy.cut()
        assert await closed(reader)  # the live connection is closed
        writer.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        assert await closed(reader)  # and a new one at once
        writer.close()
        assert proxy.refused == 1

        proxy.restore()
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writer.write(b"lai roi")
        assert await reader.readexactly(7) == b"lai roi"
        writer.close()
