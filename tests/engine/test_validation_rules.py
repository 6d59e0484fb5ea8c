"""Rules across the file: ids, references, scale, thresholds, caps, targets, modules, gaps."""
import pytest

from app.engine.questionnaire import validate

from .helpers import MINI_TEXT, edited, line_of, only


def check(text, code, path, needle, occurrence=1):
    problem = only(validate(text), code)
    assert problem.path == path
    assert problem.line == line_of(text, needle, occurrence)
    return problem


def test_unsupported_format():
    problem = check(edited("format: 1", "format: 2"), "unsupported_format", "format", "format: 2")
    assert problem.message_en == "Format version 2 is unknown. Write 'format: 1'."
    assert problem.message_id == "Versi format 2 tidak dikenal. Tulis 'format: 1'."


def test_scale_numbering():
    text = edited("  - level: 3\n", "  - level: 4\n")
    problem = check(text, "scale_numbering", "scale[2].level", "- level: 4")
    assert problem.message_en == ("Entry 3 of the scale must be level 3, not 4. Number the levels "
                                  "1, 2, 3, … in order.")
    assert problem.message_id.startswith("Tingkat ke-3 dalam skala harus bernomor 3, bukan 4.")


def test_thresholds_count():
    text = edited("thresholds: [40, 60, 80]", "thresholds: [40, 60]")
    problem = check(text, "thresholds_count", "scoring.thresholds", "thresholds:")
    assert problem.message_en == ("With 4 levels the number of thresholds must be 3 (one for each "
                                  "level from level 2 up); there are 2.")


@pytest.mark.parametrize("written, index, value, previous", [
    ("[40, 40, 80]", 1, 40, 40), ("[40, 60, 50.5]", 2, 50.5, 60)])
def test_thresholds_not_increasing(written, index, value, previous):
    text = edited("thresholds: [40, 60, 80]", f"thresholds: {written}")
    problem = check(text, "thresholds_not_increasing", f"scoring.thresholds[{index}]", "thresholds:")
    assert problem.message_en == (f"The threshold {value} is not greater than the one before it "
                                  f"({previous}). Thresholds must strictly increase, e.g. "
                                  f"[30, 50, 70, 85].")
    assert "Ambang harus terus naik" in problem.message_id


def test_domain_levels_count():
    text = edited("""      - descriptor: {id: "K4", en: "K4"}
        example: {id: "Contoh K4", en: "Example K4"}
""", "")
    problem = check(text, "domain_levels_count", "domains[1].levels", "levels:", 2)
    assert problem.message_en == ("This domain needs exactly 4 level descriptions (one per scale "
                                  "level, in order); it has 3.")


@pytest.mark.parametrize("old, new, path, kind_en, kind_id, first", [
    ("  - id: krisis\n", "  - id: strategi\n", "domains[1].id", "domain", "domain", "- id: strategi"),
    ("      - id: krisis-pantau\n", "      - id: strategi-kanal\n", "domains[1].items[0].id", "item",
     "butir", "- id: strategi-kanal"),
    ("          - id: c\n            text: {id: \"Semua", "          - id: b\n            text: {id: \"Semua",
     "domains[0].items[1].options[2].id", "option", "pilihan", "- id: b"),
    ("  - id: pimpinan\n", "  - id: admin-medsos\n", "positions[1].id", "position", "jabatan",
     "- id: admin-medsos"),
    ("  - id: m-krisis-mentor\n", "  - id: m-strategi-1\n", "modules[4].id", "module", "modul",
     "- id: m-strategi-1"),
])
def test_duplicate_id(old, new, path, kind_en, kind_id, first):
    text = edited(old, new)
    value = new.split("id: ")[1].split("\n")[0]
    problem = only(validate(text), "duplicate_id")
    assert problem.path == path
    assert problem.line == line_of(text, first, 2, exact=True)
    assert problem.message_en == (f"The id '{value}' is already used by another {kind_en} (line "
                                  f"{line_of(text, first, exact=True)}). Give it a different id.")
    assert problem.message_id.startswith(f"Id '{value}' sudah dipakai oleh {kind_id} lain")


def test_same_option_ids_in_different_items_are_fine(mini_text):
    assert validate(mini_text) == []  # a, b, c are used by several items


def test_unknown_domain_in_targets():
    text = edited("targets: {strategi: 2, krisis: 2}", "targets: {strategi: 2, krisis: 2, konten: 1}")
    problem = check(text, "unknown_domain", "positions[1].targets.konten", "konten: 1")
    assert problem.message_en == ("There is no domain 'konten'. Use one of the domain ids: "
                                  "strategi, krisis.")
    assert problem.message_id == "Domain 'konten' tidak ada. Gunakan salah satu id domain: strategi, krisis."


def test_unknown_domain_in_importance():
    text = edited("importance: {krisis: 2}", "importance: {krisys: 2}")
    check(text, "unknown_domain", "positions[0].importance.krisys", "krisys: 2")


def test_unknown_domain_of_a_module():
    text = edited("    domain: krisis\n    from_level: 3", "    domain: crisis\n    from_level: 3")
    check(text, "unknown_domain", "modules[4].domain", "domain: crisis")


def test_unknown_item_in_a_cap():
    text = edited("    - item: krisis-hoaks", "    - item: krisis-hoax")
    problem = check(text, "unknown_item", "scoring.caps[0].item", "item: krisis-hoax")
    assert problem.message_en == ("There is no item 'krisis-hoax' in this questionnaire. Check "
                                  "the spelling of the item id.")


@pytest.mark.parametrize("item, kind", [("strategi-komentar", "text"), ("krisis-pantau", "rating")])
def test_cap_on_an_item_that_is_not_a_scenario(item, kind):
    text = edited("    - item: krisis-hoaks", f"    - item: {item}")
    problem = check(text, "cap_item_type", "scoring.caps[0].item", f"item: {item}")
    assert problem.message_en == (f"A cap can only name an item of type choice or multi, but "
                                  f"'{item}' is of type {kind}. Name a scenario item.")
    assert "hanya dapat dipasang pada butir berjenis choice atau multi" in problem.message_id


@pytest.mark.parametrize("value", [0, 5])
def test_cap_max_level_out_of_range(value):
    text = edited("      max_level: 2", f"      max_level: {value}")
    problem = check(text, "level_out_of_range", "scoring.caps[0].max_level", f"max_level: {value}")
    assert problem.message_en == (f"max_level is {value} but must be between 1 and 4 (a level of "
                                  f"the scale).")


@pytest.mark.parametrize("old, new, path, low, high", [
    ("    from_level: 3\n    to_level: 4", "    from_level: 4\n    to_level: 4",
     "modules[4].from_level", 1, 3),
    ("    from_level: 3\n    to_level: 4", "    from_level: 3\n    to_level: 5",
     "modules[4].to_level", 2, 4),
    ("    from_level: 3\n    to_level: 4", "    from_level: 0\n    to_level: 4",
     "modules[4].from_level", 1, 3),
])
def test_module_levels_out_of_range(old, new, path, low, high):
    text = edited(old, new)
    key = path.rsplit(".", 1)[1]
    value = new.split(f"{key}: ")[1].split("\n")[0]
    problem = check(text, "level_out_of_range", path, f"{key}: {value}")
    assert problem.message_en == (f"{key} is {value} but must be between {low} and {high} (a level "
                                  f"of the scale).")


def test_module_must_raise_the_level():
    text = edited("    from_level: 2\n    to_level: 3\n    jp: 6", "    from_level: 3\n    to_level: 3\n    jp: 6")
    problem = only(validate(text), "module_levels_order")
    assert problem.path == "modules[3].to_level"
    assert problem.line == line_of(text, "jp: 6") - 1
    assert problem.message_en == ("to_level (3) must be greater than from_level (3); a module must "
                                  "raise the level.")


def test_no_positive_score():
    text = edited("            score: 2\n", "            score: 0\n")
    text = edited("            score: 1\n", "            score: 0\n", text)
    problem = check(text, "no_positive_score", "domains[0].items[1].options", "options:")
    assert problem.message_en == ("No option has a score above 0. Give at least one right answer a "
                                  "positive score.")
    assert problem.message_id.startswith("Tidak ada pilihan dengan skor lebih dari 0.")


def test_domain_without_scored_items():
    start = MINI_TEXT.index("      - id: krisis-pantau")
    end = MINI_TEXT.index("positions:")
    text = (MINI_TEXT[:start] + "      - id: krisis-catatan\n        type: text\n"
            "        text: {id: \"Catatan\", en: \"Note\"}\n\n" + MINI_TEXT[end:])
    text = text.replace("  caps:\n    - item: krisis-hoaks\n      below: 0.5\n      max_level: 2\n"
                        "      reason: {id: \"Salah menangani hoaks.\", en: \"Mishandled a hoax.\"}\n", "")
    problem = check(text, "no_scored_items", "domains[1].items", "items:", 2)
    assert problem.message_en == ("Domain 'krisis' holds only text items, so it can never get a "
                                  "level. Add at least one rating, choice or multi item.")


def test_missing_target():
    text = edited("targets: {strategi: 2, krisis: 2}", "targets: {strategi: 2}")
    problem = check(text, "missing_target", "positions[1].targets", "targets: {strategi: 2}")
    assert problem.message_en == ("Position 'pimpinan' has no target for domain 'krisis'. Add "
                                  "'krisis: <level>' under targets.")
    assert problem.message_id.startswith("Jabatan 'pimpinan' belum punya target untuk domain 'krisis'.")


def test_target_above_scale():
    text = edited("targets: {strategi: 2, krisis: 2}", "targets: {strategi: 2, krisis: 5}")
    problem = check(text, "target_above_scale", "positions[1].targets.krisis", "krisis: 5")
    assert problem.message_en == ("The target 5 is above the top level of the scale (4). Use a "
                                  "number from 1 to 4.")


def test_target_below_scale():
    text = edited("targets: {strategi: 2, krisis: 2}", "targets: {strategi: 0, krisis: 2}")
    problem = check(text, "target_below_scale", "positions[1].targets.strategi", "strategi: 0")
    assert problem.message_en == "The target 0 is too low. Use a number from 1 to 4."


def test_gap_not_closable():
    text = edited("    from_level: 3\n    to_level: 4\n    jp: 6\n    mode: mentoring",
                  "    from_level: 2\n    to_level: 3\n    jp: 6\n    mode: mentoring")
    problem = check(text, "gap_not_closable", "domains[1]", "- id: krisis")
    assert problem.message_en == ("No module of domain 'krisis' lifts level 3 to 4, yet a position "
                                  "targets level 4. Add a module with from_level ≤ 3 and "
                                  "to_level > 3.")
    assert "Tidak ada modul domain 'krisis' yang menaikkan tingkat 3 ke 4" in problem.message_id


def test_gap_not_closable_is_reported_per_missing_level():
    text = edited("    domain: strategi\n    from_level: 1", "    domain: krisis\n    from_level: 1")
    text = edited("    domain: strategi\n    from_level: 2", "    domain: krisis\n    from_level: 2", text)
    problems = [p for p in validate(text) if p.code == "gap_not_closable"]
    assert [(p.path, p.message_en.split(" lifts ")[1][:12]) for p in problems] == [
        ("domains[0]", "level 1 to 2"), ("domains[0]", "level 2 to 3")]


def test_every_problem_is_reported_at_once():
    text = edited("format: 1", "format: 3")
    text = edited("    jp: 4\n", "    jp: 0\n", text)
    text = edited("targets: {strategi: 2, krisis: 2}", "targets: {strategi: 2}", text)
    text = edited('title: {id: "Kuesioner mini", en: "Mini questionnaire"}', 'title: {id: "K"}', text)
    problems = validate(text)
    assert [p.code for p in problems] == ["unsupported_format", "missing_translation",
                                          "missing_target", "out_of_range"]
    assert [p.line for p in problems] == sorted(p.line for p in problems)
