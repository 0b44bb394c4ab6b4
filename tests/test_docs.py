"""The project carries its own reference (issue 20 §1): every score module and every
next-step rule cites a section of docs/, and each cited section exists; nothing a reader
is sent to lies outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from triage.next_steps import rules
from triage.scores import alden, eurosar, naranjo, regiscar, scorten

DOCS = ROOT / "docs"
#: The team's folder beside the project, which a fresh clone does not have.
OUTSIDE = "../" + "shared"


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(name: str) -> set[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return {_slug(m.group(2)) for m in re.finditer(r"^(#{1,6}) (.+)$", text, re.M)}


def _exists(citation: str) -> bool:
    name, _, anchor = citation.partition("#")
    return (DOCS / name).is_file() and (not anchor or anchor in anchors(name))


def test_the_slugs_are_githubs():
    assert _slug("EuroSCAR AGEP") == "euroscar-agep"
    assert _slug("Unknown answers and reachable ranges") == "unknown-answers-and-reachable-ranges"
    assert _slug("stop_suspect_drugs") == "stop_suspect_drugs"


@pytest.mark.parametrize("module", [eurosar, regiscar, alden, naranjo, scorten],
                         ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_every_score_cites_a_section_that_exists(module):
    assert _exists(module.DOCS), module.DOCS


def test_every_next_step_rule_cites_a_section_that_exists():
    _, all_rules = rules()
    missing = [r.docs for r in all_rules if not _exists(r.docs)]
    assert missing == []
    assert len(all_rules) >= 20


def test_the_reference_has_its_sections():
    assert {"euroscar-agep", "regiscar-dress", "alden", "naranjo", "scorten",
            "unknown-answers-and-reachable-ranges", "triage-level-and-red-flags",
            "follow-up-visits", "next-steps", "drug-knowledge", "sources"} <= anchors(
                "clinical-rules.md")
    assert {"a-findings-file", "sections-and-fields", "unknown-values", "drugs", "errors",
            "the-json-result", "json-schemas"} <= anchors("findings.md")


def test_nothing_sends_a_reader_outside_the_repository():
    readers = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", ROOT / "dialogs" / "README.md",
               *DOCS.glob("*.md")]
    for path in readers:
        assert OUTSIDE not in path.read_text(encoding="utf-8"), path.name
    links = re.findall(r"\]\(((?:docs|bench)/[^)#]+)(?:#([^)]+))?\)",
                       (ROOT / "README.md").read_text(encoding="utf-8"))
    assert links, "the README links to docs/"
    for target, anchor in links:
        assert (ROOT / target).is_file(), target
        if anchor and target.startswith("docs/"):
            assert anchor in anchors(Path(target).name), f"{target}#{anchor}"
