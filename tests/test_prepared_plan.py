"""The executable's plan, prepared at build time: used only from the bundle, only unchanged."""
from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dkdesk.catalogue import prepared
from dkdesk.catalogue.loader import load_plan, parse_plan
from tests.conftest import PLAN_PATH, ROOT


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake one-file bundle folder holding the plan and its prepared form; runs "frozen"."""
    folder = tmp_path / "_MEI123" / "resources" / "plans"
    folder.mkdir(parents=True)
    shutil.copy(PLAN_PATH, folder / PLAN_PATH.name)
    prepared.write_prepared(folder / PLAN_PATH.name)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_MEI123"), raising=False)
    return folder


def test_the_prepared_plan_is_the_parsed_plan(bundle: Path) -> None:
    path = bundle / PLAN_PATH.name
    plan = prepared.read_prepared(path, path.read_bytes())
    assert plan is not None
    assert plan == parse_plan(path.read_bytes(), name=path.name, source=str(path))
    assert plan.source == str(path) and plan.has_unit("CA") and plan.form_fields("CA")
    assert load_plan(path) == plan


def test_a_changed_plan_is_parsed_again(bundle: Path) -> None:
    path = bundle / PLAN_PATH.name
    path.write_bytes(path.read_bytes().replace("Dương Kinh".encode(), "Duong Kinh".encode(), 1))
    assert prepared.read_prepared(path, path.read_bytes()) is None
    plan = load_plan(path)
    assert plan.digest != load_plan(PLAN_PATH).digest


def test_nothing_prepared_is_read_outside_the_bundle_or_when_not_frozen(bundle: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran"
    planted = tmp_path / "elsewhere" / PLAN_PATH.name
    planted.parent.mkdir()
    shutil.copy(PLAN_PATH, planted)

    class Payload:  # a pickle that would run code when loaded
        def __reduce__(self):  # noqa: ANN204
            return (Path.touch, (marker,))

    prepared.prepared_path(planted).write_bytes(pickle.dumps(Payload()))
    assert prepared.read_prepared(planted, planted.read_bytes()) is None
    assert load_plan(planted).has_unit("CA") and not marker.exists()
    monkeypatch.setattr(sys, "frozen", False)
    inside = bundle / PLAN_PATH.name
    assert prepared.read_prepared(inside, inside.read_bytes()) is None  # a checkout always parses


def test_a_prepared_plan_loads_no_parser(bundle: Path) -> None:
    code = (
        "import sys\n"
        f"sys.frozen, sys._MEIPASS = True, {os.fspath(bundle.parent.parent)!r}\n"
        "from dkdesk.catalogue.loader import load_plan\n"
        f"plan = load_plan({os.fspath(bundle / PLAN_PATH.name)!r})\n"
        "assert plan.has_unit('CA')\n"
        "print(sorted(m for m in ('tomllib', 'dkdesk.catalogue.expr', 'dkdesk.catalogue.expr_checks')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ.get("PATH", "")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
