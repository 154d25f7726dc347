"""Guard these tests against the network whether or not ``tests/conftest.py`` registers the
``tests.standins.network_guard`` plugin (a fixture defined here and there runs once)."""

from tests.standins.network_guard import network_guard

__all__ = ["network_guard"]
