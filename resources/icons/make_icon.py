"""Draw dkdesk's application icon with Qt: a navy shield holding a white document and "DK".

Run once (``QT_QPA_PLATFORM=offscreen python resources/icons/make_icon.py``); it writes
``dkdesk.png`` (256 px) and ``dkdesk.ico`` (16-256 px, PNG-compressed entries, which Windows
Vista and later read) beside itself. The generated files are committed; the build uses them.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
NAVY = QColor("#1f3b5a")
NAVY_LIGHT = QColor("#2f5a86")
GOLD = QColor("#e8b94a")


def shield_path(s: float) -> QPainterPath:
    """A heraldic shield filling a square of side ``s``."""
    path = QPainterPath()
    top, left, right = 0.06 * s, 0.12 * s, 0.88 * s
    path.moveTo(s / 2, top)
    path.cubicTo(QPointF(0.66 * s, 0.12 * s), QPointF(0.78 * s, 0.14 * s), QPointF(right, 0.14 * s))
    path.lineTo(right, 0.50 * s)
    path.cubicTo(QPointF(right, 0.74 * s), QPointF(0.70 * s, 0.86 * s), QPointF(s / 2, 0.95 * s))
    path.cubicTo(QPointF(0.30 * s, 0.86 * s), QPointF(left, 0.74 * s), QPointF(left, 0.50 * s))
    path.lineTo(left, 0.14 * s)
    path.cubicTo(QPointF(0.22 * s, 0.14 * s), QPointF(0.34 * s, 0.12 * s), QPointF(s / 2, top))
    path.closeSubpath()
    return path


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    s = float(size)
    grad = QLinearGradient(0, 0, 0, s)
    grad.setColorAt(0, NAVY_LIGHT)
    grad.setColorAt(1, NAVY)
    p.setBrush(QBrush(grad))
    p.setPen(QPen(GOLD, max(1.0, s / 28)))
    p.drawPath(shield_path(s))
    if size >= 32:  # the document: a white sheet with a folded corner, behind the letters
        doc = QPainterPath()
        x0, y0, x1, y1, fold = 0.30 * s, 0.24 * s, 0.70 * s, 0.76 * s, 0.10 * s
        doc.moveTo(x0, y0)
        doc.lineTo(x1 - fold, y0)
        doc.lineTo(x1, y0 + fold)
        doc.lineTo(x1, y1)
        doc.lineTo(x0, y1)
        doc.closeSubpath()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 235))
        p.drawPath(doc)
        p.setBrush(QColor("#c9d6e3"))
        corner = QPainterPath()
        corner.moveTo(x1 - fold, y0)
        corner.lineTo(x1 - fold, y0 + fold)
        corner.lineTo(x1, y0 + fold)
        corner.closeSubpath()
        p.drawPath(corner)
        text_color, text_rect = NAVY, QRectF(x0, 0.36 * s, x1 - x0, 0.30 * s)
    else:  # tiny sizes: white letters straight on the shield, as large as possible
        text_color, text_rect = QColor("white"), QRectF(0.12 * s, 0.20 * s, 0.76 * s, 0.56 * s)
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(6, int(text_rect.height() * 0.95)))
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 92)
    p.setFont(font)
    p.setPen(text_color)
    p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, "DK")
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def write_ico(path: Path, images: list[tuple[int, bytes]]) -> None:
    """An ICO container whose entries are PNG streams (ICONDIR + ICONDIRENTRY per size)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    path.write_bytes(header + entries + blobs)


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    draw(256).save(str(HERE / "dkdesk.png"))
    write_ico(HERE / "dkdesk.ico", [(n, png_bytes(draw(n))) for n in ICO_SIZES])
    print(f"wrote {HERE / 'dkdesk.png'} and {HERE / 'dkdesk.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
