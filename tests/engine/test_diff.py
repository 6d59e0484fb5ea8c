"""diff: what changed between two versions of a questionnaire, matched by id, in words."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.engine.diff import AREAS, KINDS, Change, describe, diff
from app.engine.questionnaire import load

from .helpers import MINI_TEXT, variant

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "tata-kelola-media-sosial.yaml"


def _text(label: str) -> dict:
    return {"id": f"{label} (id)", "en": f"{label} (en)"}


def _seven_changes(doc: dict) -> None:
    strategi, krisis = doc["domains"]
    strategi["items"] = [i for i in strategi["items"] if i["id"] != "strategi-komentar"]
    strategi["items"].append(krisis["items"].pop(2))  # krisis-tim moves to strategi
    krisis["items"].append({"id": "krisis-baru", "type": "rating", "text": _text("Baru"),
                            "anchors": [_text("low"), _text("high")]})
    krisis["items"][1]["options"][2]["score"] = 2  # krisis-hoaks, option c
    doc["scoring"]["thresholds"][1] = 65
    doc["positions"][1]["targets"]["krisis"] = 3
    doc["modules"][1]["jp"] = 10


@pytest.fixture(scope="module")
def seven() -> tuple:
    old, new = load(MINI_TEXT), variant(_seven_changes)
    return old, new, diff(old, new)


def test_nothing_changed_means_no_change(mini):
    assert diff(mini, mini) == []
    assert diff(mini, variant(lambda doc: None)) == []  # defaults written out: still the same


def test_the_diff_lists_exactly_the_changes_made_in_questionnaire_order(seven):
    old, new, changes = seven
    assert changes == [
        Change("changed", "scoring", "", "thresholds", (40, 60, 80), (40, 65, 80)),
        Change("removed", "item", "strategi-komentar", None, old.item("strategi-komentar"),
               None),
        Change("changed", "item", "krisis-tim", "domain", "krisis", "strategi"),
        Change("changed", "option", "krisis-hoaks/c", "score", 1, 2),
        Change("added", "item", "krisis-baru", None, None, new.item("krisis-baru")),
        Change("changed", "target", "pimpinan/krisis", "target", 2, 3),
        Change("changed", "module", "m-strategi-2", "jp", 8, 10),
    ]


def test_the_changes_read_as_plain_sentences_in_both_languages(seven):
    _, _, changes = seven
    assert [describe(c, "id") for c in changes] == [
        "Ambang skor aturan penskoran diubah dari 40, 60, 80 menjadi 40, 65, 80.",
        "Butir 'strategi-komentar' (“Komentar”) dihapus dari domain 'strategi'.",
        "Butir 'krisis-tim' dipindahkan dari domain 'krisis' ke domain 'strategi'.",
        "Skor pilihan 'c' pada butir 'krisis-hoaks' diubah dari 1 menjadi 2.",
        "Butir 'krisis-baru' (“Baru (id)”) ditambahkan ke domain 'krisis'.",
        "Target tingkat jabatan 'pimpinan' untuk domain 'krisis' diubah dari 2 menjadi 3.",
        "Jumlah JP modul 'm-strategi-2' diubah dari 8 menjadi 10.",
    ]
    assert [describe(c, "en") for c in changes] == [
        "The score thresholds of the scoring rules changed from 40, 60, 80 to 40, 65, 80.",
        "Item 'strategi-komentar' (“Comment”) was removed from domain 'strategi'.",
        "Item 'krisis-tim' moved from domain 'krisis' to domain 'strategi'.",
        "The score of option 'c' of item 'krisis-hoaks' changed from 1 to 2.",
        "Item 'krisis-baru' (“Baru (en)”) was added to domain 'krisis'.",
        "The target level of position 'pimpinan' for domain 'krisis' changed from 2 to 3.",
        "The lesson hours (JP) of module 'm-strategi-2' changed from 8 to 10.",
    ]
    assert describe(changes[0]) == describe(changes[0], "id")


def test_the_reverse_diff_mirrors_it(seven):
    old, new, changes = seven
    back = diff(new, old)
    assert {(c.kind, c.key, c.field) for c in back} == {
        ({"added": "removed", "removed": "added"}.get(c.kind, c.kind), c.key, c.field)
        for c in changes}


def test_changes_are_frozen_and_use_known_kinds_and_areas(seven):
    _, _, changes = seven
    with pytest.raises(dataclasses.FrozenInstanceError):
        changes[0].kind = "added"
    assert {c.kind for c in changes} <= set(KINDS) and {c.area for c in changes} <= set(AREAS)


def test_things_are_matched_by_id_not_by_position(mini):
    def reorder(doc):
        doc["domains"].reverse()
        options = doc["domains"][0]["items"][1]["options"]  # krisis-hoaks, now first
        options[0], options[1] = options[1], options[0]
    assert diff(mini, variant(reorder)) == [
        Change("changed", "metadata", "", "domain_order", ("strategi", "krisis"),
               ("krisis", "strategi")),
        Change("changed", "item", "krisis-hoaks", "option_order", ("a", "b", "c"),
               ("b", "a", "c")),
    ]


def test_texts_are_compared_per_language(mini):
    def retitle(doc):
        doc["domains"][1]["items"][0]["text"]["en"] = "I watch issues."
        doc["title"]["id"] = "Kuesioner kecil"
    changes = diff(mini, variant(retitle))
    assert changes == [
        Change("changed", "metadata", "", "title.id", "Kuesioner mini", "Kuesioner kecil"),
        Change("changed", "item", "krisis-pantau", "text.en", "I monitor issues.",
               "I watch issues."),
    ]
    assert describe(changes[1], "id") == (
        "Teks (bahasa Inggris) butir 'krisis-pantau' diubah dari “I monitor issues.” menjadi "
        "“I watch issues.”.")
    assert describe(changes[1], "en") == (
        "The text (English) of item 'krisis-pantau' changed from “I monitor issues.” to "
        "“I watch issues.”.")


def test_a_new_domain_brings_its_items_and_targets(mini):
    def add_domain(doc):
        doc["domains"].append({
            "id": "etika", "name": _text("Etika"), "description": _text("About"),
            "levels": [{"descriptor": _text(f"l{k}"), "example": _text(f"e{k}")}
                       for k in range(4)],
            "items": [{"id": "etika-1", "type": "rating", "text": _text("Q"),
                       "anchors": [_text("no"), _text("yes")]}]})
        for position in doc["positions"]:
            position["targets"]["etika"] = 1
    new = variant(add_domain)
    assert diff(mini, new) == [
        Change("added", "domain", "etika", None, None, new.domain("etika")),
        Change("added", "item", "etika-1", None, None, new.item("etika-1")),
        Change("added", "target", "admin-medsos/etika", "target", None, 1),
        Change("added", "target", "pimpinan/etika", "target", None, 1),
    ]
    assert describe(diff(mini, new)[0], "en") == "Domain 'etika' (“Etika (en)”) was added."
    assert describe(diff(new, mini)[0], "id") == "Domain 'etika' (“Etika (id)”) dihapus."
    assert describe(diff(mini, new)[2], "id") == (
        "Target tingkat jabatan 'admin-medsos' untuk domain 'etika' ditambahkan: 1.")


def test_every_other_field_is_compared(mini):
    def many(doc):
        doc["scale"][3]["name"]["en"] = "Master"
        doc["scoring"]["min_answered"] = 0.6
        doc["scoring"]["caps"][0]["max_level"] = 1
        strategi, krisis = doc["domains"]
        strategi["levels"][1]["example"]["en"] = "Plans a month"
        strategi["items"][0]["required"] = False
        krisis["items"][2]["weight"] = 0.75
        krisis["items"][2]["anchors"].append(_text("often"))
        krisis["items"][1]["type"] = "multi"
        strategi["items"][3]["max_length"] = 300
        doc["positions"][0]["importance"] = {"krisis": 3}
        doc["positions"][1]["importance"] = {"krisis": 1}  # the default: no change
        doc["positions"][1]["name"]["id"] = "Kepala unit"
        doc["modules"][4].update(mode="coaching", provider="BPSDM", from_level=2)
    new = variant(many)
    changes = diff(mini, new)
    assert [(c.kind, c.area, c.key, c.field, c.old, c.new) for c in changes if c.field not in (
        "anchors",)] == [
        ("changed", "scale", "4", "name.en", "Expert", "Master"),
        ("changed", "scoring", "", "min_answered", 0.5, 0.6),
        ("changed", "cap", "krisis-hoaks", "max_level", 2, 1),
        ("changed", "domain", "strategi", "levels.1.example.en", "Example S2", "Plans a month"),
        ("changed", "item", "strategi-rencana", "required", True, False),
        ("changed", "item", "strategi-komentar", "max_length", 200, 300),
        ("changed", "item", "krisis-hoaks", "type", "choice", "multi"),
        ("changed", "item", "krisis-tim", "weight", 0.5, 0.75),
        ("changed", "target", "admin-medsos/krisis", "importance", 2, 3),
        ("changed", "position", "pimpinan", "name.id", "Pimpinan", "Kepala unit"),
        ("changed", "module", "m-krisis-mentor", "from_level", 3, 2),
        ("changed", "module", "m-krisis-mentor", "mode", "mentoring", "coaching"),
        ("changed", "module", "m-krisis-mentor", "provider", "Diskominfo", "BPSDM"),
    ]
    anchors = next(c for c in changes if c.field == "anchors")
    assert (anchors.key, len(anchors.old), len(anchors.new)) == ("krisis-tim", 2, 3)
    said = {c.field: (describe(c, "id"), describe(c, "en")) for c in changes}
    assert said["anchors"] == ("Jumlah jangkar butir 'krisis-tim' diubah dari 2 menjadi 3.",
                               "The number of anchors of item 'krisis-tim' changed from 2 to 3.")
    assert said["weight"] == ("Bobot butir 'krisis-tim' diubah dari 0,5 menjadi 0,75.",
                              "The weight of item 'krisis-tim' changed from 0.5 to 0.75.")
    assert said["required"] == (
        "Status wajib dijawab butir 'strategi-rencana' diubah dari ya menjadi tidak.",
        "The required status of item 'strategi-rencana' changed from yes to no.")
    assert said["levels.1.example.en"][1] == (
        "The example of level 2 (English) of domain 'strategi' changed from “Example S2” to "
        "“Plans a month”.")


def test_an_anchor_text_change_names_the_anchor(mini):
    changes = diff(mini, variant(
        lambda doc: doc["domains"][0]["items"][0]["anchors"][1].update(id="Jarang")))
    assert changes == [Change("changed", "item", "strategi-rencana", "anchors.1.id", "Kadang",
                              "Jarang")]
    assert describe(changes[0], "id") == (
        "Jangkar 2 (bahasa Indonesia) butir 'strategi-rencana' diubah dari “Kadang” menjadi "
        "“Jarang”.")


def test_every_change_between_the_mini_and_the_shipped_questionnaire_reads_well(mini):
    changes = diff(mini, load(SHIPPED.read_text(encoding="utf-8")))
    assert len(changes) > 30
    assert {c.area for c in changes} >= {"metadata", "scale", "scoring", "domain", "item", "cap",
                                         "position", "module"}
    for change in changes:
        for lang in ("id", "en"):
            sentence = describe(change, lang)
            assert sentence.endswith(".") and "{" not in sentence and "\n" not in sentence
            assert sentence[0].isupper()
        assert describe(change, "id") != describe(change, "en") or change.area == "domain"


def test_a_mode_price_and_a_curriculum_change_are_listed():
    """The trainer's change list covers the training catalogue's prices and curricula too."""
    from app.engine.diff import describe, diff
    from app.engine.questionnaire import load
    from tests.factories import FULL

    source = FULL.read_text(encoding="utf-8")
    before = load(source)
    after = load(source.replace("cost: 45000000", "cost: 50000000", 1)
                 .replace('curriculum: "Kurikulum pelatihan BPSDM Provinsi (contoh)"', 'curriculum: "Kurikulum X"', 1))
    said = [describe(change, "id") for change in diff(before, after)]
    assert "Biaya moda 'classroom' diubah dari 45000000 menjadi 50000000." in said
    assert any(line.startswith("Standar kurikulum modul") and "Kurikulum X" in line for line in said)
