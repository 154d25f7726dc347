"""Sinh kế bot."""
