"""Dosewise: psychiatric medication management."""

__version__ = "0.1.0"
