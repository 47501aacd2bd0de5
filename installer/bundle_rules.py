"""What the one-file build leaves out: Qt modules, Python packages, Qt plugins and translations.

Shared by ``installer/dkdesk.spec`` and ``benchmarks/bench_startup.py`` (whose bare window is
built with the same rules, so that the comparison is fair). Imported inside PyInstaller.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

# --- what Qt may bring along --------------------------------------------------------------
# Plugins by type: only these types, and within them only these names (None = all of the type).
KEEP_PLUGINS = {
    "platforms": {"qwindows", "qxcb", "qoffscreen", "qminimal"},
    "imageformats": {"qico", "qjpeg", "qgif"},
    "styles": None,
    # Vietnamese typing via IBus/compose on Linux (not the virtual keyboard: it needs Qt Quick)
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
    "xcbglintegrations": None,
}
# Qt's own translations: Vietnamese only. (Qt ships none for Vietnamese today, so none is bundled;
# dkdesk names its dialog buttons itself. Should Qt add qtbase_vi.qm, it would be kept.)
KEEP_TRANSLATIONS = ("_vi.qm",)
QT_EXCLUDES = [
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.QtWebView",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.Qt3DInput", "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation", "PySide6.Qt3DExtras", "PySide6.QtDataVisualization", "PySide6.QtGraphs",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio",
    "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtPositioning", "PySide6.QtLocation",
    "PySide6.QtSensors", "PySide6.QtSerialPort", "PySide6.QtSerialBus", "PySide6.QtNetworkAuth",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtDesigner", "PySide6.QtHelp",
    "PySide6.QtTest", "PySide6.QtSql", "PySide6.QtScxml", "PySide6.QtStateMachine",
    "PySide6.QtRemoteObjects", "PySide6.QtTextToSpeech", "PySide6.QtHttpServer",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtDBus", "PySide6.QtConcurrent",
    "PySide6.QtAxContainer", "PySide6.QtCanvasPainter", "PySide6.QtNetwork",
]
PY_EXCLUDES = [
    "tkinter", "_tkinter", "numpy", "pandas", "matplotlib", "scipy", "PIL", "IPython",
    "pytest", "_pytest", "pytestqt", "hypothesis", "pydoc_data", "unittest", "lib2to3",
    "psycopg", "psycopg_binary", "psycopg2", "PyQt5", "PyQt6", "setuptools", "pkg_resources",
    "pygments",  # mako's optional highlighter
    # what nothing in dkdesk loads, yet is pulled in by references (every start unpacks it):
    # lxml beyond etree (python-docx and openpyxl use only lxml.etree), TLS (no network),
    # the interactive console's line editing
    "lxml.objectify", "lxml.html", "lxml.sax", "lxml.builder", "lxml.isoschematron", "lxml.cssselect",
    "ssl", "_ssl", "readline",
    # SQLite only in the executable (PostgreSQL needs the installed Python package, see README)
    "sqlalchemy.dialects.mysql", "sqlalchemy.dialects.oracle", "sqlalchemy.dialects.mssql",
    "sqlalchemy.testing", "alembic.testing",
]


def plugin_kept(dest: str) -> bool:
    parts = Path(dest).parts
    if "plugins" not in parts:
        return True
    i = parts.index("plugins")
    if len(parts) < i + 3:
        return True
    kind, name = parts[i + 1], Path(parts[-1]).stem
    if kind not in KEEP_PLUGINS:
        return False
    names = KEEP_PLUGINS[kind]
    if names is None:
        return True
    name = name[3:] if name.startswith("lib") else name
    return name in names


def restrict_qt_plugin_collection() -> None:
    """Filter plugins at collection time, so that a dropped plugin's libraries are not analysed."""
    try:
        from PyInstaller.utils.hooks.qt import QtLibraryInfo
    except ImportError:  # pragma: no cover - other PyInstaller layout: the TOC filter still applies
        return
    original = QtLibraryInfo.collect_plugins

    def collect_plugins(self, plugin_type):  # noqa: ANN001, ANN202
        if plugin_type not in KEEP_PLUGINS:
            return []
        return [(src, dst) for src, dst in original(self, plugin_type)
                if plugin_kept(os.path.join(dst, os.path.basename(src)))]

    QtLibraryInfo.collect_plugins = collect_plugins


# Windows: Qt's software OpenGL renderer (~20 MB) and the Direct3D shader compiler serve Qt Quick
# and OpenGL widgets, which dkdesk does not use (widgets paint with the raster engine).
DROP_FILES = ("opengl32sw.dll", "d3dcompiler_47.dll")


def kept(entry) -> bool:  # noqa: ANN001
    """Whether a PyInstaller TOC entry (dest, src, typecode) stays in the bundle."""
    dest = entry[0].replace("\\", "/")
    if dest.rsplit("/", 1)[-1].lower() in DROP_FILES:
        return False
    if "/translations/" in dest and dest.endswith(".qm"):
        return dest.endswith(KEEP_TRANSLATIONS)
    return plugin_kept(dest)


# SQLAlchemy's optional compiled speed-ups (~9 MB unpacked at every start of a one-file program):
# each ``*_cy`` extension has a pure-Python twin of the same name that SQLAlchemy falls back to.
# dkdesk's queries read a few thousand rows at most, so the twins are fast enough.
_CY_EXTENSION = re.compile(r"^(sqlalchemy/.+_cy)\.[^/]*\.(so|pyd)$")


def without_sqlalchemy_extensions(binaries: list, pure: list) -> tuple[list, list]:
    """(binaries, pure) with every SQLAlchemy ``*_cy`` extension replaced by its ``.py`` twin."""
    import importlib.util

    kept_binaries, twins = [], []
    for entry in binaries:
        match = _CY_EXTENSION.match(entry[0].replace("\\", "/"))
        if match is None:
            kept_binaries.append(entry)
            continue
        module = match.group(1).replace("/", ".")
        parent = importlib.util.find_spec(module.rsplit(".", 1)[0])
        source = Path(parent.origin).parent / (module.rsplit(".", 1)[1] + ".py") if parent else None
        if source is None or not source.is_file():
            kept_binaries.append(entry)  # no twin: keep the extension
            continue
        twins.append((module, str(source), "PYMODULE"))
    names = {t[0] for t in twins}
    return kept_binaries, [e for e in pure if e[0] not in names] + twins
