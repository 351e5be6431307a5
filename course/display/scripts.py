"""The language tag of a piece of text, read from its script, so screen readers pick the right voice.

A Russian record known only through Tian's Chinese is Chinese text, whatever the document's
language; a title is tagged by the script it is written in, not by the row's `language`.
`foreign_runs` finds the Chinese, Russian and Korean words inside English text (an archive's
"ф. 5, оп. 28", a term such as 付部长), so the templates can tag each one.
"""

from __future__ import annotations

import re

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SERBIAN_ONLY = re.compile(r"[ЈјЉљЊњЋћЂђЏџ]")  # Cyrillic letters Russian does not use
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Characters that exist only in traditional Chinese (a short list of common ones is enough to tell).
TRADITIONAL_ONLY = set("國與會議書東們來說對後時軍戰關於開過還這從長問發經動區將從黨隊勞歷應實現總當們給")
SIMPLIFIED_ONLY = set("国与会议书东们来说对后时军战关于开过还这从长问发经动区将党队劳历应实现总当给")


def lang_of(text: str, default: str = "en") -> str:
    """The BCP 47 tag for `text`: ko, sr, ru, zh-Hans or zh-Hant by script; `default` for Latin text."""
    if not isinstance(text, str) or not text:
        return default
    if HANGUL.search(text):
        return "ko"
    if SERBIAN_ONLY.search(text):
        return "sr"
    if CYRILLIC.search(text):
        return "ru"
    if HAN.search(text):
        traditional = sum(ch in TRADITIONAL_ONLY for ch in text)
        simplified = sum(ch in SIMPLIFIED_ONLY for ch in text)
        return "zh-Hant" if traditional > simplified else "zh-Hans"
    return default


_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_JOIN = "\u3000-\u303f\uff00-\uffef\\s\\d·・"  # CJK punctuation, full-width forms, spaces, digits
_CYRILLIC_CHARS = "\u0400-\u04ff"
_CYRILLIC_JOIN = "\\s\\d.,;:()«»\\-–—/"
_HANGUL_CHARS = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
# A run starts and ends with a letter of one script; punctuation and spaces between its letters belong to it.
FOREIGN_RUN = re.compile(
    f"[{_HANGUL_CHARS}](?:[{_HANGUL_CHARS}{_HAN_CHARS}{_CJK_JOIN}]*[{_HANGUL_CHARS}{_HAN_CHARS}])?"
    f"|[{_HAN_CHARS}](?:[{_HAN_CHARS}{_CJK_JOIN}]*[{_HAN_CHARS}])?"
    f"|[{_CYRILLIC_CHARS}](?:[{_CYRILLIC_CHARS}{_CYRILLIC_JOIN}]*[{_CYRILLIC_CHARS}])?"
)


def foreign_runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lang) of every run of Chinese, Cyrillic or Korean script in `text`."""
    if not isinstance(text, str):
        return []
    return [(m.start(), m.end(), lang_of(m.group())) for m in FOREIGN_RUN.finditer(text)]
