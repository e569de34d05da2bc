"""Registered computed fields and figure sections (being written)."""
