"""Drug knowledge as data: notoriety lists, AGEP and DRESS risk, half-lives, the drugs that
cross-react, how to stop a drug safely and pharmacogenetic notes, each with a source.

The data lives in `drugs.yaml` beside this module. Lookup is by generic name, brand or
synonym, case-insensitive; a drug on no list is `unknown`, never guessed (a near miss is
offered as a suggestion by `suggest`, never taken).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

NOTORIETY_VALUES = ("strongly_associated", "associated", "suspected", "unknown", "not_suspected")
AGEP_RISK_VALUES = ("strong", "moderate")
DRESS_RISK_VALUES = ("high",)
WITHDRAWAL_VALUES = ("taper", "switch_under_neurology")
EVIDENCE_VALUES = ("V", "R", "IMPL")


class Fact(NamedTuple):
    """One value from the knowledge file with where it comes from."""

    value: Any
    source: str
    evidence: str
    via: str = ""  # the class the value was inherited from, if any
    note: str = ""


class CrossReactivity(NamedTuple):
    """A group of drugs that cross-react: what to avoid after a reaction to one of them,
    what to use with caution, and what can be used instead, where a source says so."""

    id: str
    avoid: str
    caution: str
    instead: str
    source: str
    evidence: str


class Pharmacogenetics(NamedTuple):
    """An HLA association: advice for future prescribing and for relatives, never a score."""

    allele: str
    advice: str
    source: str
    evidence: str


class DrugInfo(NamedTuple):
    """What the knowledge file says about one drug."""

    name: str
    classes: tuple[str, ...] = ()
    class_labels: tuple[str, ...] = ()
    notoriety: Fact | None = None
    agep_risk: Fact | None = None
    half_life: Fact | None = None
    biological: bool = False
    synonyms: tuple[str, ...] = ()
    dress_risk: Fact | None = None
    cross_reactivity: CrossReactivity | None = None
    withdrawal: Fact | None = None
    pharmacogenetics: tuple[Pharmacogenetics, ...] = ()


#: Words of a dose or a form typed after a drug's name ("500 mg", "tablets", "iv").
_DOSE = re.compile(
    r"\d[\d.,]*\w*|mg|mcg|µg|g|ml|iu|units?|tabs?|tablets?|caps?|capsules?|iv|po|oral|daily"
)
_SPLIT = re.compile(r"[\s\-/+,&()]+|\band\b|\bwith\b")


def normalize(name: str) -> str:
    """The lookup key of a drug name: lower case, parts of a combination in sorted order."""
    parts = [p for p in _SPLIT.split(name.casefold()) if p]
    return " ".join(sorted(parts))


class KnowledgeError(ValueError):
    """The shipped drug knowledge file is malformed (a maintainer's error, named precisely)."""


def _fact(
    raw: Any,
    where: str,
    sources: dict[str, str],
    allowed: tuple[str, ...] | None,
    via: str = "",
    key: str = "value",
) -> Fact:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"drugs.yaml: {where}: expected a mapping, got {raw!r}")
    value = raw.get(key)
    if allowed is not None and value not in allowed:
        raise KnowledgeError(
            f"drugs.yaml: {where}.{key}: {value!r} is not one of " + ", ".join(allowed)
        )
    source, evidence = _checked_source(raw, where, sources)
    return Fact(value, source, evidence, via, str(raw.get("note", "")))


#: The facts a drug states itself or inherits from the first of its classes that states
#: them: (the drug's key, the class's key, the values allowed).
_INHERITED = (
    ("notoriety", "alden_notoriety", NOTORIETY_VALUES),
    ("agep_risk", "agep_risk", AGEP_RISK_VALUES),
    ("dress_risk", "dress_risk", DRESS_RISK_VALUES),
    ("withdrawal", "withdrawal", WITHDRAWAL_VALUES),
)


def _facts(
    raw: dict[str, Any],
    where: str,
    classes: list[tuple[str, dict[str, Any]]],
    sources: dict[str, str],
) -> dict[str, Fact]:
    """A drug's listed facts: its own entry wins, else the first class that states one."""
    out: dict[str, Fact] = {}
    for key, class_key, allowed in _INHERITED:
        if key in raw:
            out[key] = _fact(raw[key], f"{where}.{key}", sources, allowed)
            continue
        for cid, entry in classes:
            if class_key in entry:
                label = entry.get("label", cid)
                out[key] = _fact(
                    entry[class_key], f"classes.{cid}.{class_key}", sources, allowed, via=label
                )
                break
    return out


def _checked_source(raw: dict[str, Any], where: str, sources: dict[str, str]) -> tuple[str, str]:
    source, evidence = raw.get("source"), raw.get("evidence")
    if source not in sources:
        raise KnowledgeError(f"drugs.yaml: {where}.source: {source!r} is not a listed source")
    if evidence not in EVIDENCE_VALUES:
        allowed = ", ".join(EVIDENCE_VALUES)
        raise KnowledgeError(f"drugs.yaml: {where}.evidence: {evidence!r} is not one of {allowed}")
    return sources[source], evidence


def _group(gid: str, raw: Any, sources: dict[str, str]) -> CrossReactivity:
    where = f"cross_reactivity.{gid}"
    if not isinstance(raw, dict) or not isinstance(raw.get("avoid"), str):
        raise KnowledgeError(f"drugs.yaml: {where}: needs 'avoid' (what the record lists)")
    unknown = set(raw) - {"avoid", "caution", "instead", "instead_source", "source", "evidence"}
    if unknown:
        raise KnowledgeError(f"drugs.yaml: {where}: unknown keys {sorted(unknown)}")
    source, evidence = _checked_source(raw, where, sources)
    if "instead_source" in raw:
        # What to use instead often comes from another paper than the cross-reactions.
        if raw["instead_source"] not in sources or not raw.get("instead"):
            raise KnowledgeError(f"drugs.yaml: {where}.instead_source: "
                                 f"{raw['instead_source']!r} is not a listed source for an "
                                 "'instead'")
        source += "; what to use instead: " + sources[raw["instead_source"]]

    def text(key: str) -> str:
        return " ".join(str(raw.get(key) or "").split())

    return CrossReactivity(gid, text("avoid"), text("caution"), text("instead"), source, evidence)


def _pharmacogenetics(raw: Any, where: str, sources: dict[str, str]) -> Pharmacogenetics:
    if not isinstance(raw, dict) or not raw.get("allele") or not raw.get("advice"):
        raise KnowledgeError(f"drugs.yaml: {where}: needs 'allele' and 'advice'")
    source, evidence = _checked_source(raw, where, sources)
    return Pharmacogenetics(
        str(raw["allele"]), " ".join(str(raw["advice"]).split()), source, evidence
    )


class Knowledge(NamedTuple):
    """The parsed knowledge file: drugs by lookup key."""

    by_key: dict[str, DrugInfo]
    sources: dict[str, str]

    def lookup(self, name: str) -> DrugInfo | None:
        """The drug named `name` (generic, brand or synonym), or None if it is on no list."""
        return self.by_key.get(normalize(name))

    def suggest(self, name: str) -> str | None:
        """The listed name nearest to `name` when it is a near miss ("alopurinol" ->
        "allopurinol"), else None. Never used as the drug: only offered to be confirmed."""
        if self.lookup(name) is not None:
            return None
        from rapidfuzz import fuzz, process, utils

        key = normalize(name)
        if len(key) < 4:
            return None
        # A spelling slip: a high ratio over the whole name, or a known name with a dose
        # or form after it ("amoxicilin 500 mg"). 85 takes one or two slips in a name of
        # eight letters or more, and not a different drug of a similar stem.
        found = process.extractOne(
            key, self.by_key.keys(), scorer=fuzz.ratio, processor=utils.default_process,
            score_cutoff=85,
        )
        if found is None:
            # A name with a dose or a form after it: the same test on the name alone. Never
            # a part of a listed name ("trimethoprim" is not co-trimoxazole).
            bare = " ".join(w for w in key.split() if not _DOSE.fullmatch(w))
            if bare and bare != key:
                if self.lookup(bare) is not None:
                    return self.by_key[normalize(bare)].name
                found = process.extractOne(
                    bare, self.by_key.keys(), scorer=fuzz.ratio,
                    processor=utils.default_process, score_cutoff=85,
                )
        return None if found is None else self.by_key[found[0]].name


def parse_knowledge(data: Any) -> Knowledge:
    """Build the lookup tables from the YAML data, checking every entry."""
    if not isinstance(data, dict) or data.get("schema") != "triage.drugs/1":
        raise KnowledgeError("drugs.yaml: expected 'schema: triage.drugs/1'")
    sources = {str(k): " ".join(str(v).split()) for k, v in data["sources"].items()}
    classes = data.get("classes") or {}
    groups = {
        gid: _group(gid, raw, sources) for gid, raw in (data.get("cross_reactivity") or {}).items()
    }
    by_key: dict[str, DrugInfo] = {}
    for index, raw in enumerate(data.get("drugs") or []):
        where = f"drugs[{index}]"
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise KnowledgeError(f"drugs.yaml: {where}.name: missing")
        unknown = set(raw) - {
            "name",
            "synonyms",
            "brands",
            "classes",
            "notoriety",
            "agep_risk",
            "dress_risk",
            "half_life",
            "biological",
            "cross_reactivity",
            "pharmacogenetics",
        }
        if unknown:
            raise KnowledgeError(f"drugs.yaml: {where}: unknown keys {sorted(unknown)}")
        class_ids = tuple(raw.get("classes") or ())
        for cid in class_ids:
            if cid not in classes:
                raise KnowledgeError(f"drugs.yaml: {where}.classes: {cid!r} is not defined")
        facts = _facts(raw, where, [(cid, classes[cid] or {}) for cid in class_ids], sources)
        notoriety, agep, dress, withdrawal = (
            facts.get(key) for key in ("notoriety", "agep_risk", "dress_risk", "withdrawal")
        )
        half_life = None
        if "half_life" in raw:
            half_life = _fact(raw["half_life"], f"{where}.half_life", sources, None, key="hours")
            if not isinstance(half_life.value, int | float) or half_life.value <= 0:
                raise KnowledgeError(f"drugs.yaml: {where}.half_life.hours: must be > 0")
        group = None
        if "cross_reactivity" in raw:
            gid = raw["cross_reactivity"]
            if gid not in groups:
                raise KnowledgeError(
                    f"drugs.yaml: {where}.cross_reactivity: {gid!r} is not defined"
                )
            group = groups[gid]
        genetics = tuple(
            _pharmacogenetics(g, f"{where}.pharmacogenetics[{k}]", sources)
            for k, g in enumerate(raw.get("pharmacogenetics") or ())
        )
        names = [name, *(raw.get("synonyms") or ()), *(raw.get("brands") or ())]
        info = DrugInfo(
            name=name,
            classes=class_ids,
            class_labels=tuple(str((classes[c] or {}).get("label", c)) for c in class_ids),
            notoriety=notoriety,
            agep_risk=agep,
            half_life=half_life,
            biological=bool(raw.get("biological", False)),
            synonyms=tuple(names[1:]),
            dress_risk=dress,
            cross_reactivity=group,
            withdrawal=withdrawal,
            pharmacogenetics=genetics,
        )
        for alias in names:
            key = normalize(str(alias))
            if key in by_key and by_key[key].name != name:
                raise KnowledgeError(
                    f"drugs.yaml: {where}: {alias!r} already names {by_key[key].name!r}"
                )
            by_key[key] = info
    return Knowledge(by_key, sources)


@cache
def knowledge() -> Knowledge:
    """The shipped drug knowledge, read once."""
    from triage import built_cache
    from triage.yamlio import decode_text, parse

    raw = (Path(__file__).parent / "drugs.yaml").read_bytes()

    def build() -> Knowledge:
        return parse_knowledge(parse(decode_text(raw, "drugs.yaml"), "drugs.yaml").data)

    return built_cache.built("knowledge", raw, build, code=(__name__,))


def lookup(name: str) -> DrugInfo | None:
    """Look a drug up by any of its names; None when it is on no list."""
    return knowledge().lookup(name)


def suggest(name: str) -> str | None:
    """A listed drug whose name is a near miss of `name` (to offer, never to take)."""
    return knowledge().suggest(name)
