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

from course.i18n import t
from course.settings import data_dir

UN_SERIES = ("US", "other_UN")
COMMUNIST_SERIES = ("KPA", "CPV")
ESTIMATES = ("low", "strength", "high")
DATE_FIELDS = ("date", "date_sort")


class DataError(ValueError):
    """A problem in the evidence base, described for the person who has to fix it."""

    def __init__(self, file: str, problem: str, fix: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.problem, self.fix = file, row, column, problem, fix
        where = t("data.where_file", file=file)
        if row is not None:
            where += t("data.where_row", row=row)
        if column is not None:
            where += t("data.where_column", column=column)
        super().__init__(t("data.error", where=where, problem=problem, fix=fix))


@dataclass(frozen=True)
class Evidence:
    """The whole evidence base, one typed DataFrame per resource."""

    sources: pd.DataFrame
    people: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    plans: pd.DataFrame
    forces: pd.DataFrame


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00"):
        raise DataError(path.name, t("data.utf16"), t("data.fix_encoding"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(path.name, t("data.bom"), t("data.fix_encoding"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(path.name, t("data.not_utf8", line=line), t("data.fix_encoding")) from None


def _real_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _check_value(file: str, row: int, field: dict, value: str) -> object:
    """Convert one cell to its schema type, or raise a DataError that says how to fix it."""
    name, kind = field["name"], field["type"]
    cons = field.get("constraints", {})
    if value == "":
        if cons.get("required"):
            raise DataError(file, t("data.required"), t("data.fix_required"), row, name)
        return None
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise DataError(file, t("data.not_integer", value=value), t("data.fix_integer"), row, name)
        number = int(value)
        low, high = cons.get("minimum"), cons.get("maximum")
        if (low is not None and number < low) or (high is not None and number > high):
            raise DataError(file, t("data.out_of_range", value=value, low=low, high=high),
                            t("data.fix_range", low=low, high=high), row, name)
        return number
    if kind == "boolean":
        if value not in ("true", "false"):
            raise DataError(file, t("data.not_boolean", value=value), t("data.fix_boolean"), row, name)
        return value == "true"
    if kind == "list":
        items = tuple(value.split(field.get("delimiter", ";")))
        if any(item.strip() != item or not item for item in items):
            raise DataError(file, t("data.bad_list", value=value), t("data.fix_list"), row, name)
        return items
    allowed = cons.get("enum")
    if allowed and value not in allowed:
        raise DataError(file, t("data.not_allowed", value=value), t("data.fix_enum", allowed=", ".join(allowed)), row, name)
    pattern = cons.get("pattern")
    is_date = name in DATE_FIELDS
    if pattern and not re.fullmatch(pattern, value):
        if is_date:
            raise DataError(file, t("data.bad_date", value=value), t("data.fix_date"), row, name)
        raise DataError(file, t("data.bad_pattern", value=value), t("data.fix_pattern", pattern=pattern), row, name)
    if is_date and not _real_date(value):
        raise DataError(file, t("data.bad_date", value=value), t("data.fix_date"), row, name)
    return value


def _load_resource(folder: Path, resource: dict) -> pd.DataFrame:
    file = resource["path"]
    path = folder / file
    if not path.exists():
        raise DataError(file, t("data.missing_file", folder=folder), t("data.fix_missing_file"))
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header = next(reader, None) or []
    fields = resource["schema"]["fields"]
    expected = [field["name"] for field in fields]
    missing = [name for name in expected if name not in header]
    if missing:
        extra = [name for name in header if name not in expected]
        hint = t("data.renamed_hint", extra=", ".join(extra)) if extra else ""
        raise DataError(file, t("data.missing_column", column=missing[0]) + hint,
                        t("data.fix_header", columns=",".join(expected)), 1, missing[0])
    position = {name: header.index(name) for name in expected}
    records = []
    for line_number, cells in enumerate(reader, start=2):
        if not any(cells):
            continue
        if len(cells) != len(header):
            raise DataError(file, t("data.cell_count", found=len(cells), expected=len(header)),
                            t("data.fix_cell_count"), line_number)
        records.append({f["name"]: _check_value(file, line_number, f, cells[position[f["name"]]]) for f in fields})
    frame = pd.DataFrame.from_records(records, columns=expected)
    key = resource["schema"]["primaryKey"]
    duplicated = frame.duplicated(subset=key, keep="first")
    if duplicated.any():
        index = int(duplicated.to_numpy().nonzero()[0][0])
        value = " / ".join(str(frame.iloc[index][k]) for k in key)
        raise DataError(file, t("data.duplicate", value=value), t("data.fix_duplicate"), index + 2, ",".join(key))
    for field in fields:
        if field["type"] == "integer":
            frame[field["name"]] = frame[field["name"]].astype("Int64")
        elif field["type"] == "boolean":
            frame[field["name"]] = frame[field["name"]].astype(bool)
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
                        raise DataError(resource["path"], t("data.unknown_reference", value=item, target=f"{target}.csv"),
                                        t("data.fix_reference", target=f"{target}.csv"), position + 2, column)


def _check_forces(forces: pd.DataFrame) -> None:
    for position, row in enumerate(forces.itertuples()):
        if not row.low <= row.strength <= row.high:
            column = "low" if row.low > row.high or row.low > row.strength else "high"
            raise DataError("forces.csv", t("data.bad_range", low=row.low, strength=row.strength, high=row.high),
                            t("data.fix_bad_range"), position + 2, column)


def _add_date_columns(events: pd.DataFrame) -> pd.DataFrame:
    """`date_start`: the day that places an event in sequence: `date_sort` where the data gives one
    (month- or year-precision events whose place is known from context), else the first day of the period."""
    events = events.copy()
    first_day = events["date"].map(lambda d: d + "-01" * (2 - d.count("-")))
    events["date_start"] = pd.to_datetime(events["date_sort"].fillna(first_day))
    order = events["order_in_day"].fillna(0)
    return (events.assign(_order=order).sort_values(["date_start", "_order", "id"], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


def load(folder: Path | str | None = None) -> Evidence:
    """Read and check every resource of the data package; raise DataError on the first problem."""
    folder = Path(folder) if folder is not None else data_dir()
    descriptor_path = folder / "datapackage.json"
    if not descriptor_path.exists():
        raise DataError("datapackage.json", t("data.missing_file", folder=folder), t("data.fix_missing_file"))
    try:
        descriptor = json.loads(_read_text(descriptor_path))
    except json.JSONDecodeError as exc:
        raise DataError("datapackage.json", t("data.bad_json", detail=exc.msg), t("data.fix_json"), exc.lineno) from None
    resources = descriptor["resources"]
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
        raise ValueError(t("data.bad_estimate", estimate=estimate, allowed=", ".join(ESTIMATES)))
    table = forces.pivot(index="year", columns="series", values=estimate).astype(int)
    table["communist"] = table[list(COMMUNIST_SERIES)].sum(axis=1)
    table["UN"] = table[list(UN_SERIES)].sum(axis=1)
    table["UN_incl_ROK"] = table["UN"] + table["ROK"]
    return table[["KPA", "CPV", "communist", "ROK", "UN", "UN_incl_ROK", "US", "other_UN"]]


def balance(table: pd.DataFrame, year: int) -> float:
    """UN side (including ROK) divided by the communist side in a year."""
    row = table.loc[year]
    return float(row["UN_incl_ROK"] / row["communist"])


def summary(ev: Evidence) -> dict[str, int]:
    """Row counts, for `one-voice validate` and the lessons' 'what is in the data' notes."""
    return {name: len(getattr(ev, name)) for name in ("sources", "people", "events", "claims", "plans", "forces")}
