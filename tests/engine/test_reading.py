"""Reading untrusted text: size, encoding, YAML syntax, anchors/aliases, tags, top level."""
import time

import pytest

from app.engine.questionnaire import QuestionnaireInvalid, load, validate

from .helpers import edited, line_of, only

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_valid_file_has_no_problem(mini_text):
    assert validate(mini_text) == []
    assert validate(mini_text.encode("utf-8")) == []


def test_utf8_bom_is_accepted(mini_text):
    assert validate(b"\xef\xbb\xbf" + mini_text.encode("utf-8")) == []


def test_too_large_is_refused_before_parsing(mini_text):
    problem = only(validate(mini_text, max_bytes=100), "too_large")
    assert (problem.path, problem.line, problem.column) == ("", None, None)
    assert problem.message_en.startswith("The file is too large: 5.7 KiB, while the limit is 0.1 KiB.")
    assert "batasnya" in problem.message_id


def test_size_counts_bytes_not_characters():
    text = "é" * 60  # 120 bytes
    assert only(validate(text, max_bytes=100), "too_large")


def test_not_utf8_is_refused():
    problem = only(validate(b"format: 1\nid: \xff\xfe\n"), "not_utf8")
    assert problem.line is None
    assert "UTF-8" in problem.message_en and "UTF-8" in problem.message_id


def test_yaml_syntax_error_has_its_location():
    problems = validate("format: 1\nid: [unclosed\ntitle: x\n")
    problem = only(problems, "yaml_syntax")
    assert problem.line == 3
    assert "Check the indentation" in problem.message_en
    assert "Periksa indentasi" in problem.message_id


def test_tab_indentation_is_a_syntax_error():
    problem = only(validate("format: 1\nscale:\n\t- level: 1\n"), "yaml_syntax")
    assert problem.line == 3


def test_several_documents_are_a_syntax_error(mini_text):
    assert only(validate(mini_text + "\n---\nformat: 1\n"), "yaml_syntax").line is not None


def test_anchor_and_alias_are_refused(mini_text):
    text = edited('title: {id: "Kuesioner mini", en: "Mini questionnaire"}',
                  'title: &t {id: "Kuesioner mini", en: "Mini questionnaire"}')
    text = edited('description: {id: "Kuesioner kecil untuk pengujian.", en: "A small questionnaire for tests."}',
                  "description: *t", text)
    problems = validate(text)
    assert [p.code for p in problems] == ["yaml_alias", "yaml_alias"]
    assert [p.line for p in problems] == [line_of(text, "&t"), line_of(text, "*t")]
    assert "Anchors (&name) and aliases (*name) are not allowed" in problems[0].message_en
    assert "tidak diizinkan" in problems[0].message_id


def test_explicit_tags_are_refused():
    problems = validate("format: !!int 1\nid: !custom x\ntitle: !!python/object:os.system {}\n")
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("yaml_tag", 1, 9), ("yaml_tag", 2, 5), ("yaml_tag", 3, 8)]
    assert "The tag tag:yaml.org,2002:python/object:os.system is not allowed" in problems[2].message_en


def test_non_specific_tag_is_refused():
    assert only(validate("format: ! 1\n"), "yaml_tag").line == 1


def test_billion_laughs_is_refused_quickly():
    start = time.perf_counter()
    problems = validate(BILLION_LAUGHS)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0
    assert problems and {p.code for p in problems} == {"yaml_alias"}
    assert problems[0].line == 1
    with pytest.raises(QuestionnaireInvalid):
        load(BILLION_LAUGHS)


def test_python_object_tag_is_refused_quickly():
    text = "format: !!python/object/apply:os.system ['echo pwned']\n"
    start = time.perf_counter()
    problem = only(validate(text), "yaml_tag")
    assert time.perf_counter() - start < 2.0
    assert (problem.line, problem.column) == (1, 9)


@pytest.mark.parametrize("text, found_en", [
    ("- a\n- b\n", "a list (lines starting with '-')"),
    ("just text\n", "'just text'"),
    ("", "an empty value"),
    ("# only a comment\n", "an empty value"),
])
def test_top_level_must_be_a_mapping(text, found_en):
    problem = only(validate(text), "not_a_mapping")
    assert (problem.path, problem.line, problem.column) == ("", 1, 1)
    assert problem.message_en.endswith(f"not {found_en}.")
    assert "tingkat teratas" in problem.message_id


def test_duplicate_mapping_key():
    text = edited("format: 1\n", "format: 1\nformat: 1\n")
    problem = only(validate(text), "duplicate_key")
    assert (problem.path, problem.line) == ("format", line_of(text, "format: 1", 2))
    assert problem.message_en == (f"The key 'format' is written twice (first on line "
                                  f"{line_of(text, 'format: 1')}). Remove one of them.")


def test_load_raises_with_every_problem():
    text = edited("format: 1", "format: 2")
    text = edited("id: mini", "id: Mini", text)
    with pytest.raises(QuestionnaireInvalid) as caught:
        load(text)
    assert [p.code for p in caught.value.problems] == ["unsupported_format", "bad_slug"]
    assert "2 problem(s)" in str(caught.value)
