"""Registered validation rules (being written)."""
