"""The executable's own plan, parsed and checked when the executable is built.

Parsing and checking the plan (TOML, every rule, every indicator expression) takes a noticeable
part of the start-up of the one-file program. ``installer/build.py`` therefore writes, beside
each bundled plan file ``X.toml``, ``X.toml.prepared``: the ``Plan`` the loader built from it,
pickled with the SHA-256 of the bytes it came from. ``read_prepared`` uses it only when

- the program runs frozen and the plan file lies inside its own bundle (never a file a user or
  anyone else could have put beside a plan: unpickling runs code), and
- the plan file's bytes still have that SHA-256.

Otherwise (a checkout, ``--plan`` with another file, any doubt) it returns None and the loader
parses as usual. The same build writes both, with the same code, so they cannot disagree.
"""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
import sys
from pathlib import Path

from dkdesk.catalogue.model import Plan

SUFFIX = ".prepared"
_FORMAT = 1


def prepared_path(plan_path: Path) -> Path:
    return plan_path.with_name(plan_path.name + SUFFIX)


def write_prepared(plan_path: Path, target: Path | None = None) -> Path:
    """Parse ``plan_path`` with the loader (raises ``PlanError``) and write its prepared form."""
    from dkdesk.catalogue.loader import parse_plan

    raw = plan_path.read_bytes()
    plan = parse_plan(raw, name=plan_path.name, source=str(plan_path))
    target = target or prepared_path(plan_path)
    target.write_bytes(pickle.dumps((_FORMAT, hashlib.sha256(raw).hexdigest(), plan),
                                    protocol=pickle.HIGHEST_PROTOCOL))
    return target


def _bundle() -> Path | None:
    if not getattr(sys, "frozen", False):
        return None
    root = getattr(sys, "_MEIPASS", None)
    return Path(root).resolve() if root else None


def read_prepared(plan_path: Path, raw: bytes) -> Plan | None:
    """The prepared plan for ``plan_path`` whose bytes are ``raw``, or None (see the module)."""
    bundle = _bundle()
    if bundle is None:
        return None
    try:
        path = plan_path.resolve()
        if not path.is_relative_to(bundle):
            return None
        stored = prepared_path(path).read_bytes()
        version, digest, plan = pickle.loads(stored)
    except Exception:  # missing or unreadable: parse instead
        return None
    if version != _FORMAT or not isinstance(plan, Plan) or digest != hashlib.sha256(raw).hexdigest():
        return None
    return dataclasses.replace(plan, source=str(plan_path))
