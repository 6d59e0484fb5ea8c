"""The training catalogue's price of each mode (``modes``) and a module's ``curriculum``: parsing,
every validation problem (naming the mode and the key, in both languages, at its line), dumping, and
files written before either existed."""
from pathlib import Path

import pytest

from app.engine.budget import CLASSICAL, NON_CLASSICAL, PER_CLASS, PER_PARTICIPANT, ModeSpec
from app.engine.editing import document_to_yaml, plain_document
from app.engine.format1 import MAX_CLASS_SIZE, MAX_MODE_COST
from app.engine.model import MODES
from app.engine.questionnaire import dump, load, to_document, validate

from .helpers import FIXTURES, MINI_TEXT, edited, line_of, only

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "tata-kelola-media-sosial.yaml"

CATALOGUE = """modes:
  e-learning: {route: non-classical, cost_per: participant, cost: 250000}
  classroom: {route: classical, cost_per: class, cost: 45000000, class_size: 30}
  coaching:
    route: non-classical
    cost_per: participant
    cost: 1200000
    class_size: 5
modules:
"""


def with_modes(block: str, text: str = MINI_TEXT) -> str:
    """The mini questionnaire with ``block`` (a ``modes:`` section or a part of it) before its modules."""
    return edited("modules:\n", block if block.endswith("modules:\n") else block + "modules:\n", text)


def one_mode(body: str) -> str:
    return with_modes(f"modes:\n  classroom: {body}\n")


# -- parsing -----------------------------------------------------------------------------

def test_modes_are_read_in_file_order():
    q = load(with_modes(CATALOGUE))
    assert q.modes == (
        ModeSpec("e-learning", NON_CLASSICAL, PER_PARTICIPANT, 250_000, None),
        ModeSpec("classroom", CLASSICAL, PER_CLASS, 45_000_000, 30),
        ModeSpec("coaching", NON_CLASSICAL, PER_PARTICIPANT, 1_200_000, 5),  # per participant, in classes
    )
    assert hash(q) == hash(load(with_modes(CATALOGUE)))


def test_a_free_mode_and_an_empty_catalogue():
    free = load(one_mode("{route: non-classical, cost_per: participant, cost: 0}"))
    assert free.modes == (ModeSpec("classroom", NON_CLASSICAL, PER_PARTICIPANT, 0, None),)
    assert load(with_modes("modes: {}\n")).modes == ()


def test_the_bounds_themselves_are_accepted():
    q = load(one_mode(f"{{route: classical, cost_per: class, cost: {MAX_MODE_COST}, "
                      f"class_size: {MAX_CLASS_SIZE}}}"))
    assert (q.modes[0].amount, q.modes[0].class_size) == (MAX_MODE_COST, MAX_CLASS_SIZE)
    assert load(one_mode("{route: classical, cost_per: class, cost: 1, class_size: 1}")).modes[0].class_size == 1


def test_a_module_names_its_curriculum():
    text = edited('    provider: "BPSDM"\n',
                  '    provider: "BPSDM"\n    curriculum: "Kurikulum pelatihan BPSDM (contoh)"\n')
    q = load(text)
    assert q.modules[0].curriculum == "Kurikulum pelatihan BPSDM (contoh)"
    assert [m.curriculum for m in q.modules[1:]] == [""] * (len(q.modules) - 1)


def test_modes_and_curriculum_dump_and_load_back():
    text = edited('    provider: "BPSDM"\n', '    provider: "BPSDM"\n    curriculum: "Kurikulum X"\n',
                  with_modes(CATALOGUE))
    q = load(text)
    doc = to_document(q)
    assert list(doc)[-2:] == ["modes", "modules"]
    assert doc["modes"]["classroom"] == {"route": "classical", "cost_per": "class", "cost": 45000000,
                                         "class_size": 30}
    assert "class_size" not in doc["modes"]["e-learning"]
    assert doc["modules"][0]["curriculum"] == "Kurikulum X" and "curriculum" not in doc["modules"][1]
    assert load(dump(q)) == q


# -- files written before modes and curriculum --------------------------------------------

@pytest.mark.parametrize("name", ["mini.yaml", "anchored.yaml"])
def test_older_files_load_without_modes_or_curricula(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert "modes:" not in text and "curriculum" not in text
    for q in (load(text), load(text, stored=True)):
        assert q.modes == ()
        assert {m.curriculum for m in q.modules} == {""}
    doc = to_document(load(text))  # and they dump exactly as they did
    assert "modes" not in doc and not any("curriculum" in m for m in doc["modules"])
    assert list(doc) == ["format", "id", "title", "description", "scale", "scoring", "domains",
                         "positions", "modules"]


# -- problems ------------------------------------------------------------------------------

def check(text: str, code: str, path: str, needle: str):
    problem = only(validate(text), code)
    assert (problem.path, problem.line) == (path, line_of(text, needle))
    return problem


def test_unknown_mode():
    text = with_modes("modes:\n  workshop: {route: classical, cost_per: participant, cost: 5}\n")
    problem = check(text, "unknown_mode", "modes.workshop", "workshop:")
    assert problem.message_en == ("The mode 'workshop' is not known. Under modes write only the known "
                                  "training modes: " + ", ".join(MODES) + ".")
    assert problem.message_id.startswith("Moda 'workshop' tidak dikenal.")
    assert problem.column == 3
    assert len(validate(text)) == 1


@pytest.mark.parametrize("value", ["klasikal", "Classical", "[classical]", '""'])
def test_a_route_is_classical_or_non_classical(value):
    text = one_mode(f"{{route: {value}, cost_per: participant, cost: 5}}")
    problem = check(text, "mode_route", "modes.classroom.route", "classroom:")
    assert "'classroom'" in problem.message_en and "route" in problem.message_en
    assert "classical (training in a class) or non-classical" in problem.message_en
    assert "Peraturan LAN No. 10 Tahun 2018" in problem.message_en
    assert problem.message_id.startswith("Jalur (route) moda 'classroom' tertulis ")
    assert "nonklasikal: coaching, mentoring, e-learning, pengembangan diri" in problem.message_id


def test_a_cost_basis_is_per_participant_or_per_class():
    text = one_mode("{route: classical, cost_per: peserta, cost: 5}")
    problem = check(text, "mode_cost_per", "modes.classroom.cost_per", "classroom:")
    assert problem.message_en == ("The cost basis (cost_per) of the mode 'classroom' is 'peserta'. Write "
                                  "participant (a cost per participant) or class (a cost per class).")
    assert problem.message_id == ("Dasar biaya (cost_per) moda 'classroom' tertulis 'peserta'. Tulis "
                                  "participant (biaya per peserta) atau class (biaya per kelas).")


@pytest.mark.parametrize("value", ["-1", "45.000.000", "45000000.0", "1e6", '"45000000"', "045", "+5",
                                   "Rp45000000", "null", str(MAX_MODE_COST + 1), "9" * 60, "true"])
def test_a_cost_is_a_whole_number_of_rupiah(value):
    text = one_mode(f"{{route: non-classical, cost_per: participant, cost: {value}}}")
    problem = check(text, "mode_cost", "modes.classroom.cost", "classroom:")
    assert problem.message_en.startswith("The cost of the mode 'classroom' is ")
    assert f"a whole number from 0 to {MAX_MODE_COST}" in problem.message_en
    assert problem.message_id.startswith("Biaya (cost) moda 'classroom' tertulis ")
    assert len(validate(text)) == 1


def test_the_cost_message_quotes_what_is_written():
    problem = only(validate(one_mode("{route: classical, cost_per: participant, cost: 45.000.000}")), "mode_cost")
    assert "is '45.000.000', but it must be rupiah" in problem.message_en
    assert "tanpa titik pemisah ribuan" in problem.message_id


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "thirty", str(MAX_CLASS_SIZE + 1), '"30"'])
def test_a_class_size_is_a_whole_number_of_at_least_one(value):
    text = one_mode(f"{{route: classical, cost_per: class, cost: 5, class_size: {value}}}")
    problem = check(text, "mode_class_size", "modes.classroom.class_size", "classroom:")
    assert problem.message_en.startswith("The class size (class_size) of the mode 'classroom' is ")
    assert f"a whole number from 1 to {MAX_CLASS_SIZE}" in problem.message_en
    assert problem.message_id.startswith("Ukuran kelas (class_size) moda 'classroom' tertulis ")
    assert len(validate(text)) == 1  # not "missing" as well: it is written, only wrong


def test_a_cost_per_class_needs_a_class_size():
    text = with_modes("modes:\n  coaching:\n    route: non-classical\n    cost_per: class\n    cost: 6000000\n")
    problem = check(text, "mode_class_size_missing", "modes.coaching.class_size", "coaching:")
    assert problem.message_en == (
        "The mode 'coaching' is costed per class (cost_per: class) but has no class_size. Add class_size "
        "(participants per class, e.g. 30), or write cost_per: participant.")
    assert problem.message_id.startswith("Moda 'coaching' dibiayai per kelas (cost_per: class) tetapi belum "
                                         "punya class_size.")


def test_an_unknown_key_of_a_mode():
    text = with_modes("modes:\n  mentoring:\n    route: non-classical\n    cost_per: participant\n"
                      "    cost: 1500000\n    price: 5\n")
    problem = check(text, "mode_unknown_key", "modes.mentoring.price", "price: 5")
    assert problem.message_en == ("The key 'price' is not known for the mode 'mentoring'. Remove it or correct "
                                  "its spelling; allowed keys: route, cost_per, cost, class_size.")
    assert problem.message_id.startswith("Kunci 'price' tidak dikenal untuk moda 'mentoring'.")
    assert problem.column == 5


@pytest.mark.parametrize("key", ["route", "cost_per", "cost"])
def test_a_required_key_of_a_mode(key):
    keys = {"route": "classical", "cost_per": "participant", "cost": "5"}
    del keys[key]
    text = one_mode("{" + ", ".join(f"{k}: {v}" for k, v in keys.items()) + "}")
    problem = check(text, "mode_missing_key", f"modes.classroom.{key}", "classroom:")
    assert problem.message_en == (f"The mode 'classroom' has no '{key}'. Add '{key}' (route, cost_per and "
                                  "cost are required).")
    assert problem.message_id.startswith(f"Moda 'classroom' belum punya '{key}'.")


def test_every_problem_of_a_catalogue_at_once():
    text = with_modes("modes:\n  classroom: {route: x, cost_per: y, cost: z, class_size: 0, extra: 1}\n"
                      "  seminar: {}\n  coaching: {route: classical, cost_per: class, cost: 1}\n")
    assert sorted(p.code for p in validate(text)) == sorted([
        "mode_route", "mode_cost_per", "mode_cost", "mode_class_size", "mode_unknown_key", "unknown_mode",
        "mode_class_size_missing"])


@pytest.mark.parametrize("block, code, path", [
    ("modes:\n", "empty_value", "modes"),
    ("modes: [classroom]\n", "wrong_type", "modes"),
    ("modes:\n  classroom:\n", "empty_value", "modes.classroom"),
    ("modes:\n  classroom: 45000000\n", "wrong_type", "modes.classroom"),
    ("modes:\n  classroom: {route: classical, cost_per: participant, cost: 1}\n"
     "  classroom: {route: classical, cost_per: participant, cost: 2}\n", "duplicate_key", "modes.classroom"),
    ("modes:\n  classroom: {route: classical, cost_per: participant, cost: 1, cost: 2}\n", "duplicate_key",
     "modes.classroom.cost"),
])
def test_the_shape_of_the_catalogue(block, code, path):
    problem = only(validate(with_modes(block)), code)
    assert problem.path == path


def test_the_safe_loading_rules_hold_in_the_catalogue():
    alias = with_modes("modes:\n  classroom: &price {route: classical, cost_per: participant, cost: 1}\n"
                       "  coaching: *price\n")
    assert {p.code for p in validate(alias)} == {"yaml_alias"}
    tag = one_mode('{route: classical, cost_per: participant, cost: !!int "5"}')
    assert {p.code for p in validate(tag)} == {"yaml_tag"}


def test_the_top_level_names_modes_among_its_keys():
    problem = only(validate(edited("modules:\n", "mode: {}\nmodules:\n")), "unknown_key")
    assert problem.message_en.endswith("positions, modes, modules.")


@pytest.mark.parametrize("value, code", [('""', "empty_value"), ("[a, b]", "wrong_type"),
                                         ("{id: a, en: b}", "wrong_type")])
def test_a_curriculum_is_text(value, code):
    text = edited('    provider: "BPSDM"\n', f'    provider: "BPSDM"\n    curriculum: {value}\n')
    problem = only(validate(text), code)
    assert (problem.path, problem.line) == ("modules[0].curriculum", line_of(text, "curriculum:"))


# -- the shipped questionnaire and the editors ------------------------------------------------

def test_the_shipped_catalogue_prices_every_mode_as_an_example():
    text = SHIPPED.read_text(encoding="utf-8")
    q = load(text)
    assert {s.mode for s in q.modes} == set(MODES)
    routes = {s.mode: s.route for s in q.modes}
    assert routes.pop("classroom") == CLASSICAL and set(routes.values()) == {NON_CLASSICAL}
    assert all(s.has_classes == (s.cost_per == PER_CLASS) for s in q.modes)
    assert all(m.curriculum.endswith("(contoh)") for m in q.modules)
    start = text.index("\nmodes:\n")
    comment = text[text.rindex("\n\n", 0, start):start]
    assert "CONTOH" in comment and "bukan angka resmi" in comment and "SSH" in comment


@pytest.mark.parametrize("text", [with_modes(CATALOGUE), SHIPPED.read_text(encoding="utf-8")],
                         ids=["mini", "shipped"])
def test_a_file_with_modes_round_trips_through_the_editor(text):
    doc = plain_document(text)
    again = document_to_yaml(doc)
    assert plain_document(again) == doc
    assert load(again) == load(text)
