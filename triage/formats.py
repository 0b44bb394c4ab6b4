"""Every output format, declared once: the CLI's choices, the assistant's export dialog
and the renderer read this table. A new summary format is a template and a row here."""

from __future__ import annotations

from typing import NamedTuple


class OutputFormat(NamedTuple):
    """One way to write out a session."""

    id: str
    #: How the export dialog names it.
    label: str
    #: The file name's ending the export dialog proposes.
    suffix: str
    #: The Jinja2 template in templates/ that renders a summary; None where the summary
    #: is written another way (JSON), or for what is not a summary.
    template: str | None
    #: A summary of the findings (else the session itself: transcript, events).
    summary: bool = True
    #: Offered by the assistant's export dialog.
    in_app: bool = True


FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("md", "summary, Markdown", "summary.md", "summary.md"),
    OutputFormat("text", "summary, plain text for a note (80 columns)", "summary.txt",
                 "summary.txt"),
    OutputFormat("html", "summary, printable page", "summary.html", "summary.html"),
    OutputFormat("json", "summary, JSON", "summary.json", None),
    OutputFormat("transcript", "transcript (replay it with triage replay)", "transcript.yaml",
                 None, summary=False),
    OutputFormat("events", "event log (the audit trail, JSON lines)", "events.jsonl", None,
                 summary=False, in_app=False),
)
BY_ID = {f.id: f for f in FORMATS}
#: The formats a summary is rendered in (`triage score`, `triage replay`).
SUMMARY = tuple(f.id for f in FORMATS if f.summary)
#: What `triage export` writes: every format.
EXPORT = tuple(f.id for f in FORMATS)
