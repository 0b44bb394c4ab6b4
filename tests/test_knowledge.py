"""Drug knowledge: lookups by any name, sources on every entry, unknown never guessed."""

from __future__ import annotations

import pytest
import yaml

from triage.knowledge import KnowledgeError, knowledge, lookup, normalize, parse_knowledge


@pytest.mark.parametrize(
    "name",
    ["Bactrim", "co-trimoxazole", "trimethoprim-sulfamethoxazole", "TRIMETHOPRIM/SULFAMETHOXAZOLE",
     "sulfamethoxazole + trimethoprim", "  Co-Trimoxazole ", "cotrimoxazole", "Septra"],
)
def test_one_drug_by_any_name(name):
    info = lookup(name)
    assert info is not None and info.name == "co-trimoxazole"
    assert info.notoriety.value == "strongly_associated"
    assert info.agep_risk.value == "strong"


def test_a_drug_on_no_list_is_none_never_guessed():
    assert lookup("newdrugumab") is None
    assert lookup("amoxicillin 500 mg") is None  # no fuzzy matching of doses or typos
    assert lookup("amoxicilin") is None


@pytest.mark.parametrize(
    ("name", "notoriety", "agep"),
    [("allopurinol", "strongly_associated", None), ("Tegretol", "strongly_associated",
     "moderate"), ("amoxicillin", "associated", "strong"), ("ciprofloxacin", "associated",
     "strong"), ("terbinafine", None, "strong"), ("diltiazem", None, "strong"),
     ("Plaquenil", None, "strong"), ("IVIg", None, None), ("lamotrigine",
     "strongly_associated", "moderate"), ("valproate", None, None)],
)
def test_lists(name, notoriety, agep):
    info = lookup(name)
    assert (info.notoriety.value if info.notoriety else None) == notoriety
    assert (info.agep_risk.value if info.agep_risk else None) == agep


def test_valproate_is_kept_off_the_agep_antiepileptic_list():
    assert lookup("valproic acid").agep_risk is None
    assert lookup("levetiracetam").agep_risk.value == "moderate"


def test_every_value_names_a_source_and_evidence():
    for info in set(knowledge().by_key.values()):
        for fact in (info.notoriety, info.agep_risk, info.half_life):
            if fact is not None:
                assert fact.source and fact.evidence in ("V", "R", "IMPL")


def test_normalize_ignores_case_punctuation_and_order():
    assert normalize("Trimethoprim-Sulfamethoxazole") == normalize("sulfamethoxazole/trimethoprim")


def _data(**drug):
    return {"schema": "triage.drugs/1", "sources": {"s": "a source"}, "classes": {},
            "drugs": [{"name": "x", **drug}]}


@pytest.mark.parametrize(
    ("drug", "message"),
    [
        ({"notoriety": {"value": "high", "source": "s", "evidence": "V"}}, "'high' is not one of"),
        ({"notoriety": {"value": "associated", "source": "nope", "evidence": "V"}},
         "'nope' is not a listed source"),
        ({"half_life": {"hours": -1, "source": "s", "evidence": "R"}}, "must be > 0"),
        ({"classes": ["nope"]}, "'nope' is not defined"),
        ({"colour": "red"}, "unknown keys"),
    ],
)
def test_malformed_knowledge_is_named_precisely(drug, message):
    with pytest.raises(KnowledgeError, match=message):
        parse_knowledge(_data(**drug))


def test_a_name_may_not_point_at_two_drugs():
    data = _data()
    data["drugs"].append({"name": "y", "synonyms": ["x"]})
    with pytest.raises(KnowledgeError, match="already names"):
        parse_knowledge(data)


def test_shipped_file_is_valid_yaml_with_a_schema():
    from importlib import resources

    text = resources.files("triage.knowledge").joinpath("drugs.yaml").read_text()
    assert yaml.safe_load(text)["schema"] == "triage.drugs/1"


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("alopurinol", "allopurinol"), ("amoxicilin", "amoxicillin"),
     ("carbamazepin", "carbamazepine"), ("lamotrigin", "lamotrigine"),
     ("amoxicillin 500 mg", "amoxicillin"), ("Phenytion", "phenytoin")],
)
def test_a_near_miss_is_offered_never_taken(typed, suggested):
    from triage.knowledge import suggest

    assert lookup(typed) is None
    assert suggest(typed) == suggested


@pytest.mark.parametrize("typed", ["newdrugumab", "metformin", "hydroxyzine", "zzz",
                                   "allopurinol", "cef", "insulin"])
def test_no_suggestion_for_a_listed_name_or_an_unrelated_one(typed):
    from triage.knowledge import suggest

    assert suggest(typed) is None


def test_the_gaps_of_issue_18_are_filled_with_sources():
    fansidar = lookup("Fansidar")
    assert fansidar.name == "sulfadoxine-pyrimethamine"
    assert fansidar.notoriety.value == "strongly_associated"
    assert fansidar.half_life.value == 200
    assert lookup("oxcarbazepine").notoriety.value == "associated"
    for name in ("dapsone", "minocycline", "vancomycin", "allopurinol", "carbamazepine",
                 "lamotrigine", "co-trimoxazole", "sulfasalazine", "nevirapine"):
        risk = lookup(name).dress_risk
        assert risk is not None and risk.value == "high" and risk.source, name
    assert lookup("levetiracetam").dress_risk is None


def test_withdrawal_cautions_come_from_the_class():
    assert lookup("prednisolone").withdrawal.value == "taper"
    assert lookup("levetiracetam").withdrawal.value == "switch_under_neurology"
    assert lookup("amoxicillin").withdrawal is None


@pytest.mark.parametrize("typed", ["trimethoprim", "pyrimethamine", "ampicillin-sulbactam"])
def test_never_a_different_drug_that_contains_the_name(typed):
    from triage.knowledge import suggest

    assert suggest(typed) is None
