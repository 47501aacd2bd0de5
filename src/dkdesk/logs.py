"""The log file a person can send: ``dkdesk.log`` in the data folder, rotated, never a traceback on screen.

``install_file_logging()`` attaches a size-limited, rotating file handler to the ``dkdesk``
logger (idempotent; it follows the data folder if that changes, as in tests);
``log_exception(exc)`` writes one unexpected error with its traceback and returns the file's
path (as text) for the Vietnamese message that names it; ``log_path()`` is where it is.
The frozen, windowed program has no console: this file is the only record of what went wrong.
The CLI and the GUI both call this module (it sits below both, so neither imports the other).
"""
from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "dkdesk.log"
MAX_BYTES = 1_000_000  # then dkdesk.log.1, dkdesk.log.2 (about 3 MB at most)
BACKUP_COUNT = 2
logger = logging.getLogger("dkdesk")
_handler: RotatingFileHandler | None = None


def log_path() -> Path:
    from dkdesk import paths

    return paths.data_dir() / LOG_NAME


def install_file_logging() -> Path:
    """Log ``dkdesk.*`` records (INFO and above) to ``log_path()``; returns that path."""
    global _handler
    path = log_path()
    if _handler is not None and Path(_handler.baseFilename) == path.resolve():
        return path
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    _handler = handler
    return path


def log_exception(exc: BaseException) -> str:
    """Write ``exc`` with its traceback to the log file; the path as text (or why it could not)."""
    try:
        path = install_file_logging()
        logger.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        _handler.flush() if _handler is not None else None
        return str(path)
    except Exception:
        return "(không ghi được nhật ký)"
