"""Widgets of the assistant."""
