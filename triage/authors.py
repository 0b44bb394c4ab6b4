"""Who made each change (issue 22 §2): every event of a session records its author.

At a terminal the author is the operating-system user running triage. A browser visit
(`triage serve`) has no such user of its own: the server names the user that the
authenticating proxy in front of it names, in a header it is configured to trust, and
trusts it only from the loopback, where that proxy runs (triage.serve). The visit's process
finds the name in TRIAGE_AUTHOR. Names are text from another program: kept to one line of
plain text, bounded.
"""

from __future__ import annotations

import getpass
import os

from triage.plain_text import one_line

#: Where a served visit's process finds its user's name (set by `triage serve`).
ENV = "TRIAGE_AUTHOR"
#: What a browser visit records when no trusted proxy named its user.
UNNAMED = "browser visit, no user named by a trusted proxy"
#: The longest name kept (longer ones are cut, and say so with an ellipsis).
LONGEST = 120


def clean(name: str) -> str:
    """A name as recorded: one line of plain text, at most LONGEST characters."""
    # A header's bytes that are not UTF-8 arrive as lone surrogates, which no store can
    # save: each becomes the replacement character.
    text = one_line(name.encode("utf-8", "replace").decode("utf-8")).strip()
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def current() -> str:
    """The author of what this process records: the name a served visit was given, else
    the operating-system user."""
    named = os.environ.get(ENV, "")
    if named.strip():
        return clean(named)
    try:
        return clean(getpass.getuser())
    except (KeyError, OSError):  # no name for this uid (a container, say)
        return f"uid {os.getuid()}"
