"""Load the evidence base (`data/`) into typed pandas DataFrames, checking it on the way in.

The checks are driven by `data/datapackage.json`, so the schema lives in one place. An
instructor who edits a CSV and breaks it gets one `DataError` naming the file, the row, the
column and the fix; nothing is written, so nothing is lost. Totals of the force series are
computed here and never stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from course.i18n import _
from course.settings import data_dir, data_suffix

UN_SERIES = ("US", "other_UN")
COMMUNIST_SERIES = ("KPA", "CPV")
ESTIMATES = ("low", "strength", "high")
DATE_FIELDS = ("date", "date_sort")


class DataError(ValueError):
    """A problem in the evidence base, described for the person who has to fix it."""

    def __init__(self, file: str, problem: str, fix: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.problem, self.fix = file, row, column, problem, fix
        if row is not None and column is not None:
            where = _("data/{file}, row {row}, column '{column}'", file=file, row=row, column=column)
        elif row is not None:
            where = _("data/{file}, row {row}", file=file, row=row)
        else:
            where = _("data/{file}", file=file)
        super().__init__(_("{where}: {problem} Fix: {fix}", where=where, problem=problem, fix=fix))


@dataclass(frozen=True)
class Evidence:
    """The whole evidence base, one typed DataFrame per resource."""

    sources: pd.DataFrame
    people: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    plans: pd.DataFrame
    forces: pd.DataFrame
    excerpts: pd.DataFrame
    paragraphs: pd.DataFrame
    places: pd.DataFrame


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00"):
        raise DataError(
            path.name,
            _("the file is saved as UTF-16."),
            _("save it again as 'CSV UTF-8' without a BOM (in a text editor: encoding UTF-8, no BOM)."),
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(
            path.name,
            _("the file starts with a byte-order mark (BOM)."),
            _("save it again as 'CSV UTF-8' without a BOM (in a text editor: encoding UTF-8, no BOM)."),
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            path.name,
            _("the file is not valid UTF-8 (first bad byte on line {line}).", line=line),
            _("save it again as 'CSV UTF-8' without a BOM (in a text editor: encoding UTF-8, no BOM)."),
        ) from None


def _real_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _in_range(number: float, value: str, cons: dict, file: str, row: int, name: str) -> float:
    """`number` if it lies within the field's minimum and maximum; else the error naming file, row and column."""
    low, high = cons.get("minimum"), cons.get("maximum")
    if (low is not None and number < low) or (high is not None and number > high):
        raise DataError(
            file,
            _("{value} is outside the allowed range {low}-{high}.", value=value, low=low, high=high),
            _("use a value from {low} to {high}.", low=low, high=high),
            row,
            name,
        )
    return number


def _check_value(file: str, row: int, field: dict, value: str) -> object:
    """Convert one cell to its schema type, or raise a DataError that says how to fix it."""
    name, kind = field["name"], field["type"]
    cons = field.get("constraints", {})
    if value == "":
        if cons.get("required"):
            raise DataError(
                file,
                _("this cell is empty but is required."),
                _("fill it in (see the column's description in data/datapackage.json)."),
                row,
                name,
            )
        return None
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise DataError(
                file,
                _("'{value}' is not a whole number.", value=value),
                _("write digits only, without commas, spaces or units (e.g. 290000)."),
                row,
                name,
            )
        number = int(value)
        return _in_range(number, value, cons, file, row, name)
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            raise DataError(
                file,
                _("'{value}' is not a number.", value=value),
                _("write digits with a decimal point, without units (e.g. 124.39)."),
                row,
                name,
            )
        return _in_range(number, value, cons, file, row, name)
    if kind == "boolean":
        if value not in ("true", "false"):
            raise DataError(
                file,
                _("'{value}' is not true or false.", value=value),
                _("write true or false in lower case."),
                row,
                name,
            )
        return value == "true"
    if kind == "list":
        items = tuple(value.split(field.get("delimiter", ";")))
        if any(item.strip() != item or not item for item in items):
            raise DataError(
                file,
                _("'{value}' is not a clean list.", value=value),
                _("separate items with ';' and no spaces, with no empty item (e.g. a;b)."),
                row,
                name,
            )
        return items
    allowed = cons.get("enum")
    if allowed and value not in allowed:
        raise DataError(
            file,
            _("'{value}' is not one of the allowed values.", value=value),
            _("use one of: {allowed}.", allowed=", ".join(allowed)),
            row,
            name,
        )
    pattern = cons.get("pattern")
    # a date must have the ISO form (when the schema gives one) and be a real day, month or year
    if name in DATE_FIELDS and not (re.fullmatch(pattern or ".*", value) and _real_date(value)):
        raise DataError(
            file,
            _("'{value}' is not a real date in ISO form.", value=value),
            _("write YYYY-MM-DD (or YYYY-MM, or YYYY when only the month or year is known), e.g. 1958-01-24."),
            row,
            name,
        )
    if pattern and not re.fullmatch(pattern, value):
        raise DataError(
            file,
            _("'{value}' does not have the expected form.", value=value),
            _("it must match the pattern {pattern}.", pattern=pattern),
            row,
            name,
        )
    return value


def _load_resource(folder: Path, resource: dict) -> pd.DataFrame:
    file = resource["path"]
    path = folder / file
    if not path.exists():
        raise DataError(
            file,
            _("the file is missing from {folder}.", folder=folder),
            _("restore it from the collection (git checkout -- data/) or from a fresh download."),
        )
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header = next(reader, None) or []
    fields = resource["schema"]["fields"]
    expected = [field["name"] for field in fields]
    missing = [name for name in expected if name not in header]
    if missing:
        extra = [name for name in header if name not in expected]
        problem = (
            _(
                "the column '{column}' is missing. Columns not in the schema: {extra} (was one renamed?).",
                column=missing[0],
                extra=", ".join(extra),
            )
            if extra
            else _("the column '{column}' is missing.", column=missing[0])
        )
        raise DataError(
            file,
            problem,
            _("the first row must name these columns: {columns}.", columns=",".join(expected)),
            1,
            missing[0],
        )
    position = {name: header.index(name) for name in expected}
    records = []
    for line_number, cells in enumerate(reader, start=2):
        if not any(cells):
            continue
        if len(cells) != len(header):
            raise DataError(
                file,
                _("this row has {found} cells but the header has {expected}.", found=len(cells), expected=len(header)),
                _(
                    "put quotation marks around any value that contains a comma, and check for a missing or extra comma."
                ),
                line_number,
            )
        records.append({f["name"]: _check_value(file, line_number, f, cells[position[f["name"]]]) for f in fields})
    frame = pd.DataFrame.from_records(records, columns=expected)
    key = resource["schema"]["primaryKey"]
    duplicated = frame.duplicated(subset=key, keep="first")
    if duplicated.any():
        index = int(duplicated.to_numpy().nonzero()[0][0])
        value = " / ".join(str(frame.iloc[index][k]) for k in key)
        raise DataError(
            file,
            _("the identifier '{value}' appears more than once.", value=value),
            _("give each row its own identifier, or delete the repeated row."),
            index + 2,
            ",".join(key),
        )
    for field in fields:
        if field["type"] == "integer":
            frame[field["name"]] = frame[field["name"]].astype("Int64")
        elif field["type"] == "boolean":
            frame[field["name"]] = frame[field["name"]].astype(bool)
        elif field["type"] == "number":
            frame[field["name"]] = frame[field["name"]].astype(float)
    return frame


def _check_references(frames: dict[str, pd.DataFrame], resources: list[dict]) -> None:
    for resource in resources:
        frame, schema = frames[resource["name"]], resource["schema"]
        links = [(fk, False) for fk in schema.get("foreignKeys", [])]
        links += [(fk, True) for fk in schema.get("x-list-foreign-keys", [])]
        for fk, is_list in links:
            target = fk["reference"]["resource"] or resource["name"]
            known = set(frames[target][fk["reference"]["fields"]])
            column = fk["fields"]
            for position, value in enumerate(frame[column]):
                if not isinstance(value, (str, tuple)):  # an empty cell (None or NaN)
                    continue
                for item in value if is_list else (value,):
                    if item not in known:
                        raise DataError(
                            resource["path"],
                            _("'{value}' is not an identifier in {target}.", value=item, target=f"{target}.csv"),
                            _("use an id that exists in {target}, or add a row for it there.", target=f"{target}.csv"),
                            position + 2,
                            column,
                        )


def _check_forces(forces: pd.DataFrame) -> None:
    for position, row in enumerate(forces.itertuples()):
        if not row.low <= row.strength <= row.high:
            column = "low" if row.low > row.high or row.low > row.strength else "high"
            raise DataError(
                "forces.csv",
                _(
                    "low {low}, best {strength} and high {high} are out of order.",
                    low=row.low,
                    strength=row.strength,
                    high=row.high,
                ),
                _("make low <= strength <= high (swap the values if they were entered the wrong way round)."),
                position + 2,
                column,
            )


def _add_date_columns(events: pd.DataFrame) -> pd.DataFrame:
    """`date_start`: the day that places an event in sequence: `date_sort` where the data gives one
    (month- or year-precision events whose place is known from context), else the first day of the period."""
    events = events.copy()
    first_day = events["date"].map(lambda d: d + "-01" * (2 - d.count("-")))
    events["date_start"] = pd.to_datetime(events["date_sort"].fillna(first_day))
    order = events["order_in_day"].fillna(0)
    return (
        events.assign(_order=order)
        .sort_values(["date_start", "_order", "id"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def load(folder: Path | str | None = None) -> Evidence:
    """Read and check every resource of the data package; raise DataError on the first problem."""
    folder = Path(folder) if folder is not None else data_dir()
    descriptor_path = folder / "datapackage.json"
    if not descriptor_path.exists():
        raise DataError(
            "datapackage.json",
            _("the file is missing from {folder}.", folder=folder),
            _("restore it from the collection (git checkout -- data/) or from a fresh download."),
        )
    try:
        descriptor = json.loads(_read_text(descriptor_path))
    except json.JSONDecodeError as exc:
        raise DataError(
            "datapackage.json",
            _("the descriptor is not valid JSON ({detail}).", detail=exc.msg),
            _("undo the last edit or restore data/datapackage.json from the collection."),
            exc.lineno,
        ) from None
    # Tables only: the map's boundaries (maps/korea-northeast.geojson) are a file resource read by the map itself.
    resources = [resource for resource in descriptor["resources"] if resource.get("type", "table") == "table"]
    frames = {resource["name"]: _load_resource(folder, resource) for resource in resources}
    _check_references(frames, resources)
    _check_forces(frames["forces"])
    frames["events"] = _add_date_columns(frames["events"])
    return Evidence(**frames)


@lru_cache(maxsize=4)
def _cached(folder: str) -> Evidence:
    return load(folder)


def evidence() -> Evidence:
    """The evidence base, loaded once per kernel (lessons and explorers share it)."""
    return _cached(str(data_dir()))


def force_table(forces: pd.DataFrame, estimate: str = "strength") -> pd.DataFrame:
    """Year-by-series strengths for one estimate, with the paper's three totals computed.

    `communist` = KPA + CPV; `UN` = US + other UN contingents (the paper's "UN forces",
    which exclude the ROK army); `UN_incl_ROK` = UN + ROK.
    """
    if estimate not in ESTIMATES:
        raise ValueError(
            _("unknown estimate '{estimate}'; allowed: {allowed}.", estimate=estimate, allowed=", ".join(ESTIMATES))
        )
    table = forces.pivot(index="year", columns="series", values=estimate).astype(int)
    table["communist"] = table[list(COMMUNIST_SERIES)].sum(axis=1)
    table["UN"] = table[list(UN_SERIES)].sum(axis=1)
    table["UN_incl_ROK"] = table["UN"] + table["ROK"]
    return table[["KPA", "CPV", "communist", "ROK", "UN", "UN_incl_ROK", "US", "other_UN"]]


def summary(ev: Evidence) -> dict[str, int]:
    """Row counts, for `one-voice validate` and the lessons' 'what is in the data' notes."""
    return {name: len(getattr(ev, name)) for name in ("sources", "people", "events", "claims", "plans", "forces")}


def localized(row: pd.Series | dict, column: str) -> str:
    """A row's `column` in the current language: its `<column>_zh` twin in the Chinese edition.

    The twin columns are complete for every shipped row (tests/test_zh_data.py); a custom data
    set without them shows the English text rather than nothing.
    """
    suffix = data_suffix()
    if suffix:
        value = row.get(f"{column}_{suffix}")
        if isinstance(value, str) and value.strip():
            return value
    value = row.get(column)
    return value if isinstance(value, str) else ""
