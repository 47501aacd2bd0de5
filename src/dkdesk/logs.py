"""The log file a person can send: unexpected errors are written here, never shown as a traceback.

``log_path()`` is ``<data dir>/dkdesk.log``; ``log_exception(exc)`` appends the traceback and
returns the path as text (or a Vietnamese note when the file cannot be written). The CLI and
the GUI both call this module (it sits below both, so neither imports the other).
"""
from __future__ import annotations

import logging
from pathlib import Path


def log_path() -> Path:
    from dkdesk import paths

    return paths.data_dir() / "dkdesk.log"


def log_exception(exc: BaseException) -> str:
    try:
        path = log_path()
        logging.basicConfig(filename=str(path), level=logging.INFO, encoding="utf-8",
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("dkdesk").error("unexpected error", exc_info=exc)
        return str(path)
    except Exception:
        return "(không ghi được nhật ký)"
