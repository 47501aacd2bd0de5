"""The Qt-free core: one ``Desk`` owns the database; operations return plain dataclasses."""
from __future__ import annotations
