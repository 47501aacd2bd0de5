"""The form of one unit built from the plan: one editor per field, validated as the person types.

``EntryForm(plan, unit)`` lays out the unit's sections; every editor is named ``field_<code>``.
Whole numbers are a QLineEdit regrouped "1.234" when focus leaves, Có/Không a QComboBox, text a
QPlainTextEdit. Validation is the core's (``parse_value`` then ``check_rules``); messages appear
under the field. A figure far above the unit's earlier one (``reference``, set by the tab; see
``core.plausibility``) is shown as an orange warning under the field, not an error: ``warnings``
(the tab asks before saving). Tab and Enter move to the next field.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dkdesk.catalogue.model import FieldDef, Plan
from dkdesk.core.numbers import format_bool, format_int
from dkdesk.core.plausibility import Reference, implausible
from dkdesk.core.validation import FieldError, FieldErrorException, Value, check_rules, field_name, parse_value

BOOL_CHOICES = ["", "Có", "Không"]
ERROR_STYLE = "QLabel { color: #b00020; }"
WARNING_STYLE = "QLabel { color: #9c5700; }"
UNUSUAL_STYLE = "border: 1px solid #e0a030; background: #fff8e6;"
MAX_FORM_WIDTH = 1180
INVALID_STYLE = "border: 1px solid #b00020; background: #fff3f3;"


def short_message(f: FieldDef, message: str) -> str:
    """The core's message without the field's own name (it is written beside the field)."""
    name = field_name(f)
    if message.startswith(name + ": "):
        return message[len(name) + 2:]
    if message.startswith(name):
        return "Số này" + message[len(name):]
    return message


class EntryForm(QWidget):
    """Editors for one unit's form. ``edited`` fires on every keystroke that changes a value."""

    edited = Signal()
    history_requested = Signal(str)  # field code

    def __init__(self, plan: Plan, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.unit = unit
        self.fields: dict[str, FieldDef] = {f.code: f for f in plan.form_fields(unit)}
        self.editors: dict[str, QWidget] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.loaded: dict[str, Value] = {}
        self.errors: dict[str, str] = {}  # field code -> full message
        self.sticky: dict[str, str] = {}  # errors from the core (required on submit) until edited
        self.reference: dict[str, Reference] = {}  # the unit's earlier figures, for the warnings (set by the tab)
        self.warnings: dict[str, str] = {}  # field code -> a figure typed far above the unit's usual
        self.read_only = False
        self.scroll_area: QScrollArea | None = None  # set by the tab so focus scrolls into view
        self._loading = False
        # one width for every unit-of-measure label, so editors line up across sections
        self.measure_width = max([self.fontMetrics().horizontalAdvance(f.measure) for f in self.fields.values()]
                                 + [60]) + 8
        self.setMaximumWidth(MAX_FORM_WIDTH)  # on wide screens labels stay near their editors
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(10)
        hint = QLabel("Ô có dấu <span style='color:#b00020'>*</span> phải có số liệu trước khi nộp báo cáo. "
                      "Rê chuột lên tên một chỉ tiêu để xem định nghĩa; Tab hoặc Enter chuyển sang ô tiếp theo.")
        hint.setObjectName("formHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("QLabel { color: #555; }")
        layout.addWidget(hint)
        for section, fields in plan.form_sections(unit):
            layout.addWidget(self._section_box(section.title, fields))
        layout.addStretch(1)

    # -- building ----------------------------------------------------------------------
    def _section_box(self, title: str, fields: list[FieldDef]) -> QGroupBox:
        box = QGroupBox(title, self)
        box.setStyleSheet("QGroupBox { font-weight: bold; margin-top: 10px; } "
                          "QGroupBox::title { subcontrol-origin: margin; left: 6px; padding: 0 3px; color: #1f3b5a; }")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(0, 1)
        grid.setColumnMinimumWidth(1, 150)
        row = 0
        for f in fields:
            row = self._add_field(grid, f, row)
        return box

    def _add_field(self, grid: QGridLayout, f: FieldDef, row: int) -> int:
        star = ' <span style="color:#b00020">*</span>' if f.required else ""
        label = QLabel(html.escape(f.label) + star)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setToolTip(f.help)
        label.setStyleSheet("font-weight: normal;" + ("margin-left: 18px;" if f.part_of else ""))
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        editor = self._make_editor(f)
        label.setBuddy(editor)
        measure = QLabel(f.measure)
        measure.setStyleSheet("font-weight: normal; color: #555;")
        measure.setFixedWidth(self.measure_width)
        history = QToolButton()
        history.setObjectName(f"history_{f.code}")
        history.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView))
        history.setToolTip("Lịch sử thay đổi của trường này")
        history.setAutoRaise(True)
        history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        history.clicked.connect(lambda _=False, c=f.code: self.history_requested.emit(c))
        show_history = QAction("Xem lịch sử thay đổi của trường này", label)
        show_history.triggered.connect(lambda _=False, c=f.code: self.history_requested.emit(c))
        label.addAction(show_history)  # right-click on the field's name
        label.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        error = QLabel()
        error.setObjectName(f"error_{f.code}")
        error.setStyleSheet(ERROR_STYLE + " QLabel { font-weight: normal; }")
        error.setWordWrap(True)
        error.hide()
        if f.type == "text":
            grid.addWidget(label, row, 0, 1, 3)
            grid.addWidget(history, row, 3)
            grid.addWidget(editor, row + 1, 0, 1, 3)
            row += 2
        else:
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
            grid.addWidget(measure, row, 2)
            grid.addWidget(history, row, 3)
            row += 1
        grid.addWidget(error, row, 0, 1, 3)
        self.editors[f.code] = editor
        self.error_labels[f.code] = error
        return row + 1

    def _make_editor(self, f: FieldDef) -> QWidget:
        editor: QWidget
        if f.type == "int":
            line = QLineEdit()
            line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            line.setMaxLength(24)
            line.setFixedWidth(150)
            line.textChanged.connect(lambda _t, c=f.code: self._changed(c))
            editor = line
        elif f.type == "bool":
            combo = QComboBox()
            combo.addItems(BOOL_CHOICES)
            combo.setFixedWidth(150)
            combo.currentIndexChanged.connect(lambda _i, c=f.code: self._changed(c))
            editor = combo
        else:
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 12)
            text.textChanged.connect(lambda c=f.code: self._changed(c))
            editor = text
        editor.setObjectName(f"field_{f.code}")
        editor.setToolTip(f.help)
        editor.installEventFilter(self)
        return editor

    # -- keyboard --------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and isinstance(obj, (QLineEdit, QComboBox)):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self._reformat(obj)
                obj.focusNextChild()
                return True
        elif event.type() == QEvent.Type.FocusOut and isinstance(obj, QLineEdit):
            self._reformat(obj)
        elif event.type() == QEvent.Type.FocusIn:
            if self.scroll_area is not None and isinstance(obj, QWidget):
                self.scroll_area.ensureWidgetVisible(obj, 20, 40)
        return super().eventFilter(obj, event)

    def _reformat(self, editor: QObject) -> None:
        """Regroup a whole number the Vietnamese way ("1234" -> "1.234") when it is valid."""
        if not isinstance(editor, QLineEdit) or editor.isReadOnly():
            return
        code = editor.objectName().removeprefix("field_")
        try:
            value = parse_value(self.fields[code], editor.text())
        except FieldErrorException:
            return
        text = format_int(value) if isinstance(value, int) else ""
        if text != editor.text():
            editor.setText(text)

    # -- values ----------------------------------------------------------------------
    def raw(self) -> dict[str, str | None]:
        """Every field's text as typed; None for empty."""
        out: dict[str, str | None] = {}
        for code, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                text = editor.text()
            elif isinstance(editor, QComboBox):
                text = editor.currentText()
            else:
                text = editor.toPlainText()  # type: ignore[attr-defined]
            out[code] = text if text.strip() else None
        return out

    def load(self, values: dict[str, Value]) -> None:
        """Show stored values; the form is then clean (not dirty) and free of errors."""
        self._loading = True
        try:
            for code, editor in self.editors.items():
                v = values.get(code)
                if isinstance(editor, QLineEdit):
                    editor.setText(format_int(v) if isinstance(v, int) and not isinstance(v, bool) else "")
                elif isinstance(editor, QComboBox):
                    editor.setCurrentIndex(BOOL_CHOICES.index(format_bool(v if isinstance(v, bool) else None)))
                else:
                    editor.setPlainText(v if isinstance(v, str) else "")  # type: ignore[attr-defined]
        finally:
            self._loading = False
        self.loaded = {c: v for c, v in values.items() if c in self.fields}
        self.sticky.clear()
        self.validate()

    def current(self) -> dict[str, Value | None]:
        """Typed values of the fields that parse; fields in error keep their raw text."""
        out: dict[str, Value | None] = {}
        for code, text in self.raw().items():
            try:
                out[code] = parse_value(self.fields[code], text)
            except FieldErrorException:
                out[code] = text
        return out

    def is_dirty(self) -> bool:
        return any(v != self.loaded.get(c) or type(v) is not type(self.loaded.get(c))
                   for c, v in self.current().items())

    # -- validation ------------------------------------------------------------------
    def _changed(self, code: str) -> None:
        if self._loading:
            return
        self.sticky.pop(code, None)
        self.validate()
        self.edited.emit()

    def validate(self) -> dict[str, str]:
        """Run the core's checks over what is typed; show each message under its field."""
        errors: dict[str, str] = {}
        parsed: dict[str, Value | None] = {}
        for code, text in self.raw().items():
            try:
                parsed[code] = parse_value(self.fields[code], text)
            except FieldErrorException as exc:
                errors[code] = exc.error.message
        for err in check_rules(self.plan, self.unit, parsed):
            errors.setdefault(err.field, err.message)
        for code, msg in self.sticky.items():
            errors.setdefault(code, msg)
        self.errors = errors
        typed = {c: v for c, v in parsed.items() if c not in errors and v != self.loaded.get(c)}
        self.warnings = {w.field: w.message for w in implausible(self.plan, self.unit, typed, self.reference)}
        for code, label in self.error_labels.items():
            msg = errors.get(code, "")
            warning = self.warnings.get(code, "")
            editor = self.editors[code]
            if msg or warning:
                label.setText(("⚠ " if msg else "⚠ Cảnh báo: ") + short_message(self.fields[code], msg or warning))
                label.setToolTip(msg or warning)
                label.setStyleSheet((ERROR_STYLE if msg else WARNING_STYLE) + " QLabel { font-weight: normal; }")
                label.show()
                editor.setStyleSheet(f"#{editor.objectName()} {{ {INVALID_STYLE if msg else UNUSUAL_STYLE} }}")
            else:
                label.hide()
                editor.setStyleSheet("")
        return errors

    def show_core_errors(self, errors: list[FieldError]) -> None:
        """Errors the core found (e.g. required fields on submission) stay until the field is edited."""
        for e in errors:
            if e.field in self.fields:
                self.sticky[e.field] = e.message
        self.validate()

    def first_error_editor(self) -> QWidget | None:
        for code, editor in self.editors.items():
            if code in self.errors:
                return editor
        return None

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for editor in self.editors.values():
            if isinstance(editor, (QLineEdit, QPlainTextEdit)):
                editor.setReadOnly(read_only)
            else:
                editor.setEnabled(not read_only)
