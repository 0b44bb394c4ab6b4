"""The findings model: valid files load; every class of bad input is refused with the
field path, the value given, what is allowed and the line (spec §4)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from triage import findings
from triage.errors import InputError

HEAD = "schema: triage.findings/1\n"


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        findings.loads(text, "f.yaml")
    return [str(p) for p in caught.value.problems]


def one_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_minimal_file_is_all_unknown():
    f = findings.loads(HEAD)
    assert f.eruption.pustules is None and f.drugs is None and f.labs.dress_workup is None


def test_false_zero_and_empty_list_are_answers_not_unknown():
    f = findings.loads(HEAD + "eruption: {blisters: false, detachment_bsa_percent: 0, "
                       "mucosal_sites: []}\n")
    assert (f.eruption.blisters, f.eruption.detachment_bsa_percent,
            f.eruption.mucosal_sites) == (False, 0, [])


def test_empty_sections_are_unknown():
    f = findings.loads(HEAD + "eruption:\npatient: ~\n")
    assert f.eruption.pustules is None and f.patient.age_years is None


def test_json_is_read_too():
    f = findings.loads('{"schema": "triage.findings/1", "patient": {"age_years": 42}}')
    assert f.patient.age_years == 42


def test_spec_error_example_for_a_misspelt_grade():
    assert one_problem(HEAD + "eruption:\n  pustules: typicl\n") == (
        "f.yaml: eruption.pustules: 'typicl' is not one of typical, compatible, "
        "insufficient (line 3)")


def test_spec_error_example_for_a_negative_count():
    assert one_problem(HEAD + "labs:\n  neutrophils_per_mm3: -5\n") == (
        "f.yaml: labs.neutrophils_per_mm3: -5 must be >= 0 (line 3)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eruptoin:\n  pustules: typical\n",
         "f.yaml: eruptoin: unknown key 'eruptoin' (did you mean 'eruption'?); allowed: "
         "schema, patient, eruption, systemic, labs, histology, drugs, visit (line 2)"),
        ("eruption:\n  pustule: typical\n", "unknown key 'pustule' (did you mean 'pustules'?)"),
        ("drugs:\n  - name: x\n    naranjo: {afterdrug: yes}\n",
         "drugs[0].naranjo.afterdrug: unknown key 'afterdrug' (did you mean 'after_drug'?)"),
        ("labs:\n  dress_workup: {hepatitis: negative}\n",
         "labs.dress_workup.hepatitis: unknown key 'hepatitis'"),
    ],
)
def test_unknown_keys_are_errors_never_dropped(text, expected):
    assert expected in one_problem(HEAD + text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("patient: {age_years: '42'}\n", "patient.age_years: '42' is not a whole number"),
        ("patient: {age_years: true}\n", "patient.age_years: true is not a whole number"),
        ("patient: {age_years: 42.5}\n", "patient.age_years: 42.5 is not a whole number"),
        ("systemic: {temperature_max_c: '38.5'}\n", "'38.5' is not a number"),
        ("eruption: {blisters: maybe}\n", "eruption.blisters: 'maybe' is not true or false"),
        ("eruption: {mucosal_sites: oral}\n", "eruption.mucosal_sites: 'oral' is not a list"),
        ("eruption: 5\n", "eruption: 5 is not a mapping"),
        ("drugs: {name: x}\n", "drugs: {'name': 'x'} is not a list"),
        ("drugs:\n  - name: 12\n", "drugs[0].name: 12 is not text"),
        # YAML reads an unquoted date as a date: shown as written, and for a day field with
        # what a day number is.
        ("drugs:\n  - name: x\n    start_day: 2024-01-03\n",
         "drugs[0].start_day: 2024-01-03 is a date; a start_day is a day number counted from "
         "the onset (day 0): -9 for nine days before it, 14 for two weeks after (line 4)"),
        ("patient: {age_years: 2024-01-03}\n",
         "patient.age_years: 2024-01-03 is not a whole number"),
    ],
)
def test_wrong_types(text, expected):
    assert expected in one_problem(HEAD + text)


@pytest.mark.parametrize(
    ("field", "low_ok", "low_bad", "high_ok", "high_bad"),
    [
        ("systemic.temperature_max_c", 30, 29.9, 45, 45.1),
        ("systemic.heart_rate_bpm", 20, 19, 300, 301),
        ("eruption.rash_bsa_percent", 0, -1, 100, 100.5),
        ("eruption.detachment_bsa_percent", 0, -0.1, 100, 101),
        ("systemic.enlarged_lymph_node_sites", 0, -1, 30, 31),
        ("patient.age_years", 0, -1, 130, 131),
        ("labs.leukocytes_per_mm3", 0, -1, 1_000_000, 1_000_001),
        ("labs.eosinophils_percent", 0, -1, 100, 101),
        ("labs.urea_mmol_per_l", 0, -1, 200, 201),
        ("labs.glucose_mmol_per_l", 0, -0.5, 200, 250),
        ("labs.bicarbonate_mmol_per_l", 0, -1, 60, 61),
        ("eruption.assessment_day", 0, -1, 36500, 36501),
    ],
)
def test_plausible_ranges_on_both_sides(field, low_ok, low_bad, high_ok, high_bad):
    section, key = field.split(".")
    for value in (low_ok, high_ok):
        findings.loads(HEAD + f"{section}: {{{key}: {value}}}\n")
    assert f"{field}: {low_bad} must be >= {low_ok}" in one_problem(
        HEAD + f"{section}: {{{key}: {low_bad}}}\n")
    assert f"{field}: {high_bad} must be <= {high_ok}" in one_problem(
        HEAD + f"{section}: {{{key}: {high_bad}}}\n")


def test_half_life_must_be_positive():
    assert "half_life_hours: 0 must be > 0" in one_problem(
        HEAD + "drugs:\n  - {name: x, half_life_hours: 0}\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eruption: {mucosal_sites: [oral, mouth]}\n",
         "eruption.mucosal_sites[1]: 'mouth' is not one of oral, ocular, genital, nasal, "
         "anal, pharyngeal"),
        ("eruption: {mucosal_sites: [oral, oral]}\n", "'oral' is listed twice"),
        ("systemic: {organ_involvement: [liver, spleen]}\n",
         "systemic.organ_involvement[1]: 'spleen' is not one of liver, kidney, lung, heart, "
         "muscle, pancreas, thyroid, gut, other"),
        ("systemic: {organ_involvement: [liver, liver]}\n", "'liver' is listed twice"),
        ("histology: {agep_pattern: spongiform}\n", "histology.agep_pattern: 'spongiform' is "
         "not one of other_disease, not_representative"),
        ("labs: {dress_workup: {ana: pending}}\n",
         "'pending' is not one of negative, positive, not_done"),
        ("drugs:\n  - {name: x, dechallenge: yes}\n", "drugs[0].dechallenge: true is not "
         "one of stopped, continued_without_harm"),
    ],
)
def test_enumerations(text, expected):
    assert expected in one_problem(HEAD + text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("drugs:\n  - start_day: -3\n", "drugs[0].name: missing: every drug needs a name"),
        ("drugs:\n  - name: ''\n", "drugs[0].name: a drug needs a name"),
        ("drugs:\n  - name: '   '\n", "drugs[0].name: a drug needs a name"),
        ("drugs:\n  - {name: x, start_day: -3, stop_day: -5}\n",
         "drugs[0].stop_day: -5 is before start_day -3"),
        ("drugs:\n  - {name: x, stop_day: -2, ongoing_at_onset: true}\n",
         "drugs[0].ongoing_at_onset: true contradicts stop_day -2"),
        # Last taken on the day of the onset: still taken then, whatever the file says.
        ("drugs:\n  - {name: x, stop_day: 0, ongoing_at_onset: false}\n",
         "drugs[0].ongoing_at_onset: false contradicts stop_day 0 (taken on or after day 0)"),
        ("drugs:\n  - {name: x, stop_day: -2, dechallenge: continued_without_harm}\n",
         "drugs[0].dechallenge: continued_without_harm contradicts stop_day -2 (stopped "
         "before day 0)"),
        ("drugs:\n  - {name: x, ongoing_at_onset: false, dechallenge: continued_without_harm}\n",
         "drugs[0].dechallenge: continued_without_harm contradicts ongoing_at_onset false"),
        ("labs: {leukocytes_per_mm3: 3000, neutrophils_per_mm3: 7200}\n",
         "labs.neutrophils_per_mm3: 7200 is more than leukocytes_per_mm3 3000"),
    ],
)
def test_drugs_and_consistency(text, expected):
    assert expected in one_problem(HEAD + text)


def test_stop_day_equal_to_start_day_is_fine():
    # One day's intake: the boundary of "stop_day is before start_day", accepted as given.
    drug = findings.loads(HEAD + "drugs:\n  - {name: x, start_day: -3, stop_day: -3}\n").drugs[0]
    assert (drug.start_day, drug.stop_day) == (-3, -3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema: triage.findings/2\n",
         "f.yaml: schema: 'triage.findings/2' is not one of triage.findings/1 (line 1)"),
        ("patient: {age_years: 4}\n",
         "f.yaml: schema: missing: a findings file starts with 'schema: triage.findings/1'"),
        ("", "f.yaml: is empty"),
        ("# only a comment\n", "f.yaml: is empty"),
        ("- a\n- b\n", "f.yaml: line 1: must be a mapping of sections, not a list"),
        ("just text\n", "must be a mapping of sections, not a str"),
    ],
)
def test_schema_line_and_file_shape(text, expected):
    assert expected in one_problem(text)


def test_yaml_syntax_error_has_line_and_column():
    message = one_problem(HEAD + "eruption:\n  pustules: [typical\n  erythema: typical\n")
    assert message.startswith("f.yaml: line 4, column 11: YAML syntax error")


def test_tab_indentation_is_a_syntax_error():
    assert "YAML syntax error" in one_problem(HEAD + "eruption:\n\tpustules: typical\n")


def test_duplicate_key_is_refused_not_overwritten():
    message = one_problem(HEAD + "eruption:\n  pustules: typical\n  pustules: compatible\n")
    assert "duplicate key 'pustules' (first at line 3)" in message


def test_python_tags_are_never_constructed():
    assert "could not determine a constructor" in one_problem(
        HEAD + "patient: !!python/object/apply:os.system ['echo hi']\n")


def test_several_problems_are_all_reported_in_file_order():
    found = problems(HEAD + "patient: {sex: f}\neruption: {pustules: x}\nlabs: "
                     "{neutrophils_per_mm3: -1}\n")
    assert [p.split(":")[1].strip() for p in found] == [
        "patient.sex", "eruption.pustules", "labs.neutrophils_per_mm3"]


def test_yaml_booleans_are_accepted_for_yes_no_unknown():
    f = findings.loads(HEAD + "drugs:\n  - name: x\n    naranjo: {after_drug: yes, "
                       "alternative_causes: no, dose_response: unknown, placebo_reaction: "
                       "on}\n")
    n = f.drugs[0].naranjo
    assert (n.after_drug, n.alternative_causes, n.dose_response, n.placebo_reaction) == (
        "yes", "no", "unknown", "yes")


def test_alias_bomb_is_refused_quickly():
    lines = [HEAD, "a: &a [x, x, x, x, x, x, x, x, x]\n"]
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n")
        previous = name
    start = time.perf_counter()
    message = one_problem("".join(lines))
    assert "expands to more than 100,000 nodes" in message
    assert time.perf_counter() - start < 2


def test_recursive_alias_is_refused():
    assert "recursive YAML alias" in one_problem(HEAD + "patient: &p {x: *p}\n")


def test_deep_nesting_is_refused():
    message = one_problem(HEAD + "a: " + "[" * 2000 + "]" * 2000)
    assert "nesting depth" in message or "nested deeper" in message


def test_deep_nesting_behind_an_anchor_is_refused_before_expansion():
    text = HEAD + "a: &x " + "[" * 500 + "]" * 500 + "\nb: *x\n"
    assert "nested deeper than 64 levels" in one_problem(text)


def test_a_few_aliases_are_fine_where_they_are_valid():
    f = findings.loads(HEAD + "eruption: {mucosal_sites: &none []}\nsystemic: "
                       "{organ_involvement: *none}\n")
    assert f.systemic.organ_involvement == []


class TestFiles:
    def test_huge_file_is_refused_before_reading(self, tmp_path: Path):
        path = tmp_path / "big.yaml"
        path.write_bytes(b"#" * (2 * 1024 * 1024))
        with pytest.raises(InputError) as caught:
            findings.load(path, "big.yaml")
        assert "the limit is 1,048,576 bytes" in str(caught.value)

    def test_binary_file(self, tmp_path: Path):
        path = tmp_path / "photo.yaml"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
        with pytest.raises(InputError) as caught:
            findings.load(path, "photo.yaml")
        assert str(caught.value) == "photo.yaml: is not a text file (it contains NUL bytes)"

    def test_latin1_file(self, tmp_path: Path):
        path = tmp_path / "l1.yaml"
        path.write_bytes(HEAD.encode() + "patient: {sex: f\xe9male}\n".encode("latin-1"))
        with pytest.raises(InputError) as caught:
            findings.load(path, "l1.yaml")
        assert "is not UTF-8 text (byte 0xe9 at offset" in str(caught.value)

    def test_utf8_bom_is_accepted(self, tmp_path: Path):
        path = tmp_path / "bom.yaml"
        path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
        assert findings.load(path).schema_ == "triage.findings/1"

    def test_missing_file_and_directory(self, tmp_path: Path):
        for path, message in ((tmp_path / "nope.yaml", "no such file"),
                              (tmp_path, "is a directory, not a file")):
            with pytest.raises(InputError) as caught:
                findings.load(path, "x")
            assert str(caught.value) == f"x: {message}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-11-20", None), ("'2026-11-20'", None),
     ("2026-13-01", "line 2, column 24: YAML error: cannot read '2026-13-01': month must be"),
     ("&d 2026-13-01", "YAML error: cannot read a value: month must be in 1..12"),
     ("'yesterday'", "'yesterday' is not a date (YYYY-MM-DD)")],
)
def test_onset_date_is_an_optional_calendar_date(value, expected):
    text = HEAD + f"eruption: {{onset_date: {value}}}\n"
    if expected is None:
        assert str(findings.loads(text).eruption.onset_date) == "2026-11-20"
    else:
        assert expected in one_problem(text)
