"""The ``dkdesk`` command line."""
from __future__ import annotations
