"""Keeping figures safe: backups, restore, integrity checks, one writer at a time."""
from __future__ import annotations
