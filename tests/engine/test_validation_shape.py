"""Shape problems: keys, types, values and list lengths, each with its path, line and message."""
import pytest

from app.engine.questionnaire import load, validate

from .helpers import MINI_TEXT, edited, line_of, only


def check(text, code, path, needle, occurrence=1):
    """The single ``code`` problem is at ``path`` on the line holding ``needle``."""
    problem = only(validate(text), code)
    assert problem.path == path
    assert problem.line == line_of(text, needle, occurrence)
    return problem


def test_unknown_key():
    text = edited("  min_answered: 0.5\n", "  min_answered: 0.5\n  minimum: 3\n")
    problem = check(text, "unknown_key", "scoring.minimum", "minimum: 3")
    assert problem.message_en == ("The key 'minimum' is not known here. Remove it or correct its "
                                  "spelling; allowed keys: model, combine, thresholds, min_answered, caps.")
    assert problem.message_id.startswith("Kunci 'minimum' tidak dikenal di sini.")
    assert problem.column == 3


def test_missing_key():
    text = edited("  thresholds: [40, 60, 80]\n", "")
    problem = check(text, "missing_key", "scoring.thresholds", "combine: weighted_mean")
    assert problem.message_en == "The key 'thresholds' is missing. Add 'thresholds' here."
    assert problem.message_id == "Kunci 'thresholds' belum ada. Tambahkan 'thresholds' di sini."


def test_missing_top_level_key():
    text = edited("format: 1\n", "")
    problem = only(validate(text), "missing_key")
    assert (problem.path, problem.line) == ("format", line_of(text, "id: mini"))


def test_key_not_allowed_for_the_item_type():
    text = edited("        max_length: 200\n", "        max_length: 200\n        weight: 2\n")
    problem = check(text, "key_not_allowed", "domains[0].items[3].weight", "weight: 2", 2)
    assert problem.message_en == "The key 'weight' does not apply to an item of type text. Remove it."
    assert problem.message_id == "Kunci 'weight' tidak berlaku untuk butir berjenis text. Hapus kunci ini."


def test_options_on_a_rating_item_are_not_allowed():
    text = edited("        weight: 2\n", "        weight: 2\n        options: []\n")
    check(text, "key_not_allowed", "domains[0].items[0].options", "options: []")


def test_unknown_item_type_reports_only_the_type():
    text = edited("        type: rating\n", "        type: slider\n")
    problem = check(text, "not_in_list", "domains[0].items[0].type", "type: slider")
    assert problem.message_en == ("'slider' is not a valid choice. Use one of: rating, choice, "
                                  "multi, text.")


@pytest.mark.parametrize("written, found_en", [
    ("three", "'three'"), ('"3"', "'3'"), ("3.0", "'3.0'"), ("[3]", "a list (lines starting with '-')"),
    ("true", "'true'"), ("0x10", "'0x10'"), ("1e3", "'1e3'")])
def test_integer_needs_a_plain_whole_number(written, found_en):
    text = edited("    jp: 4\n", f"    jp: {written}\n")
    problem = check(text, "wrong_type", "modules[0].jp", f"jp: {written}")
    assert problem.message_en == f"This value must be a whole number, but {found_en} is written."
    assert problem.message_id.startswith("Nilai ini harus berupa bilangan bulat")


def test_integer_with_leading_zero_is_refused():
    text = edited("    jp: 4\n", "    jp: 010\n")
    problem = check(text, "leading_zero", "modules[0].jp", "jp: 010")
    assert problem.message_en == ("The number '010' starts with a zero. Write it without the "
                                  "leading zero: 10.")
    assert "tanpa nol di depan" in problem.message_id


def test_number_with_leading_zero_is_refused():
    text = edited("  min_answered: 0.5", "  min_answered: 00.5")
    problem = check(text, "leading_zero", "scoring.min_answered", "min_answered: 00.5")
    assert problem.message_en.endswith("leading zero: 0.5.")


@pytest.mark.parametrize("written", ["no", "yes", "off", "on", "False", "TRUE", '"true"', "0"])
def test_only_true_and_false_are_booleans(written):
    text = edited("        required: false\n", f"        required: {written}\n")
    problem = check(text, "wrong_type", "domains[1].items[2].required", f"required: {written}")
    assert "must be true or false" in problem.message_en
    assert "harus berupa true atau false" in problem.message_id


def test_yaml_11_words_stay_text_where_text_is_expected():
    text = edited('        text: {id: "Komentar", en: "Comment"}', "        text: {id: no, en: 1.10}")
    text = edited('provider: "Diskominfo"', "provider: 010", text)
    q = load(text)
    assert q.item("strategi-komentar").text.id == "no"
    assert q.item("strategi-komentar").text.en == "1.10"
    assert q.module("m-krisis-mentor").provider == "010"


def test_wrong_type_for_a_mapping():
    text = edited("  combine: weighted_mean\n  thresholds: [40, 60, 80]\n",
                  "  combine: weighted_mean\n  thresholds: {a: 1}\n")
    problem = check(text, "wrong_type", "scoring.thresholds", "thresholds: {a: 1}")
    assert problem.message_en == ("This value must be a list (lines starting with '-'), but a "
                                  "mapping (key: value) is written.")


def test_bilingual_text_written_as_plain_text():
    text = edited('title: {id: "Kuesioner mini", en: "Mini questionnaire"}', 'title: "Kuesioner mini"')
    problem = check(text, "wrong_type", "title", "title:")
    assert problem.message_en == ("This value must be a bilingual text {id: …, en: …}, but "
                                  "'Kuesioner mini' is written.")


def test_empty_value():
    text = edited('provider: "Diskominfo"', "provider:")
    problem = check(text, "empty_value", "modules[4].provider", "provider:", 5)
    assert problem.message_en == "This value is empty. Write text here."
    assert problem.message_id == "Nilai ini kosong. Tuliskan teks di sini."


@pytest.mark.parametrize("slug", ["Bad", "a_b", "-a", "a--b", "a-", "é", "a" * 65])
def test_bad_slug(slug):
    text = edited("  - id: pimpinan\n", f"  - id: {slug}\n")
    problem = check(text, "bad_slug", "positions[1].id", f"id: {slug}")
    assert problem.message_en.startswith(f"'{slug}' is not a valid id. Use only lowercase letters")
    assert "bukan id yang sah" in problem.message_id


def test_slug_of_64_characters_is_fine():
    text = edited("  - id: pimpinan\n", f"  - id: {'a' * 64}\n")
    assert validate(text) == []


def test_mode_not_in_the_list():
    text = edited("    mode: coaching\n", "    mode: webinar\n")
    problem = check(text, "not_in_list", "modules[3].mode", "mode: webinar")
    assert problem.message_en == ("'webinar' is not a valid choice. Use one of: classroom, "
                                  "e-learning, coaching, mentoring, self-study.")
    assert problem.message_id.startswith("'webinar' bukan pilihan yang sah.")


def test_combine_not_in_the_list():
    text = edited("  combine: weighted_mean\n", "  combine: median\n")
    check(text, "not_in_list", "scoring.combine", "combine: median")


@pytest.mark.parametrize("old, new, path, range_en", [
    ("  min_answered: 0.5", "  min_answered: 0", "scoring.min_answered",
     "greater than 0 and at most 1"),
    ("  min_answered: 0.5", "  min_answered: 1.01", "scoring.min_answered",
     "greater than 0 and at most 1"),
    ("  thresholds: [40, 60, 80]", "  thresholds: [40, 60, 101]", "scoring.thresholds[2]",
     "greater than 0 and at most 100"),
    ("  thresholds: [40, 60, 80]", "  thresholds: [0, 60, 80]", "scoring.thresholds[0]",
     "greater than 0 and at most 100"),
    ("      below: 0.5", "      below: 1.5", "scoring.caps[0].below", "greater than 0 and at most 1"),
    ("    jp: 4\n", "    jp: 201\n", "modules[0].jp", "at least 1 and at most 200"),
    ("        weight: 2\n", "        weight: 0\n", "domains[0].items[0].weight", "greater than 0"),
    ("        max_length: 200", "        max_length: 10001", "domains[0].items[3].max_length",
     "at least 1 and at most 10000"),
    ("            score: 0\n", "            score: -1\n", "domains[0].items[1].options[0].score",
     "at least 0"),
    ("    importance: {krisis: 2}", "    importance: {krisis: 0}",
     "positions[0].importance.krisis", "greater than 0"),
])
def test_value_out_of_range(old, new, path, range_en):
    text = edited(old, new)
    problem = check(text, "out_of_range", path, new.strip())
    assert problem.message_en.endswith(f"it must be {range_en}.")
    assert "di luar rentang" in problem.message_id


def test_negative_score_is_fine_on_a_multi_item():
    text = edited("            score: -1\n", "            score: -2.5\n")
    assert validate(text) == []


@pytest.mark.parametrize("old, new, lang, name_en", [
    ('title: {id: "Kuesioner mini", en: "Mini questionnaire"}', 'title: {id: "", en: "Mini"}',
     "id", "Indonesian"),
    ('title: {id: "Kuesioner mini", en: "Mini questionnaire"}', 'title: {id: "Kuesioner"}',
     "en", "English"),
    ('title: {id: "Kuesioner mini", en: "Mini questionnaire"}', 'title: {id: "K", en: "  "}',
     "en", "English"),
    ('title: {id: "Kuesioner mini", en: "Mini questionnaire"}', 'title: {id: ~, en: "M"}',
     "id", "Indonesian"),
])
def test_missing_translation(old, new, lang, name_en):
    text = edited(old, new)
    problem = check(text, "missing_translation", f"title.{lang}", "title:")
    assert problem.message_en == f"The {name_en} text ('{lang}') is empty or missing. Add it."
    assert problem.message_id.startswith("Teks bahasa ")


def test_missing_translation_deep_inside():
    text = edited('          - {id: "Sering", en: "Often"}', '          - {id: "Sering"}')
    check(text, "missing_translation", "domains[0].items[0].anchors[2].en", 'id: "Sering"')


def test_unknown_language_key():
    text = edited('title: {id: "Kuesioner mini", en: "Mini questionnaire"}',
                  'title: {id: "K", en: "M", fr: "Q"}')
    check(text, "unknown_key", "title.fr", "title:")


def test_too_few_options():
    text = edited("""          - id: b
            text: {id: "Klarifikasi resmi", en: "Official clarification"}
            score: 3
          - id: c
            text: {id: "Balas dengan marah", en: "Answer angrily"}
            score: 1
""", "")
    text = edited("            score: 0\n", "            score: 1\n", text)  # keep a positive one
    problem = only(validate(text), "too_few_options")
    assert problem.path == "domains[1].items[1].options"
    assert problem.line == line_of(text, "id: krisis-hoaks") + 3  # the options: key
    assert problem.message_en == ("This item needs at least 2 answer options; it has 1. "
                                  "Add options.")
    assert problem.message_id.startswith("Butir ini memerlukan minimal 2 pilihan jawaban")


@pytest.mark.parametrize("count", [1, 8])
def test_anchors_count(count):
    anchors = "".join(f'          - {{id: "A{n}", en: "A{n}"}}\n' for n in range(count))
    text = edited("""          - {id: "Tidak", en: "No"}
          - {id: "Ya", en: "Yes"}
""", anchors)
    problem = only(validate(text), "anchors_count")
    assert problem.path == "domains[1].items[2].anchors"
    assert problem.line == line_of(text, 'id: "A0"') - 1  # the anchors: key
    assert problem.message_en == (f"A rating item needs 2 to 7 anchors (one per scale point, "
                                  f"lowest first); it has {count}.")


def test_scale_size():
    text = edited("""  - level: 2
    name: {id: "Menengah", en: "Intermediate"}
    descriptor: {id: "Bekerja dengan bimbingan.", en: "Works with guidance."}
  - level: 3
    name: {id: "Mahir", en: "Advanced"}
    descriptor: {id: "Bekerja mandiri.", en: "Works independently."}
  - level: 4
    name: {id: "Ahli", en: "Expert"}
    descriptor: {id: "Membimbing orang lain.", en: "Guides others."}
""", "")
    problem = only(validate(text), "scale_size")
    assert (problem.path, problem.line) == ("scale", line_of(text, "scale:"))
    assert problem.message_en == "The scale must have 2 to 9 levels; it has 1."


def test_empty_list_of_modules():
    text = MINI_TEXT[:MINI_TEXT.index("modules:\n")] + "modules: []\n"
    problem = only(validate(text), "list_too_short")
    assert (problem.path, problem.line) == ("modules", line_of(text, "modules: []"))
    assert problem.message_en == "This list has 0 entries but needs at least 1. Add entries."
    assert problem.message_id == "Daftar ini berisi 0 entri, padahal minimal 1. Tambahkan entri."


def test_generic_list_length_problems_of_the_schema():
    import yaml

    from app.engine.context import Context
    from app.engine.schema import Seq, Str

    ctx = Context()
    node = yaml.compose("items:\n  - a\n  - b\n").value[0][1]
    ctx.marks["items"] = (1, 1)
    assert Seq(Str(), max_length=1).convert(node, "items", ctx) == ["a", "b"]
    problem = only(ctx.problems, "list_too_long")
    assert (problem.path, problem.line) == ("items", 1)
    assert problem.message_en == "This list has 2 entries but allows at most 1. Remove the extra entries."


def test_an_absurdly_long_number_is_a_type_problem_not_a_crash():
    from app.engine.questionnaire import validate

    problems = validate("format: " + "9" * 5000 + "\n")
    assert any(p.path == "format" for p in problems)
