"""The bounded YAML reader builds exactly what PyYAML's safe loader builds."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.yamlio import parse

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["yes", "no", "on", "off", "~", "0x1f", "1_000", "2024-01-02", "1:30"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans())
def test_same_data_as_the_safe_loader(data, flow):
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    assert parse(text, "t.yaml").data == yaml.safe_load(text)


def test_plain_strings_that_look_like_other_types_follow_yaml_1_1():
    text = "a: yes\nb: 0x1f\nc: 1:30\nd: 2024-01-02\ne: '5'\n"
    assert parse(text, "t.yaml").data == yaml.safe_load(text)


def test_merge_keys_and_anchors_use_the_general_constructor():
    text = "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n"
    assert parse(text, "t.yaml").data == {"base": {"x": 1}, "use": {"x": 1, "y": 2}}


def test_values_pyyaml_cannot_build_are_problems_not_tracebacks():
    import pytest

    from triage.errors import InputError

    for text in ("a: 2026-02-30\n", "a: &x 2026-02-30\nb: *x\n"):
        with pytest.raises(InputError, match="cannot read"):
            parse(text, "t.yaml")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!?|>'\"#,. \n\t0123456789eE+_~%@`")),
               max_size=60))
def test_any_text_parses_or_is_a_problem(text):
    from triage import findings
    from triage.errors import InputError

    try:
        findings.loads(text, "fuzz.yaml")
    except InputError as exc:
        assert exc.problems and all(str(p).startswith("fuzz.yaml") for p in exc.problems)


def test_remembered_tags_and_numbers_keep_quoted_and_plain_apart():
    # The same text, quoted and plain, read in either order: the memo never mixes them.
    for text in ("a: '5'\nb: 5\nc: '2024-01-02'\nd: 2024-01-02\n",
                 "d: 2024-01-02\nc: '2024-01-02'\nb: 5\na: '5'\n"):
        data = parse(text, "t.yaml").data
        assert data == yaml.safe_load(text)
        assert data["a"] == "5" and data["b"] == 5 and data["c"] == "2024-01-02"


def test_the_tag_memo_rests_on_the_safe_loader_having_no_path_resolvers():
    from triage import yamlio

    # A path resolver would make a tag depend on where the scalar is, not only its text.
    assert not yamlio._StrictLoader.yaml_path_resolvers


def test_the_memos_are_bounded(monkeypatch):
    from triage import yamlio

    monkeypatch.setattr(yamlio, "_RESOLVED", {})
    monkeypatch.setattr(yamlio, "_CONSTRUCTED", {})
    monkeypatch.setattr(yamlio, "_MEMO_SIZE", 5)
    text = "".join(f"k{i}: {i}.5\n" for i in range(50)) + f"long: {'1' * 100}\n"
    assert parse(text, "t.yaml").data == yaml.safe_load(text)
    assert len(yamlio._RESOLVED) <= 5 and len(yamlio._CONSTRUCTED) <= 5
    assert all(len(value) <= yamlio._MEMO_TEXT for _, value in yamlio._CONSTRUCTED)


def test_the_memos_keep_texts_up_to_their_limit_and_not_one_character_more(monkeypatch):
    from triage import yamlio

    monkeypatch.setattr(yamlio, "_RESOLVED", {})
    monkeypatch.setattr(yamlio, "_CONSTRUCTED", {})
    at, over = "1" * yamlio._MEMO_TEXT, "2" * (yamlio._MEMO_TEXT + 1)
    assert parse(f"a: {at}\nb: {over}\n", "t.yaml").data == {"a": int(at), "b": int(over)}
    assert {value for value, _ in yamlio._RESOLVED} == {"a", "b", at}
    assert {value for _, value in yamlio._CONSTRUCTED} == {at}
