"""Thin adapters between messaging platforms and the channel-neutral core.

An adapter only translates: platform updates become ``Update``/``Incoming`` handed to the
core's sink (``bot.core.contract.Sink``), and a ``Reply`` becomes the platform's calls.
It never imports ``models``, ``bot.db`` or ``bot.services`` (tests/test_import_rules.py).
Each channel named in ``bot.core.capabilities.KNOWN`` is a module or folder here with a
``from_settings`` that builds its adapter (``bot.cli.run.configured_channels``).
"""
