"""Free text stays text: what a clinician types, pastes or imports loses the characters
that could act on a terminal or disguise what is shown (issue 19).

Removed: the C0 controls but tab and newline (ESC starts terminal sequences), DEL, the C1
controls (CSI, OSC), and the bidirectional overrides and isolates (U+202A-U+202E,
U+2066-U+2069) and marks (U+200E, U+200F, U+061C), which can show a dose reversed.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def clean(text: str) -> str:
    """`text` without control characters or bidirectional overrides."""
    return _UNSAFE.sub("", text)


def is_clean(text: str) -> bool:
    """Whether `text` has nothing `clean` would remove."""
    return _UNSAFE.search(text) is None


def one_line(text: str) -> str:
    """`text` cleaned, its words joined by single spaces (a name, an answer). Whitespace
    controls (tab, newline, the separators U+001C-U+001F) become spaces first."""
    return " ".join(clean(" ".join(text.split())).split())
