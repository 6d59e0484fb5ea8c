"""Editing drafts: YAML ↔ plain document, paths, list operations, form fields, round trips."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine.editing import (BLANK_LISTS, NotEditable, PathError, document_to_yaml,
                                field_path, form_to_document, get_at, insert_new, move,
                                path_key, plain_document, remove_at, set_at)
from app.engine.questionnaire import load, validate

from .helpers import MINI_TEXT, edited
from .strategies import documents

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "tata-kelola-media-sosial.yaml"
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture
def doc() -> dict:
    return plain_document(MINI_TEXT)


# -- reading ----------------------------------------------------------------------------

TYPED = """\
no_word: no
yes_word: yes
leading_zero: 010
version: 1.10
whole: 8
negative: -3
decimal: 0.6
one_and_a_half: 1.5
two_point_zero: 2.0
plus: +3
minus_zero: -0
exponent: 1e3
half: .5
yes_bool: true
no_bool: false
capital: True
tilde: ~
null_word: null
empty:
quoted_number: "8"
quoted_bool: 'true'
quoted_null: "null"
block: |
  two
  lines
long_number: 1234567890123456789012345678901234567890
"""


def test_plain_scalars_are_typed_by_their_canonical_text_only():
    assert plain_document(TYPED) == {
        "no_word": "no", "yes_word": "yes", "leading_zero": "010", "version": "1.10",
        "whole": 8, "negative": -3, "decimal": 0.6, "one_and_a_half": 1.5,
        "two_point_zero": 2.0, "plus": "+3", "minus_zero": "-0", "exponent": "1e3",
        "half": ".5", "yes_bool": True, "no_bool": False, "capital": "True", "tilde": None,
        "null_word": None, "empty": None, "quoted_number": "8", "quoted_bool": "true",
        "quoted_null": "null", "block": "two\nlines\n",
        "long_number": 1234567890123456789012345678901234567890,
    }


def test_types_are_exact_not_just_equal():
    got = plain_document("a: 1\nb: 1.0\nc: true\n")
    assert [type(v) for v in got.values()] == [int, float, bool]


def test_a_very_long_digit_string_stays_text():
    assert plain_document("n: " + "9" * 5000) == {"n": "9" * 5000}


def test_mappings_keep_their_order_and_lists_their_entries(doc):
    assert list(doc) == ["format", "id", "title", "description", "scale", "scoring", "domains",
                         "positions", "modules"]
    assert [i["id"] for i in doc["domains"][0]["items"]] == [
        "strategi-rencana", "strategi-kanal", "strategi-tanda", "strategi-komentar"]
    assert doc["scoring"]["thresholds"] == [40, 60, 80]
    assert doc["domains"][1]["items"][2]["weight"] == 0.5


def test_an_invalid_draft_is_still_editable():
    text = edited("weight: 2", "weight: lots")
    assert validate(text)
    assert plain_document(text)["domains"][0]["items"][0]["weight"] == "lots"


def test_keys_are_always_text():
    assert plain_document("1: a\ntrue: b\nnull: c\n") == {"1": "a", "true": "b", "null": "c"}


@pytest.mark.parametrize("text, code, line", [
    ("a: &x 1\nb: *x\n", "yaml_alias", 1),
    ("a: !!str 1\n", "yaml_tag", 1),
    ("a: 1\nb: !thing 2\n", "yaml_tag", 2),
    ("a: [1, 2\n", "yaml_syntax", 2),
    ("a: 1\n  b: 2\n", "yaml_syntax", 2),
    ("- a\n- b\n", "not_a_mapping", 1),
    ("just text\n", "not_a_mapping", 1),
    ("", "not_a_mapping", 1),
    ("# only a comment\n", "not_a_mapping", 1),
    ("a: 1\nb: 2\na: 3\n", "duplicate_key", 3),
    ("? [a, b]\n: 1\n", "wrong_type", 1),
])
def test_not_editable_says_why_and_where(text, code, line):
    with pytest.raises(NotEditable) as caught:
        plain_document(text)
    problems = caught.value.problems
    assert problems[0].code == code and problems[0].line == line
    assert problems[0].message("id") and problems[0].message("en")


def test_not_editable_when_too_large_or_too_deep():
    with pytest.raises(NotEditable) as caught:
        plain_document("a: " + "x" * 100, max_bytes=50)
    assert caught.value.problems[0].code == "too_large"
    with pytest.raises(NotEditable) as caught:
        plain_document("a: " + "[" * 80 + "]" * 80)
    assert caught.value.problems[0].code == "yaml_syntax"
    assert "more than 64 levels" in caught.value.problems[0].message("en")


def test_not_editable_is_a_value_error_listing_every_duplicate():
    with pytest.raises(ValueError) as caught:
        plain_document("a: 1\na: 2\nb: {c: 1, c: 2}\n")
    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("duplicate_key", "a"), ("duplicate_key", "b.c")]


# -- paths ------------------------------------------------------------------------------

def test_problem_paths_become_form_field_names():
    assert path_key("domains[2].items[4].options") == "domains.2.items.4.options"
    assert path_key("scoring.thresholds[0]") == "scoring.thresholds.0"
    assert path_key("") == ""
    assert field_path("domains.2.items.4.options") == ["domains", 2, "items", 4, "options"]
    assert field_path("domains[2].items[4]") == ["domains", 2, "items", 4]
    assert field_path("") == []


def test_every_problem_path_points_into_the_plain_document():
    text = edited("score: 3", "score: many")
    text = edited("jp: 8", "jp: 08", text)
    paths = [path_key(p.path) for p in validate(text)]
    doc = plain_document(text)
    assert [get_at(doc, p) for p in paths] == ["many", "08"]
    assert paths == ["domains.1.items.1.options.1.score", "modules.1.jp"]


def test_get_at(doc):
    assert get_at(doc, "domains.1.items.0.id") == "krisis-pantau"
    assert get_at(doc, ["positions", 0, "targets", "krisis"]) == 4
    assert get_at(doc, "domains.9.id") is None
    assert get_at(doc, "title.id.x", "none") == "none"
    assert get_at(doc, "") == doc


# -- changing ---------------------------------------------------------------------------

def test_set_at_returns_a_new_document_and_leaves_the_input_alone(doc):
    before = copy.deepcopy(doc)
    new = set_at(doc, "domains.0.items.0.text.en", "Changed")
    assert doc == before
    assert get_at(new, "domains.0.items.0.text.en") == "Changed"
    new["domains"][1]["id"] = "shared?"
    assert doc["domains"][1]["id"] == "krisis"  # nothing is shared


def test_set_at_creates_what_is_missing(doc):
    new = set_at(doc, "scoring.caps.1.reason.id", "Alasan")
    assert new["scoring"]["caps"][1] == {"reason": {"id": "Alasan"}}
    new = set_at(doc, "positions.1.importance.krisis", 2)
    assert new["positions"][1]["importance"] == {"krisis": 2}
    new = set_at({"a": None}, "a.0.b", 1)
    assert new == {"a": [{"b": 1}]}


@pytest.mark.parametrize("path", ["scoring.thresholds.5", "title.id.x", "domains.x", ""])
def test_set_at_refuses_paths_it_cannot_follow(doc, path):
    with pytest.raises(PathError):
        set_at(doc, path, 1)


def test_remove_at(doc):
    new = remove_at(doc, "domains.0.items.3")
    assert [i["id"] for i in new["domains"][0]["items"]] == [
        "strategi-rencana", "strategi-kanal", "strategi-tanda"]
    assert "importance" not in remove_at(doc, "positions.0.importance")["positions"][0]
    assert remove_at(doc, "positions.1.importance") == doc  # already missing: no change
    assert remove_at(doc, "domains.7") == doc
    assert len(doc["domains"][0]["items"]) == 4


def test_move_up_and_down_clamped(doc):
    ids = lambda d: [o["id"] for o in d["domains"][1]["items"][1]["options"]]  # noqa: E731
    path = "domains.1.items.1.options"
    assert ids(move(doc, f"{path}.2", -1)) == ["a", "c", "b"]
    assert ids(move(doc, f"{path}.0", 1)) == ["b", "a", "c"]
    assert ids(move(doc, f"{path}.0", -1)) == ["a", "b", "c"]
    assert ids(move(doc, f"{path}.1", 10)) == ["a", "c", "b"]
    assert ids(move(doc, f"{path}.2", -10)) == ["c", "a", "b"]
    assert move(doc, f"{path}.9", 1) == doc
    assert ids(doc) == ["a", "b", "c"]


BLANK = {"id": "", "en": ""}


@pytest.mark.parametrize("list_path, blank", [
    ("domains", {"id": "", "name": BLANK, "description": BLANK,
                 "levels": [{"descriptor": BLANK, "example": BLANK}] * 4, "items": []}),
    ("domains.0.items", {"id": "", "type": "rating", "text": BLANK, "anchors": [BLANK] * 4}),
    ("domains.0.items.1.options", {"id": "d", "text": BLANK, "score": 0}),
    ("domains.0.items.0.anchors", BLANK),
    ("domains.1.levels", {"descriptor": BLANK, "example": BLANK}),
    ("scale", {"level": 5, "name": BLANK, "descriptor": BLANK}),
    ("positions", {"id": "", "name": BLANK, "targets": {"strategi": 1, "krisis": 1}}),
    ("modules", {"id": "", "title": BLANK, "domain": "", "from_level": 1, "to_level": 2,
                 "jp": 2, "mode": "classroom", "provider": ""}),
    ("scoring.caps", {"item": "", "below": 0.5, "max_level": 1, "reason": BLANK}),
    ("scoring.thresholds", 90),
])
def test_insert_new_appends_a_sensible_blank(doc, list_path, blank):
    new = insert_new(doc, list_path)
    before = get_at(doc, list_path)
    assert get_at(new, list_path) == [*before, blank]
    assert get_at(doc, list_path) == before  # the input is untouched


def test_insert_new_covers_every_list_kind_and_creates_missing_lists(doc):
    assert set(BLANK_LISTS) == {"domains", "items", "options", "anchors", "levels", "scale",
                                "positions", "modules", "caps", "thresholds"}
    no_caps = remove_at(doc, "scoring.caps")
    assert get_at(insert_new(no_caps, "scoring.caps"), "scoring.caps.0.item") == ""
    assert insert_new({}, "scoring.thresholds") == {"scoring": {"thresholds": [50]}}
    high = set_at(doc, "scoring.thresholds", [95])
    assert get_at(insert_new(high, "scoring.thresholds"), "scoring.thresholds") == [95, 100]


def test_a_new_item_then_filled_in_through_the_form_validates(doc):
    new = insert_new(doc, "domains.1.items")
    fields = {"domains.1.items.3.id": "krisis-baru", "domains.1.items.3.text.id": "Baru",
              "domains.1.items.3.text.en": "New"}
    fields.update({f"domains.1.items.3.anchors.{k}.{lang}": f"{k}{lang}"
                   for k in range(4) for lang in ("id", "en")})
    text = document_to_yaml(form_to_document(fields, new))
    assert validate(text) == []
    assert load(text).item("krisis-baru").points == 4


@pytest.mark.parametrize("list_path", ["title", "domains.0", "domains.0.id", "nothing"])
def test_insert_new_refuses_what_is_not_a_known_list(doc, list_path):
    with pytest.raises(PathError):
        insert_new(doc, list_path)


# -- form fields ------------------------------------------------------------------------

def test_form_fields_are_typed_by_key_name(doc):
    new = form_to_document({
        "scale.0.level": "1", "domains.0.items.0.weight": "1.5",
        "domains.0.items.1.options.2.score": "-1", "domains.0.items.3.max_length": "300",
        "domains.0.items.0.required": "false", "domains.0.items.1.required": "on",
        "domains.1.items.2.required": "true", "scoring.thresholds.1": "65",
        "scoring.min_answered": "0.75", "scoring.caps.0.below": "0.4",
        "scoring.caps.0.max_level": "3", "positions.1.targets.krisis": "3",
        "positions.0.importance.krisis": "2.5", "modules.0.from_level": "1",
        "modules.0.to_level": "2", "modules.0.jp": "6", "format": "1",
        "domains.0.items.0.text.id": "8", "domains.0.id": "010", "modules.0.mode": "coaching",
    }, doc)
    assert get_at(new, "scale.0.level") == 1
    assert get_at(new, "domains.0.items.0.weight") == 1.5
    assert get_at(new, "domains.0.items.1.options.2.score") == -1
    assert get_at(new, "domains.0.items.3.max_length") == 300
    assert [get_at(new, f"domains.{d}.items.{i}.required")
            for d, i in ((0, 0), (0, 1), (1, 2))] == [False, True, True]
    assert new["scoring"] == {**doc["scoring"], "thresholds": [40, 65, 80],
                              "min_answered": 0.75,
                              "caps": [{**doc["scoring"]["caps"][0], "below": 0.4,
                                        "max_level": 3}]}
    assert new["positions"][1]["targets"] == {"strategi": 2, "krisis": 3}
    assert new["positions"][0]["importance"] == {"krisis": 2.5}
    assert (new["modules"][0]["from_level"], new["modules"][0]["jp"]) == (1, 6)
    assert type(new["format"]) is int
    assert get_at(new, "domains.0.items.0.text.id") == "8"  # text stays text
    assert get_at(new, "domains.0.id") == "010"
    assert get_at(new, "modules.0.mode") == "coaching"


@pytest.mark.parametrize("text, value", [
    ("abc", "abc"), ("08", "08"), ("1.10", "1.10"), (" 7 ", 7), ("0.5", 0.5), ("2.0", 2.0),
    ("1e3", "1e3"),
])
def test_a_number_field_gets_what_yaml_would_give(doc, text, value):
    got = get_at(form_to_document({"modules.0.jp": text}, doc), "modules.0.jp")
    assert got == value and type(got) is type(value)
    via_yaml = plain_document(edited("jp: 4", f"jp: {text.strip()}"))["modules"][0]["jp"]
    assert via_yaml == value and type(via_yaml) is type(value)


@pytest.mark.parametrize("text, value", [("", ""), ("  ", ""), ("true", "true"), ("x y", "x y")])
def test_a_number_field_never_turns_other_text_into_a_value(doc, text, value):
    got = get_at(form_to_document({"modules.0.jp": text}, doc), "modules.0.jp")
    assert got == value and type(got) is str


def test_an_empty_number_is_reported_never_zero(doc):
    text = document_to_yaml(form_to_document({"domains.0.items.0.weight": ""}, doc))
    assert [p.path for p in validate(text)] == ["domains[0].items[0].weight"]


def test_form_text_keeps_its_content_with_unix_line_ends(doc):
    new = form_to_document({"description.en": "Line one\r\nLine two  ", "title.id": ""}, doc)
    assert new["description"]["en"] == "Line one\nLine two  "
    assert new["title"]["id"] == ""


def test_unknown_paths_are_kept_for_validation_to_report(doc):
    new = form_to_document({"domains.0.colour": "blue"}, doc)
    assert new["domains"][0]["colour"] == "blue"
    assert [p.code for p in validate(document_to_yaml(new))] == ["unknown_key"]


def test_the_prefix_keeps_other_form_fields_out(doc):
    new = form_to_document({"csrf_token": "x", "q.title.en": "T", "q.modules.0.jp": "5"}, doc,
                           prefix="q.")
    assert "csrf_token" not in new and new["title"]["en"] == "T" and new["modules"][0]["jp"] == 5


def test_new_list_entries_may_arrive_in_any_order(doc):
    fields = {"domains.0.items.1.options.4.id": "e", "domains.0.items.1.options.3.id": "d",
              "domains.0.items.1.options.4.score": "1", "domains.0.items.1.options.3.score": "0"}
    new = form_to_document(fields, doc)
    assert [(o["id"], o["score"]) for o in new["domains"][0]["items"][1]["options"][3:]] == [
        ("d", 0), ("e", 1)]
    with pytest.raises(PathError):
        form_to_document({"domains.0.items.1.options.9.id": "z"}, doc)


def test_form_to_document_leaves_the_base_alone(doc):
    before = copy.deepcopy(doc)
    form_to_document({"title.id": "X", "scoring.thresholds.0": "10"}, doc)
    assert doc == before


# -- YAML output and round trips --------------------------------------------------------

def test_the_shipped_questionnaire_survives_the_round_trip():
    text = SHIPPED.read_text(encoding="utf-8")
    doc = plain_document(text)
    again = document_to_yaml(doc)
    assert load(again) == load(text)
    assert plain_document(again) == doc
    assert document_to_yaml(plain_document(again)) == again  # stable


def test_the_mini_questionnaire_survives_the_round_trip(doc):
    assert load(document_to_yaml(doc)) == load(MINI_TEXT)


def test_text_that_looks_like_a_number_keeps_its_meaning_for_the_schema():
    text = edited("weight: 2", "weight: 1.10")
    text = edited('{id: "Tidak pernah", en: "Never"}', "{id: 1.10, en: no}", text)
    again = document_to_yaml(plain_document(text))
    assert load(again) == load(text)
    item = load(again).item("strategi-rencana")
    assert item.weight == 1.1 and (item.anchors[0].id, item.anchors[0].en) == ("1.10", "no")


def test_yaml_output_is_clean():
    shared = {"id": "Ya", "en": "Yes"}
    doc = {"title": shared, "again": shared, "list": [1, 2.5, True, None], "empty": [],
           "text": "Satu: dua # tiga", "lines": "a\nb", "unicode": "Pelayanan — publik ✓",
           "looks_true": "true", "looks_int": "8", "number_text": "1.10", "word": "no"}
    text = document_to_yaml(doc)
    assert "&" not in text and "*" not in text and "!" not in text
    assert "title: {id: Ya, en: Yes}" in text
    assert "list: [1, 2.5, true, null]" in text
    assert "Pelayanan — publik ✓" in text
    assert 'looks_true: "true"' in text and 'looks_int: "8"' in text
    assert "number_text: 1.10" in text and "word: no" in text
    assert "lines: |-\n  a\n  b\n" in text
    assert plain_document(text) == doc


def test_a_float_that_has_no_plain_decimal_form_is_written_as_text():
    assert plain_document(document_to_yaml({"big": 1e16})) == {"big": "1e+16"}


def test_a_document_with_a_mapping_at_top_level_stays_block_style():
    assert document_to_yaml({"a": 1}) == "a: 1\n"


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: "e" not in repr(f)),
    st.text(), st.sampled_from(["no", "yes", "010", "1.10", "true", "null", "~", "", " ", "-",
                                "- a", "a: b", "#", "'", '"', "\n", "\t", "\ufeff", "\x85"]))
plain_docs = st.dictionaries(st.text(), st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner,
                                                                        max_size=4),
    max_leaves=12), max_size=5)


@SETTINGS
@given(plain_docs)
def test_any_plain_document_reads_back_equal(doc):
    text = document_to_yaml(doc)
    assert plain_document(text) == doc


@settings(SETTINGS, max_examples=25)
@given(documents())
def test_any_valid_questionnaire_loads_equal_after_the_round_trip(document):
    text = yaml.dump(document, Dumper=yaml.SafeDumper, allow_unicode=True)
    assert load(document_to_yaml(plain_document(text))) == load(text)


# -- the two editors agree ----------------------------------------------------------------

def test_editing_through_the_form_or_the_yaml_stores_the_same_document(doc):
    old = '{id: "Saya memantau isu.", en: "I monitor issues."}'
    new = '{id: "Saya memantau isu setiap hari.", en: "I monitor issues daily."}'
    via_yaml = edited(old, new)
    via_form = document_to_yaml(form_to_document(
        {"domains.1.items.0.text.id": "Saya memantau isu setiap hari.",
         "domains.1.items.0.text.en": "I monitor issues daily."}, doc))
    assert plain_document(via_form) == plain_document(via_yaml)
    assert load(via_form) == load(via_yaml)


@pytest.mark.parametrize("field, old, new, value", [
    ("domains.1.items.2.weight", "weight: 0.5", "weight: 0.75", "0.75"),
    ("domains.1.items.2.required", "required: false", "required: true", "true"),
    ("modules.4.provider", 'provider: "Diskominfo"', "provider: Dinas Kominfo", "Dinas Kominfo"),
    ("scoring.thresholds.2", "[40, 60, 80]", "[40, 60, 85]", "85"),
    ("positions.1.targets.strategi", "{strategi: 2, krisis: 2}",
     "{strategi: 3, krisis: 2}", "3"),
    ("domains.0.items.0.weight", "weight: 2", "weight: ", ""),
    ("domains.0.items.0.weight", "weight: 2", "weight: 1.10", "1.10"),
    ("domains.0.items.0.text.en", 'en: "I draw up a content plan."', "en: no", "no"),
])
def test_the_two_editors_agree_on_every_kind_of_field(doc, field, old, new, value):
    via_yaml = plain_document(edited(old, new))
    via_form = plain_document(document_to_yaml(form_to_document({field: value}, doc)))
    if value == "":  # an emptied number: "" from the form, nothing in YAML; both are reported
        assert get_at(via_form, field) == "" and get_at(via_yaml, field) is None
        assert [p.path for p in validate(document_to_yaml(via_form))] == [
            p.path for p in validate(edited(old, new))]
    else:
        assert via_form == via_yaml
