"""Every kind of damage an instructor could do by editing a CSV stops loading with one clear message."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from course.evidence.package import DataError, load


def rewrite(path: Path, edit) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    def edit(rows):
        rows[row - 1][rows[0].index(column)] = value

    rewrite(path, edit)


def expect_error(folder: Path, file: str, row: int | None, column: str | None, fix_words: str) -> DataError:
    with pytest.raises(DataError) as caught:
        load(folder)
    error = caught.value
    message = str(error)
    assert error.file == file and f"data/{file}" in message
    assert error.row == row
    if row is not None:
        assert f"row {row}" in message
    assert error.column == column
    if column is not None:
        assert f"column '{column}'" in message
    assert "Fix:" in message and fix_words in message
    assert "Traceback" not in message
    return error


def test_the_shipped_package_loads(data_copy):
    evidence = load(data_copy)
    assert len(evidence.sources) > 40 and len(evidence.events) > 60 and len(evidence.forces) == 30


def test_missing_file(data_copy):
    (data_copy / "events.csv").unlink()
    expect_error(data_copy, "events.csv", None, None, "restore it")


def test_wrong_type(data_copy):
    set_cell(data_copy / "forces.csv", 3, "strength", "290,000")
    error = expect_error(data_copy, "forces.csv", 3, "strength", "digits only")
    assert "'290,000' is not a whole number" in str(error)


def test_unknown_source_id(data_copy):
    set_cell(data_copy / "events.csv", 5, "source_ids", "no-such-source")
    error = expect_error(data_copy, "events.csv", 5, "source_ids", "sources.csv")
    assert "'no-such-source'" in str(error)


def test_unknown_source_id_names_its_row(data_copy):
    # Rows are reported as line numbers in the file, as a spreadsheet shows them.
    set_cell(data_copy / "claims.csv", 4, "source_ids", "tian-2014;invented-archive")
    with pytest.raises(DataError) as caught:
        load(data_copy)
    assert caught.value.row == 4 and "'invented-archive'" in str(caught.value)


def test_low_above_high(data_copy):
    def edit(rows):
        header = rows[0]
        row = rows[2]
        low, high = header.index("low"), header.index("high")
        row[low], row[high] = row[high], row[low]
        if row[low] == row[high]:
            row[low] = str(int(row[high]) + 1)

    rewrite(data_copy / "forces.csv", edit)
    error = expect_error(data_copy, "forces.csv", 3, "low", "low <= strength <= high")
    assert "out of order" in str(error)


@pytest.mark.parametrize("bad", ["1958-02-30", "24/01/1958", "1958-13"])
def test_bad_date(data_copy, bad):
    set_cell(data_copy / "events.csv", 6, "date", bad)
    expect_error(data_copy, "events.csv", 6, "date", "YYYY-MM-DD")


def test_duplicate_id(data_copy):
    def edit(rows):
        rows[5][0] = rows[4][0]

    rewrite(data_copy / "sources.csv", edit)
    expect_error(data_copy, "sources.csv", 6, "id", "own identifier")


def test_missing_column(data_copy):
    def edit(rows):
        column = rows[0].index("basis")
        for row in rows:
            del row[column]

    rewrite(data_copy / "forces.csv", edit)
    expect_error(data_copy, "forces.csv", 1, "basis", "first row must name")


def test_renamed_column(data_copy):
    def edit(rows):
        rows[0][rows[0].index("event")] = "description"

    rewrite(data_copy / "events.csv", edit)
    error = expect_error(data_copy, "events.csv", 1, "event", "first row must name")
    assert "description" in str(error) and "renamed" in str(error)


def test_utf16(data_copy):
    path = data_copy / "people.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    expect_error(data_copy, "people.csv", None, None, "UTF-8")


def test_bom(data_copy):
    path = data_copy / "sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    error = expect_error(data_copy, "sources.csv", None, None, "without a BOM")
    assert "byte-order mark" in str(error)


def test_enum_names_the_allowed_values(data_copy):
    set_cell(data_copy / "forces.csv", 2, "series", "NKA")
    error = expect_error(data_copy, "forces.csv", 2, "series", "KPA, CPV, ROK, US, other_UN")
    assert "'NKA'" in str(error)


def test_unquoted_comma(data_copy):
    path = data_copy / "people.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",stray"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect_error(data_copy, "people.csv", 3, None, "quotation marks")


def test_loading_loses_nothing(data_copy):
    before = {p.relative_to(data_copy).as_posix(): p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    set_cell(data_copy / "forces.csv", 3, "strength", "many")
    damaged = (data_copy / "forces.csv").read_bytes()
    with pytest.raises(DataError):
        load(data_copy)
    after = {p.relative_to(data_copy).as_posix(): p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    assert after["forces.csv"] == damaged
    assert {k: v for k, v in after.items() if k != "forces.csv"} == {
        k: v for k, v in before.items() if k != "forces.csv"
    }
