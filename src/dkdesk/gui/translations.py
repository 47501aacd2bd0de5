"""Vietnamese for the texts Qt itself shows (Qt ships no Vietnamese translation).

``install(app)`` puts ``QtVietnamese`` on the application: the context menu of every text
field (Hoàn tác, Cắt, Sao chép, Dán…), the standard buttons of message boxes and button boxes,
spin boxes' menu, the file dialog's buttons and labels. A text without a translation here stays
as Qt wrote it. The source texts are Qt's own (``QCoreApplication.translate(context, text)``);
a menu entry's shortcut ("\\tCtrl+Z") is added by Qt after translation.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

_EDIT = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "&Cắt",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ &liên kết",
}

_BUTTONS = {
    "OK": "Đồng ý",
    "&OK": "Đồng ý",
    "Save": "Lưu",
    "&Save": "&Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Yes": "&Có",
    "Yes to &All": "Có với &tất cả",
    "&No": "&Không",
    "N&o to All": "Khô&ng với tất cả",
    "Abort": "Hủy bỏ",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Close": "Đóng",
    "&Close": "Đó&ng",
    "Cancel": "Hủy",
    "&Cancel": "&Hủy",
    "Discard": "Không lưu",
    "Close without Saving": "Đóng không lưu",
    "Don't Save": "Không lưu",
    "Help": "Trợ giúp",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
}

_MESSAGE_BOX = {
    "Show Details...": "Xem chi tiết...",
    "Hide Details...": "Ẩn chi tiết...",
    "About Qt": "Giới thiệu Qt",
}

_SPIN_BOX = {
    "&Select All": "&Chọn tất cả",
    "&Step up": "&Tăng",
    "Step &down": "&Giảm",
}

_FILE_DIALOG = {
    "Look in:": "Tìm trong:",
    "File &name:": "Tên &tệp:",
    "Files of type:": "Loại tệp:",
    "&Open": "&Mở",
    "&Save": "&Lưu",
    "&Choose": "&Chọn",
    "Back": "Quay lại",
    "Forward": "Tiến tới",
    "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "New Folder": "Thư mục mới",
    "List View": "Dạng danh sách",
    "Detail View": "Dạng chi tiết",
    "My Computer": "Máy tính",
    "Computer": "Máy tính",
    "Open": "Mở",
    "Save As": "Lưu thành",
    "All Files (*)": "Mọi tệp (*)",
    "&Rename": "Đổi &tên",
    "&Delete": "&Xóa",
    "Show &hidden files": "Hiện tệp &ẩn",
    "&New Folder": "Thư mục &mới",
    "Directory:": "Thư mục:",
    "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nCó muốn ghi đè không?",
}

_FILE_MODEL = {"Name": "Tên", "Size": "Kích thước", "Type": "Loại", "Date Modified": "Ngày sửa"}

# context (the C++ class whose tr() Qt calls) -> source text -> Vietnamese
TABLE: dict[str, dict[str, str]] = {
    "QLineEdit": _EDIT,
    "QWidgetTextControl": _EDIT,
    "QPlatformTheme": _BUTTONS,
    "QGnomeTheme": _BUTTONS,
    "QDialogButtonBox": _BUTTONS,
    "QMessageBox": {**_BUTTONS, **_MESSAGE_BOX},
    "QAbstractSpinBox": _SPIN_BOX,
    "QFileDialog": _FILE_DIALOG,
    "QFileSystemModel": _FILE_MODEL,
}


class QtVietnamese(QTranslator):
    """Answers Qt's own ``tr()`` calls from ``TABLE``; None (a null string) lets Qt go on to the next translator or its English."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return TABLE.get(context, {}).get(source_text)  # None: a null QString (Qt keeps its own text)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False


def install(app: QCoreApplication) -> QtVietnamese:
    """Install the translator once on ``app`` (kept alive as an attribute of the app)."""
    existing = getattr(app, "_dkdesk_translator", None)
    if existing is not None:
        return existing
    translator = QtVietnamese(app)
    app.installTranslator(translator)
    app._dkdesk_translator = translator  # type: ignore[attr-defined]
    return translator
