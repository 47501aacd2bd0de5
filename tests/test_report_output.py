"""Writing a report file: all or nothing, and a message that says what really failed."""
from __future__ import annotations

from pathlib import Path

import pytest

from dkdesk.core.records import Refused
from dkdesk.reports.output import write_atomically


def test_a_missing_program_file_is_not_blamed_on_the_target(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.docx"
    target.write_bytes(b"old")
    missing = tmp_path / "bundle" / "docx" / "templates" / "default-header.xml"

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        missing.read_bytes()

    with pytest.raises(Refused) as refused:
        write_atomically(target, write)
    assert "thiếu hoặc không đọc được tệp" in str(refused.value) and str(missing) in str(refused.value)
    assert target.read_bytes() == b"old"  # the old file stays
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.docx"]  # no temporary file left


def test_a_refused_write_names_the_target(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.xlsx"

    def write(tmp: Path) -> None:
        raise PermissionError(13, "Permission denied", str(tmp))

    with pytest.raises(Refused) as refused:
        write_atomically(target, write)
    assert f'Không ghi được "{target}"' in str(refused.value) and "không có quyền ghi" in str(refused.value)
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_a_good_write_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.xlsx"
    target.write_bytes(b"old")
    write_atomically(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["bao-cao.xlsx"]
