"""Items that fit the person (issue 12, part 3): an item limited to positions is shown, required
and scored only for them; a rating item may offer "not applicable", an answer that no score counts;
``min_answered`` then decides whether the domain gets a level; a rating written ``scored: false``
("about your unit") is answered but never scored (questionnaires/README.md, "Butir pertanyaan")."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.answers import AnswersInvalid, check_answers, missing_required
from app.engine.diff import diff
from app.engine.model import NOT_APPLICABLE, UnknownPosition
from app.engine.questionnaire import dump, load, to_document, validate
from app.engine.scoring import needed_answers, score
from app.engine.training import assess, result_to_dict

from .anchored_strategies import pattern, right
from .helpers import edited, line_of, only

ANCHORED = (Path(__file__).parent / "fixtures" / "anchored.yaml").read_text(encoding="utf-8")

# strategi-evaluasi and strategi-tanda only for admin-medsos; strategi-rencana offers "not
# applicable"; krisis gains an "about your unit" rating that is never scored.
TEXT = edited("      - id: strategi-evaluasi\n        type: rating\n",
              "      - id: strategi-evaluasi\n        type: rating\n        positions: [admin-medsos]\n",
              ANCHORED)
TEXT = edited("      - id: strategi-tanda\n        type: multi\n",
              "      - id: strategi-tanda\n        type: multi\n        positions: [admin-medsos]\n", TEXT)
TEXT = edited("      - id: strategi-rencana\n        type: rating\n",
              "      - id: strategi-rencana\n        type: rating\n        not_applicable: true\n", TEXT)
UNIT_ITEM = """      - id: krisis-unit
        type: rating
        scored: false
        text: {id: "Tentang unit Anda: pemantauan isu", en: "About your unit: issue monitoring"}
        anchors:
          - {id: "Tidak ada", en: "None"}
          - {id: "Bila diminta", en: "On request"}
          - {id: "Setiap hari", en: "Daily"}
          - {id: "Terjadwal dan dievaluasi", en: "Scheduled and reviewed"}
"""
TEXT = edited("      - id: krisis-hoaks\n", UNIT_ITEM + "      - id: krisis-hoaks\n", TEXT)

RIGHT = {"strategi-kanal": "c", "strategi-tanda": ["a", "b"], "krisis-pantau": 3, "krisis-hoaks": "b",
         "krisis-tim": "b"}


@pytest.fixture(scope="module")
def q():
    return load(TEXT)


def problems_of(text: str):
    return validate(text)


# -- the format -------------------------------------------------------------------------

def test_the_keys_load_into_the_model(q):
    evaluasi, rencana, unit = q.item("strategi-evaluasi"), q.item("strategi-rencana"), q.item("krisis-unit")
    assert evaluasi.positions == ("admin-medsos",) and q.item("strategi-kanal").positions == ()
    assert evaluasi.applies_to("admin-medsos") and not evaluasi.applies_to("pimpinan")
    assert evaluasi.applies_to(None) and q.item("strategi-kanal").applies_to("pimpinan")
    assert rencana.not_applicable and rencana.accepted_values() == [1, 2, 3, 4, NOT_APPLICABLE]
    # "not applicable" and "about your unit" items are not required unless the file says so
    assert (rencana.required, evaluasi.required, unit.required) == (False, True, False)
    assert unit.unscored and not unit.scored and unit.weight == 0
    assert unit not in q.domain("krisis").scored_items and unit not in q.domain("krisis").rating_items


def test_dump_and_load_keep_the_keys(q):
    assert load(dump(q)) == q
    assert "positions:" in dump(q) and "not_applicable: true" in dump(q) and "scored: false" in dump(q)
    plain = to_document(load(ANCHORED))  # a file without the keys dumps as it always did
    keys = {key for domain in plain["domains"] for item in domain["items"] for key in item}
    assert not keys & {"positions", "not_applicable", "scored"}


def test_the_diff_names_the_new_keys(q):
    changes = {(c.key, c.field) for c in diff(load(ANCHORED), q)}
    assert {("strategi-evaluasi", "positions"), ("strategi-rencana", "not_applicable"),
            ("strategi-rencana", "required")} <= changes


def test_an_unknown_position_id_is_located():
    text = edited("positions: [admin-medsos]\n", "positions: [admin-medsos, kepala-dinas]\n", TEXT)
    problem = only(problems_of(text), "unknown_position")
    assert problem.path == "domains[0].items[1].positions[1]"
    assert problem.line == line_of(text, "kepala-dinas")
    assert "kepala-dinas" in problem.message("id") and "admin-medsos, pimpinan" in problem.message("en")
    assert problem.message("id").startswith("Jabatan 'kepala-dinas' tidak ada")


def test_an_empty_position_list_is_refused():
    text = edited("positions: [admin-medsos]\n", "positions: []\n", TEXT)
    assert only(problems_of(text), "list_too_short").path == "domains[0].items[1].positions"


@pytest.mark.parametrize("item", ["strategi-kanal", "strategi-tanda", "strategi-komentar"])
def test_not_applicable_is_only_for_rating_items(item):
    kind = {"strategi-kanal": "choice", "strategi-tanda": "multi", "strategi-komentar": "text"}[item]
    text = edited(f"      - id: {item}\n        type: {kind}\n",
                  f"      - id: {item}\n        type: {kind}\n        not_applicable: true\n", ANCHORED)
    problem = only(problems_of(text), "key_not_allowed")
    assert problem.path.endswith(".not_applicable")
    assert f"type {kind}" in problem.message("en")


def test_not_applicable_must_be_true_or_false():
    text = edited("not_applicable: true", "not_applicable: yes", TEXT)
    assert only(problems_of(text), "wrong_type").path == "domains[0].items[0].not_applicable"


def test_an_unscored_rating_takes_no_weight_and_is_not_a_self_rating():
    text = edited("        scored: false\n", "        scored: false\n        weight: 2\n", TEXT)
    problem = only(problems_of(text), "key_not_allowed")
    assert problem.path == "domains[1].items[1].weight"
    alone = edited("      - id: krisis-pantau\n        type: rating\n",
                   "      - id: krisis-pantau\n        type: rating\n        scored: false\n", TEXT)
    assert only(problems_of(alone), "no_rating_items").path == "domains[1].items"


def test_every_position_keeps_a_self_rating_and_a_scenario_in_every_domain():
    text = edited("      - id: strategi-rencana\n        type: rating\n",
                  "      - id: strategi-rencana\n        type: rating\n        positions: [admin-medsos]\n", TEXT)
    problem = only(problems_of(text), "no_items_for_position")
    assert problem.path == "domains[0].items"
    assert "'pimpinan'" in problem.message("en") and "scored rating item" in problem.message("en")
    assert "butir rating berskor" in problem.message("id")
    scenarios = edited("      - id: strategi-kanal\n        type: choice\n",
                       "      - id: strategi-kanal\n        type: choice\n        positions: [admin-medsos]\n", TEXT)
    assert "scenario item" in only(problems_of(scenarios), "no_items_for_position").message("en")
    assert problems_of(TEXT) == []


# -- answers ----------------------------------------------------------------------------

def test_not_applicable_is_an_answer_only_where_offered(q):
    assert check_answers(q, {"strategi-rencana": "na"}) == {"strategi-rencana": NOT_APPLICABLE}
    with pytest.raises(AnswersInvalid) as refused:
        check_answers(q, {"strategi-evaluasi": "na", "strategi-kanal": "na"})
    assert refused.value.errors["strategi-evaluasi"].code == "not_rating"
    assert refused.value.errors["strategi-kanal"].code == "unknown_option"


def test_items_of_other_positions_are_never_missing(q):
    assert missing_required(q, {}) == ("strategi-evaluasi", "strategi-kanal", "strategi-tanda",
                                       "krisis-pantau", "krisis-hoaks")
    assert missing_required(q, {}, position_id="admin-medsos") == missing_required(q, {})
    assert missing_required(q, {}, position_id="pimpinan") == ("strategi-kanal", "krisis-pantau",
                                                               "krisis-hoaks")
    # the "not applicable" item is not required; answering it "na" is an answer all the same
    assert "strategi-rencana" not in missing_required(q, {})


# -- scoring ----------------------------------------------------------------------------

def test_an_item_of_another_position_leaves_the_score(q):
    answers = {**RIGHT, "strategi-rencana": 2, "strategi-evaluasi": 4}
    admin = score(q, answers, "admin-medsos").domain("strategi")
    head = score(q, answers, "pimpinan").domain("strategi")
    assert (admin.scored_items, head.scored_items) == (4, 2)
    assert admin.self_rating == (2 * 2 + 4) / 3 and head.self_rating == 2
    assert head == score(q, {k: v for k, v in answers.items()
                             if k not in ("strategi-evaluasi", "strategi-tanda")}, "pimpinan").domain("strategi")
    assert score(q, answers).domain("strategi") == admin  # no position: every item counts
    with pytest.raises(UnknownPosition):
        score(q, answers, "bupati")


def test_not_applicable_leaves_the_self_rating_and_the_score(q):
    answered = score(q, {**RIGHT, "strategi-rencana": "na", "strategi-evaluasi": 3}, "admin-medsos")
    without = score(q, {**RIGHT, "strategi-evaluasi": 3}, "admin-medsos")
    assert answered == without
    strategi = answered.domain("strategi")
    assert (strategi.self_rating, strategi.level, strategi.answered, strategi.scored_items) == (3, 3, 3, 4)


def test_an_unscored_rating_changes_nothing(q):
    base = {**RIGHT, "strategi-rencana": 3, "strategi-evaluasi": 3}
    assert score(q, {**base, "krisis-unit": 1}) == score(q, {**base, "krisis-unit": 4}) == score(q, base)


def test_min_answered_decides_when_answers_are_not_applicable():
    q = load(edited("min_answered: 0.5", "min_answered: 0.75", TEXT))
    answers = {"strategi-rencana": "na", "strategi-evaluasi": 3, "strategi-kanal": "c"}
    strategi = score(q, answers, "admin-medsos").domain("strategi")
    assert (strategi.insufficient, strategi.level, strategi.answered, strategi.scored_items) == (True, None, 2, 4)
    assert needed_answers(q, q.domain("strategi"), "admin-medsos") == 3
    assert needed_answers(q, q.domain("strategi"), "pimpinan") == 2
    view = result_to_dict(q, assess(q, answers, "admin-medsos"), "en")
    reasons = next(d for d in view["domains"] if d["id"] == "strategi")["reasons"]
    assert reasons == [{"kind": "insufficient", "item_id": None, "text":
                        "Too few answers: 2 of 4 items answered, at least 3 needed. This domain gets no level yet."}]
    rated = score(q, {**answers, "strategi-rencana": 3}, "admin-medsos").domain("strategi")
    assert (rated.insufficient, rated.level) == (False, 3)
    # for the head of unit only strategi-rencana and strategi-kanal count: 1 of 2 scored answers
    head = result_to_dict(q, assess(q, answers, "pimpinan"), "en")
    assert next(d for d in head["domains"] if d["id"] == "strategi")["reasons"][0]["text"].startswith(
        "Too few answers: 1 of 2 items answered, at least 2 needed.")


# -- the shipped questionnaire ----------------------------------------------------------

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "tata-kelola-media-sosial.yaml"
ACCOUNT_ITEMS = {"strategi-identitas", "strategi-kalender", "keamanan-praktik", "keamanan-dibajak",
                 "analitik-data"}


@pytest.fixture(scope="module")
def shipped():
    return load(SHIPPED.read_text(encoding="utf-8"))


def test_shipped_items_that_assume_running_an_account_are_for_the_account_positions(shipped):
    limited = {i.id: i.positions for i in shipped.items if i.positions}
    assert limited == {item: ("admin-medsos", "pranata-humas") for item in ACCOUNT_ITEMS}
    assert {i.id for i in shipped.items if i.not_applicable} == {
        "konten-bahasa", "respons-waktu", "respons-nada", "analitik-evaluasi"}
    assert {i.id for i in shipped.items if i.unscored} == {
        "strategi-unit", "krisis-unit", "keamanan-unit", "analitik-unit"}
    assert all(i.text.en.startswith("About your unit (not scored)") for i in shipped.items if i.unscored)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_shipped_every_position_gets_level_k_from_anchor_k_and_right_scenarios(shipped, k):
    for position in shipped.positions:
        levels = {d.domain_id: d.level for d in score(shipped, pattern(shipped, k, right), position.id).domains}
        assert levels == {d.id: k for d in shipped.domains}, position.id


def test_shipped_frontline_officer_without_citizen_messages_gets_no_level_in_respons(shipped):
    answers = {**pattern(shipped, 3, right), "respons-waktu": "na", "respons-nada": "na"}
    respons = score(shipped, answers, "petugas-layanan").domain("respons")
    assert (respons.level, respons.insufficient, respons.self_rating) == (None, True, None)
    # the two ratings offer "not applicable", so only the scenarios are required
    assert missing_required(shipped, {}, domain_id="respons", position_id="petugas-layanan") == (
        "respons-ktp-el", "respons-ppid", "respons-lapor", "respons-tindak-lanjut")
    # the unit blocks never count: any answer to them leaves every level as it was
    unit = {i.id: 1 for i in shipped.items if i.unscored}
    assert score(shipped, {**answers, **unit}, "petugas-layanan") == score(shipped, answers, "petugas-layanan")
