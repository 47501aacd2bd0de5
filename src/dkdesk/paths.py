"""Where dkdesk finds its bundled files and keeps the user's data.

- ``asset("ui/main_window.ui")`` finds a bundled file in a source checkout, in an editable
  install and inside the PyInstaller bundle (``sys._MEIPASS``): one function, used everywhere.
- ``data_dir()`` is ``dkdesk-data`` beside the executable when that folder exists (portable
  mode, for USB sticks), otherwise the user data directory (platformdirs).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

PORTABLE_DIR_NAME = "dkdesk-data"
DB_FILE_NAME = "dkdesk.sqlite"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """The folder holding ``ui/``, ``resources/`` (and ``docs/``)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


def asset(relative: str) -> Path:
    """A bundled file by its path relative to the project root (``ui/x.ui``)."""
    path = bundle_root() / relative
    if not path.exists():
        raise FileNotFoundError(f"Thiếu tệp đi kèm chương trình: {relative} (tìm ở {path})")
    return path


def default_plan_path() -> Path:
    override = os.environ.get("DKDESK_PLAN")
    return Path(override) if override else asset("resources/plans/duong-kinh-2024.toml")


def executable_dir() -> Path:
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return Path(sys.argv[0]).resolve().parent if sys.argv and sys.argv[0] else Path.cwd()


def portable_dir() -> Path | None:
    candidate = executable_dir() / PORTABLE_DIR_NAME
    return candidate if candidate.is_dir() else None


def data_dir() -> Path:
    """The folder for the database, backups, archive and settings (created if needed)."""
    portable = portable_dir()
    if portable is not None:
        return portable
    from platformdirs import user_data_dir

    path = Path(user_data_dir("dkdesk", appauthor=False, roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def chosen_db(db: str | Path | None = None) -> str | Path:
    """The database to open: the one given (``--db``), else ``DKDESK_DB``, else the default."""
    return db or os.environ.get("DKDESK_DB") or default_db_path()
