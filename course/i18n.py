"""The message catalogue: every user-facing string in `course` comes from here.

Strings live in `course/locales/<lang>/<area>.json`, so that a Chinese edition can add
`locales/zh/` without touching the logic. Keys are `area.name`, e.g. `data.missing_file`.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

from course import settings
from course.settings import PACKAGE_DIR

DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=None)
def _catalogue(language: str, area: str) -> dict[str, str]:
    path = PACKAGE_DIR / "locales" / language / f"{area}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def t(key: str, /, **values: object) -> str:
    """Look up `area.name` in the current language (ONE_VOICE_LANG), falling back to English.

    `key` is positional-only, so a message may have a field named `{key}` too.
    """
    area, _, name = key.partition(".")
    language = settings.language()
    for lang in (language, DEFAULT_LANGUAGE):
        text = _catalogue(lang, area).get(name)
        if text is not None:
            return text.format(**values) if values else text
    raise KeyError(f"message {key!r} is missing from course/locales/{DEFAULT_LANGUAGE}/{area}.json")
