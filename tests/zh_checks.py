"""Checks on the Chinese edition's data text (the `*_zh` twin columns), shared by tests/test_zh_data.py
and tests/test_data.py: is a text Chinese, does it carry the English text's dates in Chinese form,
does it copy a run of Tian's paper."""

from __future__ import annotations

import calendar
import re

MONTHS = tuple(name.lower() for name in calendar.month_name[1:])  # English: the C locale of the tests
_MONTH = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}}) {_MONTH},? (\d{{4}})\b")  # 5 February 1958, 17 Dec 1957
MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH} (\d{{1,2}}), (\d{{4}})\b")  # April 21, 1955 (FRUS titles)
MONTH_YEAR = re.compile(rf"\b{_MONTH},? (\d{{4}})\b")  # November 1956

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A unit of text: one CJK character, or one run of other letters (an English or Russian word, a
# source id such as mao-chronicle-v3, a file name). Digits and punctuation are not units.
UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\d_][\w'’./-]*")
# A quotation marked in our Chinese text: the original words of Tian or of a document, kept short.
QUOTATION = re.compile(r"“[^“”]{1,19}”")
# A web address (ASCII only, so it can never swallow Chinese prose next to it).
URL = re.compile(r"(?:https?://)?[A-Za-z0-9.-]+\.(?:com|org|net|dev|gov|cn)(?:/[A-Za-z0-9/._~%#?=&:+-]*)?")
RUN = 20  # characters: a run this long shared with the paper counts as copied


def _month(word: str) -> int:
    word = word.lower().rstrip(".")[:3]
    return next(n for n, name in enumerate(MONTHS, start=1) if name.startswith(word))


def english_dates(text: str) -> list[tuple[int, int, int | None]]:
    """(year, month, day or None) of each date written out in `text`.

    A month-and-year that ends a range ("March-April 1958", "between February and October 1958") is
    left out: the Chinese writes the range once (1958年3月至4月), so its second month has no year of its
    own; so is one that names an event ("the August 1956 incident", in Chinese 1956年“八月事件”).
    """
    if not isinstance(text, str):
        return []
    found, taken = [], []
    for pattern, order in ((DAY_MONTH_YEAR, (3, 2, 1)), (MONTH_DAY_YEAR, (3, 1, 2))):
        for m in pattern.finditer(text):
            year, month, day = (m.group(i) for i in order)
            found.append((int(year), _month(month), int(day)))
            taken.append(m.span())
    for m in MONTH_YEAR.finditer(text):
        if any(start <= m.start() < end for start, end in taken):
            continue
        before = text[: m.start()].rstrip()
        if before.endswith(("-", "–", "to", "and", "or")) or re.search(r"\d$", before):
            continue
        if re.match(r"\s+(?:affair|incident|plenum)", text[m.end() :]):
            continue  # a name, "the August 1956 incident": the glossary writes 1956年“八月事件”
        found.append((int(m.group(2)), _month(m.group(1)), None))
    return found


def chinese_forms(date: tuple[int, int, int | None]) -> tuple[str, ...]:
    """What a Chinese text must contain for a date: 1958年 and 2月5日, or 1958年2月 for a month.

    The year and the day are asked for separately so that "1957年11月30日和12月11日" carries both dates.
    """
    year, month, day = date
    return (f"{year}年", f"{month}月{day}日") if day else (f"{year}年{month}月",)


def missing_dates(english: str, chinese: str) -> list[str]:
    """The dates of `english` that `chinese` does not give in Chinese form, as 1958年2月5日."""
    missing = []
    for date in english_dates(english):
        if not all(form in chinese for form in chinese_forms(date)):
            year, month, day = date
            missing.append(f"{year}年{month}月{day}日" if day else f"{year}年{month}月")
    return missing


# A foreign name's original form in full-width parentheses, as Chinese writes it: 尤金（П. Ф. Юдин）.
ORIGINAL_FORM = re.compile(r"（[^（）\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*）")


def chinese_share(text: str) -> float:
    """The share of CJK characters among the units of `text` (0 for English, 1 for Chinese with no Latin word).

    Original forms in full-width parentheses, 罗伯逊（Walter S. Robertson）, do not count: they follow the
    Chinese form of a name, as Chinese writing does.
    """
    units = UNIT.findall(ORIGINAL_FORM.sub("", text)) if isinstance(text, str) else []
    return sum(bool(CJK.fullmatch(u)) for u in units) / len(units) if units else 0.0


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def copied_runs(text: str, paper: str | set[str]) -> list[str]:
    """The RUN-character runs of `text` that also occur in the paper (both without whitespace).

    Short marked quotations (“…” under 20 characters: Tian's or a document's own words, which our
    text is meant to quote exactly), web addresses and a name's original form in full-width
    parentheses (（Christian F. Ostermann）) are not our prose; the text is cut at them, so no run
    spans one. A quotation of 20 characters or more is not exempt.
    """
    runs = paper if isinstance(paper, set) else paper_runs(paper)
    found = []
    pattern = f"{QUOTATION.pattern}|{URL.pattern}|{ORIGINAL_FORM.pattern}"
    for piece in re.split(pattern, text if isinstance(text, str) else ""):
        piece = squeeze(piece)
        found += [piece[i : i + RUN] for i in range(len(piece) - RUN + 1) if piece[i : i + RUN] in runs]
    return found


def paper_runs(paper: str) -> set[str]:
    """Every RUN-character run of the paper, whitespace removed."""
    flat = squeeze(paper)
    return {flat[i : i + RUN] for i in range(len(flat) - RUN + 1)}


def cell_shape(notebook: dict) -> list:
    """Each cell's id, type and metadata, the run timings aside (every execution rewrites them)."""
    return [
        (c["id"], c["cell_type"], {k: v for k, v in c.get("metadata", {}).items() if k != "execution"})
        for c in notebook["cells"]
    ]
