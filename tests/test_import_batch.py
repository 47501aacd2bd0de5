"""``Desk.import_batch``: the files of one import recorded and stored in one transaction."""
from __future__ import annotations

import pytest

from dkdesk.core.records import ImportFile, Refused
from dkdesk.core.validation import ValidationFailed

WARD, OTHER = "P-HUNGDAO", "P-ANHDUNG"
H1 = "2024-H1"


def _file(name: str, unit: str | None, content: bytes = b"PK...") -> ImportFile:
    return ImportFile(name, f"/usb/{name}", name.encode().hex()[:64].ljust(64, "0"), len(content), unit,
                      H1 if unit else None, "1", "", content)


def test_a_batch_stores_the_good_file_and_records_the_refused_one(desk):
    with desk.import_batch(who="Chị Lan") as batch:
        good, bad = batch.record([_file("a.xlsx", WARD), _file("b.xlsx", OTHER)])
        res = batch.store(good, {"tt_so_hinh_thuc": 4, "nld_cskd_tong": 10})
        with pytest.raises(ValidationFailed):
            batch.store(bad, {"nld_cskd_tong": 10, "nld_cskd_duoc_tt": 11})  # a part above its total
        batch.reject(bad, "Số trong đó lớn hơn tổng")
        [refused_id] = batch.record([_file("c.txt", None)], result="rejected")
    assert (res.new, res.changed) == (2, 0)
    assert desk.get_values(WARD, H1).values == {"tt_so_hinh_thuc": 4, "nld_cskd_tong": 10}
    assert desk.get_values(WARD, H1).info["nld_cskd_tong"].import_id == good
    assert desk.get_values(OTHER, H1).values == {}  # nothing of the refused file
    records = {r.id: r for r in desk.imports()}
    assert (records[good].result, records[good].new, records[good].who) == ("imported", 2, "Chị Lan")
    assert records[good].has_content and desk.original_file(good) == ("a.xlsx", b"PK...")
    assert (records[bad].result, records[bad].message, records[bad].has_content) == \
        ("rejected", "Số trong đó lớn hơn tổng", False)
    assert records[refused_id].result == "rejected" and not records[refused_id].has_content
    with pytest.raises(Refused):
        desk.original_file(bad)
    imports = [e for e in desk.history() if e.action == "import"]
    assert [(e.unit, e.import_id, e.note) for e in imports] == [(WARD, good, "a.xlsx")]


def test_a_batch_that_fails_leaves_nothing(desk):
    with pytest.raises(RuntimeError):
        with desk.import_batch() as batch:
            [good] = batch.record([_file("a.xlsx", WARD)])
            batch.store(good, {"tt_so_hinh_thuc": 4})
            raise RuntimeError("cancelled at the last moment")
    assert desk.imports() == []
    assert desk.get_values(WARD, H1).values == {}


def test_the_same_report_twice_in_one_batch_counts_the_second_against_the_first(desk):
    with desk.import_batch() as batch:
        first, second = batch.record([_file("a.xlsx", WARD), _file("a2.xlsx", WARD)])
        batch.store(first, {"tt_so_hinh_thuc": 4})
        res = batch.store(second, {"tt_so_hinh_thuc": 4, "nld_cskd_tong": 3})
        assert (batch.result(first), batch.result(second)) == ("imported", "imported")
    assert (res.new, res.unchanged) == (1, 1)
