"""Moved to ``dkdesk.catalogue.expr`` (the plan loader checks expressions, and the catalogue sits
below the indicators). Kept for the GUI's contribution dialog until it imports the new home."""
from __future__ import annotations

from dkdesk.catalogue.expr import (  # noqa: F401 - re-exported
    BinOp,
    Cmp,
    Cond,
    Count,
    ExprError,
    Node,
    Num,
    Scope,
    Sum,
    fields_read,
    parse,
    scopes,
)
