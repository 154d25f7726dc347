"""Thin adapters between messaging platforms and the channel-neutral core."""
