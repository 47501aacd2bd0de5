"""Lập kế hoạch năm sau: next year's plan made from the one in use, edited, checked, stored.

``PlanDialog(ctx, draft, parent)`` shows a draft ``Plan`` (``open_next_year_dialog`` makes it with
``catalogue.plan_edit.next_year``) on five pages built from ``ui/plan_dialog.ui``: general data,
periods and their deadlines, units (Đổi tên / Ngừng hoạt động từ ngày / Sáp nhập các đơn vị chọn
vào… / Thêm, each a small ``UnitDialog`` applied at once through ``plan_edit``), fields (per form;
Sửa… a field's label, unit of measure, help, never its code; Thêm trường số… to one or more forms,
a small ``FieldDialog`` applied at once) and indicators (target and kind %/số lượng, typed in the
table). Nothing touches the database until "Lưu":
the pages are read back into a ``Plan`` (``collect``), every problem named in Vietnamese with its
page and row, the plan's TOML text is checked by the same strict loader as a plan file, and
``Desk.add_plan`` stores it on the worker (``gui.ops.change``, kind "plan"). ``saved(code)``
is then emitted (the menu offers to switch to it).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QListWidget,
    QListWidgetItem,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dkdesk.catalogue.model import FieldDef, Form, Indicator, Plan, TargetKind, Unit
from dkdesk.gui.context import GuiContext
from dkdesk.gui.messages import confirm
from dkdesk.gui.sizing import fit_to_screen
from dkdesk.gui.uiload import load_ui

KINDS = (("percent", "Tỷ lệ (%)"), ("count", "Số lượng"))
UNIT_COLUMNS = ("Mã", "Tên đơn vị", "Tên ngắn", "Nhóm", "Hoạt động từ", "Ngừng hoạt động từ", "Chuyển giao cho")
PERIOD_COLUMNS = ("Mã", "Kỳ báo cáo", "Từ ngày", "Đến ngày", "Hạn nộp")
INDICATOR_COLUMNS = ("Mã", "Chỉ tiêu", "Mục tiêu", "Loại mục tiêu", "Đơn vị chủ trì")
FIELD_COLUMNS = ("Mã", "Nhãn", "Kiểu", "Đơn vị tính", "Biểu mẫu")
FIELD_TYPES = {"int": "Số", "bool": "Có/Không", "text": "Văn bản"}
YEAR_RULES = (("sum", "Cộng dồn cả năm (số phát sinh trong kỳ)"), ("stock", "Số tại thời điểm cuối kỳ"))
IND_NAME, IND_TARGET, IND_KIND = 1, 2, 3
PER_DEADLINE = 4
FIELD_LABEL, FIELD_TYPE, FIELD_MEASURE, FIELD_FORMS = 1, 2, 3, 4
PAGE_GENERAL, PAGE_PERIODS, PAGE_UNITS, PAGE_FIELDS, PAGE_INDICATORS = range(5)
SHOWN_PROBLEMS = 6  # lines of problems under the pages; the rest counted, all in the tooltip


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def date_text(d: date | None) -> str:
    return "" if d is None else f"{d:%d/%m/%Y}"


def parse_date(text: str, what: str) -> date:
    """dd/mm/yyyy (or d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd) -> date; ValueError naming ``what``."""
    t = nfc(text).replace("-", "/").replace(".", "/")
    parts = t.split("/")
    try:
        if len(parts) == 3 and len(parts[0]) == 4:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 3:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    raise ValueError(f"{what}: «{text.strip()}» không phải là ngày (viết dd/mm/yyyy, ví dụ 01/07/2025).")


def parse_number(text: str, what: str) -> float:
    """A target as a person types it: 60, 12,5 or 12.5; ValueError naming ``what``."""
    t = nfc(text).replace(" ", "").replace("%", "")
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        raise ValueError(f"{what}: «{text.strip()}» không phải là số.") from None
    if value < 0:
        raise ValueError(f"{what}: mục tiêu không được âm.")
    return value


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value}".replace(".", ",")


def closed_from(u: Unit) -> date | None:
    """The first day the unit no longer exists (its ``active_to`` + 1)."""
    return None if u.active_to is None else u.active_to + timedelta(days=1)


W = TypeVar("W", bound=QWidget)


def _child(form: QWidget, cls: type[W], name: str) -> W:
    """A widget of the designer form (``ui/plan_dialog.ui``), by its object name."""
    child = form.findChild(cls, name)
    assert child is not None, name
    return child


def _text(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return "" if item is None else item.text()


def _item(text: str, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    return item



def _answer_row(dialog: QDialog, root: QVBoxLayout, check: Callable[[], None]) -> tuple[QLabel, QPushButton, QPushButton]:
    """The small dialogs' foot: a red line for what is wrong, then "Đồng ý" (checks) and "Hủy"."""
    error_label = QLabel(dialog)
    error_label.setWordWrap(True)
    error_label.setStyleSheet("QLabel { color: #b00020; }")
    root.addWidget(error_label)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    ok_button = QPushButton("Đồng ý", dialog)
    ok_button.setDefault(True)
    cancel_button = QPushButton("Hủy", dialog)
    buttons.addWidget(ok_button)
    buttons.addWidget(cancel_button)
    root.addLayout(buttons)
    cancel_button.clicked.connect(dialog.reject)
    ok_button.clicked.connect(check)
    return error_label, ok_button, cancel_button


class UnitDialog(QDialog):
    """One unit edit: "rename", "close", "merge" or "add"; ``values()`` after Đồng ý."""

    def __init__(self, mode: str, plan: Plan, units: list[Unit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        titles = {"rename": "Đổi tên đơn vị", "close": "Ngừng hoạt động", "merge": "Sáp nhập đơn vị",
                  "add": "Thêm đơn vị"}
        self.setWindowTitle(titles[mode])
        root = QVBoxLayout(self)
        names = ", ".join(u.name for u in units)
        intro = {"rename": f"Đổi tên {names}. Mã đơn vị giữ nguyên, nên số liệu năm trước vẫn so sánh được.",
                 "close": f"{names} thôi báo cáo từ ngày (ngày đầu tiên không còn hoạt động):",
                 "merge": f"Sáp nhập {names} vào một đơn vị mới. Các đơn vị cũ thôi báo cáo từ ngày sáp nhập; "
                          "so sánh với năm trước sẽ cộng số liệu của chúng cho đơn vị mới.",
                 "add": "Đơn vị báo cáo mới của kế hoạch:"}[mode]
        label = QLabel(intro, self)
        label.setWordWrap(True)
        root.addWidget(label)
        form = QFormLayout()
        root.addLayout(form)
        self.code_edit = QLineEdit(self)
        self.name_edit = QLineEdit(self)
        self.short_edit = QLineEdit(self)
        self.group_combo = QComboBox(self)
        self.form_combo = QComboBox(self)
        self.date_edit = QLineEdit(self)
        self.date_edit.setPlaceholderText("dd/mm/yyyy")
        for g in plan.groups:
            self.group_combo.addItem(g.name, g.code)
        for f in plan.forms:
            self.form_combo.addItem(f"{f.code} — {f.title}", f.code)
        first = units[0] if units else None
        if first is not None:
            self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(first.group)))
            self.form_combo.setCurrentIndex(max(0, self.form_combo.findData(first.form)))
        if mode == "rename" and first is not None:
            self.name_edit.setText(first.name)
            self.short_edit.setText(first.short_name)
        if mode == "merge":  # the code of one of the merged units: it takes the others, its names offered
            by_code = {u.code: u for u in units}
            self.code_edit.textEdited.connect(lambda text: self._offer_names(by_code.get(nfc(text).upper())))
        if mode in ("merge", "add"):
            form.addRow("Mã đơn vị mới:", self.code_edit)
        if mode in ("rename", "merge", "add"):
            form.addRow("Tên đơn vị:", self.name_edit)
            form.addRow("Tên ngắn:", self.short_edit)
        if mode in ("merge", "add"):
            form.addRow("Nhóm:", self.group_combo)
            form.addRow("Biểu mẫu:", self.form_combo)
        if mode == "close":
            form.addRow("Ngừng hoạt động từ ngày:", self.date_edit)
        elif mode == "merge":
            form.addRow("Sáp nhập từ ngày:", self.date_edit)
        elif mode == "add":
            self.date_edit.setPlaceholderText("dd/mm/yyyy — để trống nếu hoạt động cả năm")
            form.addRow("Hoạt động từ ngày:", self.date_edit)
        for w in (self.code_edit, self.name_edit, self.short_edit, self.group_combo, self.form_combo, self.date_edit):
            if form.indexOf(w) < 0:
                w.hide()  # not asked in this mode (a child outside the layout would cover the text)
        self.error_label, self.ok_button, self.cancel_button = _answer_row(self, root, self._check)
        self.resize(520, self.sizeHint().height())
        self.apply: Callable[[UnitDialog], str] | None = None  # set by the plan dialog: "" or a message

    def _offer_names(self, unit: Unit | None) -> None:
        if unit is not None and not self.name_edit.text().strip() and not self.short_edit.text().strip():
            self.name_edit.setText(unit.name)
            self.short_edit.setText(unit.short_name)

    def _check(self) -> None:
        """Asks the plan dialog to apply the edit; closes only when it was accepted."""
        message = self.apply(self) if self.apply is not None else ""
        if message:
            self.error_label.setText(message)
            return
        self.accept()

    def when(self, required: bool) -> date | None:
        text = self.date_edit.text().strip()
        if not text and not required:
            return None
        if not text:
            raise ValueError("Chưa nhập ngày (dd/mm/yyyy).")
        return parse_date(text, "Ngày")

    def text_of(self, edit: QLineEdit, what: str) -> str:
        text = nfc(edit.text())
        if not text:
            raise ValueError(f"Chưa nhập {what}.")
        return text


def unit_forms(plan: Plan) -> list[Form]:
    """The forms some unit of the plan fills in (plan order): the others only build them."""
    used = {u.form for u in plan.units}
    return [f for f in plan.forms if f.code in used]


def forms_text(plan: Plan, code: str) -> tuple[str, str]:
    """Which units' forms carry field ``code``: ("mọi biểu mẫu" or the form codes, their titles)."""
    forms = unit_forms(plan)
    having = [f for f in forms if code in f.fields]
    titles = "\n".join(f"{f.code} — {f.title}" for f in having)
    if having and len(having) == len(forms):
        return f"Mọi biểu mẫu ({len(forms)})", titles
    return ", ".join(f.code for f in having) or "(không biểu mẫu nào)", titles


class FieldDialog(QDialog):
    """A field's label, unit of measure and help ("edit", the code shown, never editable), or a new
    whole-number field ("add": code, section, how the year adds up, the forms). ``apply`` (set by
    the plan dialog) makes the edit: "" or what is wrong, shown here."""

    def __init__(self, mode: str, plan: Plan, field: FieldDef | None, forms: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.setWindowTitle("Sửa trường số liệu" if mode == "edit" else "Thêm trường số")
        root = QVBoxLayout(self)
        intro = (f"Trường {field.code}: mã giữ nguyên (số liệu, mẫu Excel và chỉ tiêu dựa vào mã); "
                 "đổi được nhãn, đơn vị tính và giải thích." if mode == "edit" and field is not None else
                 "Trường số nguyên (≥ 0) mới, thêm vào cuối các biểu mẫu chọn dưới đây.")
        label = QLabel(intro, self)
        label.setWordWrap(True)
        root.addWidget(label)
        form = QFormLayout()
        root.addLayout(form)
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText("chữ thường không dấu, số, dấu _ (ví dụ yt_so_co_so_moi)")
        self.label_edit = QPlainTextEdit(self)
        self.label_edit.setTabChangesFocus(True)
        self.label_edit.setMaximumHeight(64)
        self.measure_edit = QLineEdit(self)
        self.measure_edit.setPlaceholderText("người, cơ sở, buổi, vụ…")
        self.help_edit = QPlainTextEdit(self)
        self.help_edit.setTabChangesFocus(True)
        self.help_edit.setMaximumHeight(80)
        self.section_combo = QComboBox(self)
        for sec in plan.sections:
            self.section_combo.addItem(sec.title, sec.code)
        self.rule_combo = QComboBox(self)
        for rule, text in YEAR_RULES:
            self.rule_combo.addItem(text, rule)
        self.forms_list = QListWidget(self)
        for f in unit_forms(plan):
            units = ", ".join(u.short_name for u in plan.units if u.form == f.code)
            item = QListWidgetItem(f"{f.code} — {f.title}")
            item.setToolTip(f"Đơn vị dùng biểu mẫu này: {units}")
            item.setData(Qt.ItemDataRole.UserRole, f.code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if f.code in forms else Qt.CheckState.Unchecked)
            self.forms_list.addItem(item)
            if f.code in forms:
                self.forms_list.scrollToItem(item)
        if mode == "edit" and field is not None:
            code_value = QLabel(field.code, self)
            code_value.setObjectName("fieldCodeValue")
            code_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow("Mã trường:", code_value)
            self.label_edit.setPlainText(field.label)
            self.measure_edit.setText(field.measure)
            self.help_edit.setPlainText(field.help)
            for unused in (self.code_edit, self.section_combo, self.rule_combo, self.forms_list):
                unused.hide()  # not on this dialog (a child outside the layout would show at its corner)
        else:
            form.addRow("Mã trường:", self.code_edit)
        form.addRow("Nhãn:", self.label_edit)
        form.addRow("Đơn vị tính:", self.measure_edit)
        form.addRow("Giải thích:", self.help_edit)
        if mode == "add":
            form.addRow("Thuộc mục:", self.section_combo)
            form.addRow("Cả năm tính là:", self.rule_combo)
            form.addRow("Thêm vào biểu mẫu:", self.forms_list)
        self.error_label, self.ok_button, self.cancel_button = _answer_row(self, root, self._check)
        fit_to_screen(self, 620, self.sizeHint().height())
        self.apply: Callable[[FieldDialog], str] | None = None

    def checked_forms(self) -> list[str]:
        return [str(self.forms_list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.forms_list.count())
                if self.forms_list.item(i).checkState() == Qt.CheckState.Checked]

    def _check(self) -> None:
        message = self.apply(self) if self.apply is not None else ""
        if message:
            self.error_label.setText(message)
            return
        self.accept()


class PlanDialog(QDialog):
    """See the module docstring. ``plan`` is the draft with the structural edits made so far."""

    saved = Signal(str)  # the code of the plan stored

    def __init__(self, ctx: GuiContext, draft: Plan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = draft
        self.setWindowTitle(f"Lập kế hoạch năm {draft.info.year}")
        self.form = load_ui("plan_dialog.ui", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        f = self.form
        self.pages: QTabWidget = _child(f, QTabWidget, "pages")
        self.code_edit: QLineEdit = _child(f, QLineEdit, "codeEdit")
        self.year_value: QLabel = _child(f, QLabel, "yearValue")
        self.previous_value: QLabel = _child(f, QLabel, "previousValue")
        self.number_edit: QLineEdit = _child(f, QLineEdit, "numberEdit")
        self.title_edit: QPlainTextEdit = _child(f, QPlainTextEdit, "titleEdit")
        self.signed_edit: QLineEdit = _child(f, QLineEdit, "signedOnEdit")
        self.issuer_edit: QLineEdit = _child(f, QLineEdit, "issuerEdit")
        self.superior_edit: QLineEdit = _child(f, QLineEdit, "superiorEdit")
        self.district_edit: QLineEdit = _child(f, QLineEdit, "districtEdit")
        self.place_edit: QLineEdit = _child(f, QLineEdit, "placeEdit")
        self.consolidator_combo: QComboBox = _child(f, QComboBox, "consolidatorCombo")
        self.periods_table: QTableWidget = _child(f, QTableWidget, "periodsTable")
        self.units_table: QTableWidget = _child(f, QTableWidget, "unitsTable")
        self.indicators_table: QTableWidget = _child(f, QTableWidget, "indicatorsTable")
        self.fields_table: QTableWidget = _child(f, QTableWidget, "fieldsTable")
        self.form_filter: QComboBox = _child(f, QComboBox, "formFilterCombo")
        self.edit_field_button: QPushButton = _child(f, QPushButton, "editFieldButton")
        self.add_field_button: QPushButton = _child(f, QPushButton, "addFieldButton")
        self.field_dialog: FieldDialog | None = None
        self.error_label: QLabel = _child(f, QLabel, "errorLabel")
        self.save_button: QPushButton = _child(f, QPushButton, "saveButton")
        self.cancel_button: QPushButton = _child(f, QPushButton, "cancelButton")
        self.rename_button: QPushButton = _child(f, QPushButton, "renameButton")
        self.close_button: QPushButton = _child(f, QPushButton, "closeButton")
        self.merge_button: QPushButton = _child(f, QPushButton, "mergeButton")
        self.add_button: QPushButton = _child(f, QPushButton, "addButton")
        self.reopen_button: QPushButton = _child(f, QPushButton, "reopenButton")
        self.unit_dialog: UnitDialog | None = None
        for table, columns in ((self.periods_table, PERIOD_COLUMNS), (self.units_table, UNIT_COLUMNS),
                               (self.indicators_table, INDICATOR_COLUMNS), (self.fields_table, FIELD_COLUMNS)):
            table.setColumnCount(len(columns))
            table.setHorizontalHeaderLabels(list(columns))
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.units_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.indicators_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.indicators_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.periods_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.units_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        fields_header = self.fields_table.horizontalHeader()
        fields_header.setSectionResizeMode(FIELD_LABEL, QHeaderView.ResizeMode.Stretch)
        fields_header.setSectionResizeMode(FIELD_FORMS, QHeaderView.ResizeMode.Interactive)
        fields_header.resizeSection(FIELD_FORMS, 150)
        self.fields_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.form_filter.currentIndexChanged.connect(lambda _i: self._fill_fields())
        self.fields_table.itemSelectionChanged.connect(self._field_selection_changed)
        self.fields_table.itemDoubleClicked.connect(lambda _i: self._field_edit("edit"))
        self.edit_field_button.clicked.connect(lambda: self._field_edit("edit"))
        self.add_field_button.clicked.connect(lambda: self._field_edit("add"))
        self.rename_button.clicked.connect(lambda: self._unit_edit("rename"))
        self.close_button.clicked.connect(lambda: self._unit_edit("close"))
        self.merge_button.clicked.connect(lambda: self._unit_edit("merge"))
        self.add_button.clicked.connect(lambda: self._unit_edit("add"))
        self.reopen_button.clicked.connect(self._reopen)
        self.units_table.itemSelectionChanged.connect(self._selection_changed)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self._fill_general()
        self._fill_periods()
        self._fill_units()
        self._fill_form_filter()
        self._fill_fields()
        self._fill_indicators()
        self._selection_changed()
        fit_to_screen(self, 1000, 640)  # a 1024x768 screen: inside its free area

    # -- filling the pages from the draft ------------------------------------------------
    def _fill_general(self) -> None:
        info = self.plan.info
        self.code_edit.setText(info.code)
        self.year_value.setText(str(info.year))
        self.previous_value.setText(info.previous or "(không có)")
        self.number_edit.setText(info.number)
        self.title_edit.setPlainText(info.title)
        self.signed_edit.setText(date_text(info.signed_on))
        self.issuer_edit.setText(info.issuer)
        self.superior_edit.setText(info.superior)
        self.district_edit.setText(info.district)
        self.place_edit.setText(info.place)
        self._fill_consolidators()

    def _fill_consolidators(self) -> None:
        combo, current = self.consolidator_combo, self.consolidator_combo.currentData() or self.plan.info.consolidator
        combo.clear()
        for u in self.plan.units:
            combo.addItem(u.name, u.code)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    def _fill_periods(self) -> None:
        t = self.periods_table
        t.setRowCount(len(self.plan.periods))
        for row, p in enumerate(self.plan.periods):
            for col, text in enumerate((p.code, p.name, date_text(p.start), date_text(p.end))):
                t.setItem(row, col, _item(text))
            t.setItem(row, PER_DEADLINE, _item(date_text(p.deadline), editable=True))

    def _fill_units(self) -> None:
        t, plan = self.units_table, self.plan
        t.setRowCount(len(plan.units))
        for row, u in enumerate(plan.units):
            successor = plan.unit(u.successor).name if u.successor and plan.has_unit(u.successor) else ""
            texts = (u.code, u.name, u.short_name, plan.group(u.group).name, date_text(u.active_from),
                     date_text(closed_from(u)), successor)
            for col, text in enumerate(texts):
                item = _item(text)
                item.setData(Qt.ItemDataRole.UserRole, u.code)
                if u.active_to is not None:
                    item.setForeground(QColor("#808080"))
                    item.setToolTip(f"{u.name}: ngừng hoạt động từ {date_text(closed_from(u))}"
                                    + (f", chuyển giao cho {successor}" if successor else ""))
                t.setItem(row, col, item)
        self._fill_consolidators()
        self._selection_changed()

    def _fill_indicators(self) -> None:
        t = self.indicators_table
        # keep what the person typed: the table is filled once, and again only after nothing was typed
        t.setRowCount(len(self.plan.indicators))
        for row, ind in enumerate(self.plan.indicators):
            t.setItem(row, 0, _item(ind.code))
            name = _item(ind.name, editable=True)
            name.setToolTip(ind.name)
            t.setItem(row, IND_NAME, name)
            t.setItem(row, IND_TARGET, _item(number_text(ind.target), editable=True))
            combo = QComboBox(t)
            for kind, label in KINDS:
                combo.addItem(label, kind)
            combo.setCurrentIndex(combo.findData(ind.target_kind))
            combo.setObjectName(f"kindCombo_{ind.code}")
            t.setCellWidget(row, IND_KIND, combo)
            t.setItem(row, IND_KIND, _item(""))
            t.setItem(row, 4, _item(ind.responsible))

    def _fill_form_filter(self) -> None:
        combo = self.form_filter
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(f"Tất cả các trường ({len(self.plan.fields)})", "")
        for form in unit_forms(self.plan):
            combo.addItem(f"{form.code} — {form.title} ({len(form.fields)} trường)", form.code)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
        combo.blockSignals(False)

    def shown_fields(self) -> list[FieldDef]:
        """The fields the page lists: every field of the plan, or the chosen form's in its order."""
        code = self.form_filter.currentData()
        if code and code in {f.code for f in self.plan.forms}:
            return [self.plan.field(c) for c in self.plan.form(code).fields]
        return list(self.plan.fields)

    def _fill_fields(self, select: str = "") -> None:
        t, plan = self.fields_table, self.plan
        select = select or self.selected_field_code()
        fields = self.shown_fields()
        t.setRowCount(len(fields))
        for row, fd in enumerate(fields):
            where, titles = forms_text(plan, fd.code)
            texts = (fd.code, fd.label, FIELD_TYPES[fd.type], fd.measure, where)
            for col, text in enumerate(texts):
                item = _item(text)
                item.setToolTip({FIELD_LABEL: fd.label + (f"\n\n{fd.help}" if fd.help else ""),
                                 FIELD_FORMS: titles}.get(col, ""))
                t.setItem(row, col, item)
        if select:
            rows = [r for r in range(t.rowCount()) if _text(t, r, 0) == select]
            if rows:
                t.selectRow(rows[0])
                first = t.item(rows[0], 0)
                if first is not None:
                    t.scrollToItem(first)
        self._field_selection_changed()

    def selected_field_code(self) -> str:
        rows = sorted({i.row() for i in self.fields_table.selectedIndexes()})
        return _text(self.fields_table, rows[0], 0) if rows else ""

    def _field_selection_changed(self) -> None:
        self.edit_field_button.setEnabled(bool(self.selected_field_code()))

    def _field_edit(self, mode: str) -> None:
        code = self.selected_field_code()
        if mode == "edit" and not code:
            return
        field = self.plan.field(code) if mode == "edit" else None
        shown = self.form_filter.currentData()
        dialog = FieldDialog(mode, self.plan, field, [shown] if shown else [], self)
        dialog.apply = lambda d: self._apply_field_edit(d, code)
        self.field_dialog = dialog
        dialog.open()

    def _apply_field_edit(self, d: FieldDialog, code: str) -> str:
        """Make the field edit on the draft (through ``plan_edit``); "" or what is wrong."""
        from dkdesk.catalogue import plan_edit
        from dkdesk.catalogue.loader import PlanError

        try:
            if d.mode == "edit":
                new = plan_edit.edit_field(self.plan, code, label=d.label_edit.toPlainText(),
                                           measure=d.measure_edit.text(), help=d.help_edit.toPlainText())
            else:
                code = nfc(d.code_edit.text())
                new = plan_edit.add_new_int_field(self.plan, d.checked_forms(), code, d.label_edit.toPlainText(),
                                                  section=str(d.section_combo.currentData()),
                                                  measure=d.measure_edit.text(), help=d.help_edit.toPlainText(),
                                                  year_rule=str(d.rule_combo.currentData()))
        except PlanError as exc:
            return str(exc)
        self.plan = new
        self._fill_form_filter()
        self._fill_fields(select=code)
        self.error_label.clear()
        return ""

    # -- units -------------------------------------------------------------------------------
    def selected_units(self) -> list[Unit]:
        rows = sorted({i.row() for i in self.units_table.selectedIndexes()})
        return [self.plan.unit(_text(self.units_table, r, 0)) for r in rows]

    def _selection_changed(self) -> None:
        units = self.selected_units()
        n = len(units)
        self.rename_button.setEnabled(n == 1)
        self.close_button.setEnabled(n >= 1)
        self.merge_button.setEnabled(n >= 2)
        self.reopen_button.setEnabled(n >= 1 and all(u.active_to is not None for u in units))

    def _reopen(self) -> None:
        """Undo a closing or a merger of the selected units (they stay in the table, active again)."""
        from dkdesk.catalogue import plan_edit
        from dkdesk.catalogue.loader import PlanError

        codes = [u.code for u in self.selected_units()]
        plan = self.plan
        try:
            for code in codes:
                plan = plan_edit.reopen_unit(plan, code)
        except PlanError as exc:
            self.error_label.setText(str(exc))
            return
        self.plan = plan
        self._fill_units()
        self.error_label.clear()

    def _unit_edit(self, mode: str) -> None:
        units = [] if mode == "add" else self.selected_units()
        if mode != "add" and not units:
            return
        dialog = UnitDialog(mode, self.plan, units, self)
        dialog.apply = lambda d: self._apply_unit_edit(d, [u.code for u in units])
        self.unit_dialog = dialog
        dialog.open()

    def _apply_unit_edit(self, d: UnitDialog, codes: list[str]) -> str:
        """Make the edit on the draft (through ``plan_edit``); "" or what is wrong."""
        from dkdesk.catalogue import plan_edit
        from dkdesk.catalogue.loader import PlanError

        plan = self.plan
        try:
            if d.mode == "rename":
                new = plan_edit.rename_unit(plan, codes[0], d.text_of(d.name_edit, "tên đơn vị"),
                                            d.text_of(d.short_edit, "tên ngắn"))
            elif d.mode == "close":
                when = d.when(True)
                assert when is not None
                new = plan
                for code in codes:
                    new = plan_edit.close_unit(new, code, when)
            elif d.mode == "merge":
                when = d.when(True)
                assert when is not None
                new = plan_edit.merge_units(plan, codes, d.text_of(d.code_edit, "mã đơn vị mới"),
                                            d.text_of(d.name_edit, "tên đơn vị"), when,
                                            short_name=nfc(d.short_edit.text()),
                                            group=str(d.group_combo.currentData()),
                                            form=str(d.form_combo.currentData()))
            else:
                new = plan_edit.add_unit(plan, d.text_of(d.code_edit, "mã đơn vị mới"),
                                         d.text_of(d.name_edit, "tên đơn vị"), short_name=nfc(d.short_edit.text()),
                                         group=str(d.group_combo.currentData()), form=str(d.form_combo.currentData()),
                                         active_from=d.when(False))
        except (ValueError, PlanError) as exc:
            return str(exc)
        self.plan = new
        self._fill_units()
        self.error_label.clear()
        return ""

    # -- reading the pages back --------------------------------------------------------------
    def collect(self) -> tuple[Plan | None, list[tuple[int, int, str]]]:
        """The plan as the pages show it, or None and the problems: (page, row or -1, message)."""
        from dkdesk.catalogue import plan_edit
        from dkdesk.catalogue.loader import PlanError

        problems: list[tuple[int, int, str]] = []
        plan = self.plan
        info = plan.info
        signed: date | None = None
        if self.signed_edit.text().strip():
            try:
                signed = parse_date(self.signed_edit.text(), "Thông tin chung, ngày ký")
            except ValueError as exc:
                problems.append((PAGE_GENERAL, -1, str(exc)))
        general = {"code": (self.code_edit, "mã kế hoạch"), "number": (self.number_edit, "số hiệu văn bản"),
                   "issuer": (self.issuer_edit, "cơ quan ban hành"), "superior": (self.superior_edit, "cơ quan cấp trên"),
                   "district": (self.district_edit, "địa bàn"), "place": (self.place_edit, "địa danh")}
        texts: dict[str, str] = {}
        for key, (edit, what) in general.items():
            texts[key] = nfc(edit.text())
            if not texts[key]:
                problems.append((PAGE_GENERAL, -1, f"Thông tin chung: chưa nhập {what}."))
        texts["title"] = nfc(self.title_edit.toPlainText())
        if not texts["title"]:
            problems.append((PAGE_GENERAL, -1, "Thông tin chung: chưa nhập tên kế hoạch."))
        if not problems:
            changes = {k: v for k, v in dict(texts, signed_on=signed,
                                             consolidator=str(self.consolidator_combo.currentData())).items()
                       if getattr(info, k) != v}
            if changes:
                try:
                    plan = plan_edit.set_info(plan, **changes)
                except PlanError as exc:
                    problems.append((PAGE_GENERAL, -1, f"Thông tin chung: {exc}"))
        for row, p in enumerate(plan.periods):
            where = f"Kỳ báo cáo dòng {row + 1} ({p.name})"
            text = _text(self.periods_table, row, PER_DEADLINE)
            try:
                deadline = parse_date(text, f"{where}, hạn nộp")
                if deadline != p.deadline:
                    plan = plan_edit.set_deadline(plan, p.code, deadline)
            except (ValueError, PlanError) as exc:
                message = str(exc)
                problems.append((PAGE_PERIODS, row, message if message.startswith(where) else f"{where}: {message}"))
        for row, ind in enumerate(plan.indicators):
            where = f"Chỉ tiêu dòng {row + 1} ({ind.code})"
            combo = self.indicators_table.cellWidget(row, IND_KIND)
            kind: TargetKind = "count" if isinstance(combo, QComboBox) and combo.currentData() == "count" else (
                "percent" if isinstance(combo, QComboBox) else ind.target_kind)
            try:
                name = nfc(_text(self.indicators_table, row, IND_NAME))
                if not name:
                    raise ValueError(f"{where}: chưa nhập tên chỉ tiêu.")
                if name != ind.name:
                    plan = plan_edit.rename_indicator(plan, ind.code, name)
                target = parse_number(_text(self.indicators_table, row, IND_TARGET), f"{where}, mục tiêu")
                if target != ind.target or kind != ind.target_kind:
                    plan = plan_edit.set_target(plan, ind.code, target, kind)
            except (ValueError, PlanError) as exc:
                message = str(exc)
                problems.append((PAGE_INDICATORS, row, message if message.startswith(where) else f"{where}: {message}"))
        if problems:
            return None, problems
        try:
            plan = plan_edit.checked(plan)
        except PlanError as exc:
            return None, [(PAGE_GENERAL, -1, f"Kế hoạch chưa hợp lệ: {exc}")]
        return plan, []

    def show_problems(self, problems: list[tuple[int, int, str]]) -> None:
        """The first problems (a few lines, so that the dialog stays on a 1024x768 screen), how many
        more there are, and every one in the tooltip; the first one's page and row are shown."""
        lines = [m for _p, _r, m in problems]
        shown = lines if len(lines) <= SHOWN_PROBLEMS else [
            *lines[:SHOWN_PROBLEMS - 1], f"… và {len(lines) - SHOWN_PROBLEMS + 1} chỗ khác chưa đúng "
                                         "(để chuột lên đây để xem hết)."]
        self.error_label.setText("\n".join(shown))
        self.error_label.setToolTip("\n".join(lines) if shown != lines else "")
        page, row, _m = problems[0]
        self.pages.setCurrentIndex(page)
        table = {PAGE_PERIODS: self.periods_table, PAGE_INDICATORS: self.indicators_table}.get(page)
        if table is not None and row >= 0:
            table.selectRow(row)

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> None:
        from dkdesk.catalogue.plan_dump import dump_plan
        from dkdesk.gui.ops import change, query

        plan, problems = self.collect()
        if plan is None:
            self.show_problems(problems)
            return
        self.error_label.clear()
        self.error_label.setToolTip("")
        text = dump_plan(plan)
        code = plan.info.code

        def store() -> None:
            change(self, self.ctx, lambda desk: desk.add_plan(text), kind="plan", title="Lưu kế hoạch") \
                .success(self._stored) \
                .failure(lambda exc: self.error_label.setText(_describe(exc))) \
                .run()

        def known(codes: list[str]) -> None:
            if code in codes and not confirm(self, "Lưu kế hoạch",
                                             f"Cơ sở dữ liệu đã có kế hoạch {code}. Thay kế hoạch đó bằng kế hoạch này?",
                                             yes="Thay", no="Không"):
                return
            store()

        query(self, self.ctx, lambda desk: [s.code for s in desk.plans()], title="Lưu kế hoạch") \
            .success(known).run()

    def _stored(self, code: str) -> None:
        self.stored_code = code
        self.accept()
        self.saved.emit(code)


def _describe(exc: BaseException) -> str:
    from dkdesk.gui.messages import describe

    return describe(exc)


def indicator_kind_label(ind: Indicator) -> str:
    return dict(KINDS)[ind.target_kind]


def open_next_year_dialog(ctx: GuiContext, parent: QWidget | None, switch: Callable[[str], None] | None = None) -> PlanDialog | None:
    """Make next year's draft from the plan in use and show the dialog (window-modal)."""
    from dkdesk.catalogue import plan_edit
    from dkdesk.catalogue.loader import PlanError
    from dkdesk.gui.messages import show_error

    try:
        draft = plan_edit.next_year(ctx.desk.plan)
    except PlanError as exc:
        show_error(parent, "Lập kế hoạch năm sau", exc)
        return None
    dialog = PlanDialog(ctx, draft, parent)
    if switch is not None:
        dialog.saved.connect(switch)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog
