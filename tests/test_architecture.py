"""The core never imports Qt: only dkdesk.gui may (EXAMPLES.md, "What this means for dkdesk" 1)."""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "dkdesk"


def _imports(path: Path) -> set[str]:
    """Modules imported at module level (a function may import the GUI lazily, as `dkdesk gui` does)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_qt():
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "gui":
            continue
        qt = [n for n in _imports(path) if n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6")
              or n.startswith("dkdesk.gui")]
        if qt:
            offenders.append(f"{rel}: {qt}")
    assert not offenders, offenders


def test_core_runs_without_qt_installed_in_the_process():
    import subprocess
    import sys

    code = ("import sys, importlib, pkgutil, dkdesk\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'PySide6': raise ImportError('Qt blocked: ' + name)\n"
            "sys.meta_path.insert(0, Block())\n"
            "for m in pkgutil.walk_packages(dkdesk.__path__, 'dkdesk.'):\n"
            "    if m.name.startswith('dkdesk.gui') or 'migrations' in m.name or m.name == 'dkdesk.__main__': continue\n"
            "    importlib.import_module(m.name)\n"
            "print('ok')\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "ok" in r.stdout, r.stderr[-800:]
