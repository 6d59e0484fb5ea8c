"""The loaded model: helpers, immutability, document round trip, problems' text forms."""
import dataclasses

import pytest

from app.engine.questionnaire import (FrozenMap, Problem, Text, UnknownDomain, UnknownItem,
                                      UnknownModule, UnknownPosition, dump, load, to_document)


def test_metadata_and_defaults(mini):
    assert (mini.format, mini.id, mini.title.get(), mini.title.get("en")) == (
        1, "mini", "Kuesioner mini", "Mini questionnaire")
    assert mini.top_level == 4
    assert mini.scoring.thresholds == (40, 60, 80)
    assert mini.scoring.caps[0].reason == Text("Salah menangani hoaks.", "Mishandled a hoax.")
    item = mini.item("strategi-kanal")
    assert (item.weight, item.required, item.scored) == (1, True, True)
    text_item = mini.item("strategi-komentar")
    assert (text_item.required, text_item.scored, text_item.max_length) == (False, False, 200)
    assert mini.item("krisis-tim").required is False
    assert mini.item("krisis-tim").weight == 0.5


def test_defaults_when_optional_keys_are_left_out(mini_text):
    text = mini_text.replace("  combine: weighted_mean\n", "").replace("  min_answered: 0.5\n", "")
    text = text.replace("      below: 0.5\n", "").replace("        max_length: 200\n", "")
    q = load(text)
    assert (q.scoring.combine, q.scoring.min_answered, q.scoring.caps[0].below) == (
        "weighted_mean", 0.5, 0.5)
    assert q.item("strategi-komentar").max_length == 2000


def test_lookups(mini):
    assert [i.id for i in mini.items][:3] == ["strategi-rencana", "strategi-kanal", "strategi-tanda"]
    assert mini.domain("krisis").items[0].id == "krisis-pantau"
    assert mini.item("krisis-hoaks").domain_id == "krisis"
    assert mini.position("pimpinan").targets == {"strategi": 2, "krisis": 2}
    assert mini.position("admin-medsos").importance_of("krisis") == 2
    assert mini.position("admin-medsos").importance_of("strategi") == 1
    assert mini.module("m-krisis-mentor").provider == "Diskominfo"
    assert mini.level_name(3) == "Mahir" and mini.level_name(3, "en") == "Advanced"
    assert [c.item_id for c in mini.caps_for("krisis")] == ["krisis-hoaks"]
    assert mini.caps_for("strategi") == ()


@pytest.mark.parametrize("method, error", [("item", UnknownItem), ("domain", UnknownDomain),
                                           ("position", UnknownPosition), ("module", UnknownModule)])
def test_unknown_ids_raise_a_key_error(mini, method, error):
    with pytest.raises(error) as caught:
        getattr(mini, method)("nope")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == f"unknown {method}: 'nope'"


def test_accepted_values(mini):
    assert mini.item("strategi-rencana").accepted_values() == [1, 2, 3, 4]
    assert mini.item("strategi-kanal").accepted_values() == ["a", "b", "c"]
    assert mini.item("strategi-tanda").accepted_values() == ["a", "b", "c", "d"]
    assert mini.item("strategi-komentar").accepted_values() == 200


def test_text_get_defaults_to_indonesian():
    text = Text("Halo", "Hello")
    assert (text.get(), text.get("id"), text.get("en"), text.get("fr"), str(text)) == (
        "Halo", "Halo", "Hello", "Halo", "Halo")


def test_model_is_frozen_and_hashable(mini):
    with pytest.raises(dataclasses.FrozenInstanceError):
        mini.id = "other"
    with pytest.raises(TypeError):
        mini.position("pimpinan").targets["krisis"] = 4
    assert hash(mini) == hash(load(dump(mini)))
    assert FrozenMap({"a": 1, "b": 2}) == FrozenMap([("b", 2), ("a", 1)])
    assert hash(FrozenMap({"a": 1, "b": 2})) == hash(FrozenMap([("b", 2), ("a", 1)]))


def test_targets_follow_domain_order(mini_text):
    q = load(mini_text.replace("targets: {strategi: 3, krisis: 4}", "targets: {krisis: 4, strategi: 3}"))
    assert list(q.position("admin-medsos").targets) == ["strategi", "krisis"]


def test_dump_and_load_round_trip(mini):
    assert load(dump(mini)) == mini
    assert dump(load(dump(mini))) == dump(mini)


def test_round_trip_keeps_text_that_looks_like_other_types(mini_text):
    text = mini_text.replace('text: {id: "Komentar", en: "Comment"}', 'text: {id: "no", en: "1.10"}')
    text = text.replace('provider: "Diskominfo"', 'provider: "010"')
    q = load(text)
    again = load(dump(q))
    assert again == q
    assert again.item("strategi-komentar").text == Text("no", "1.10")


def test_to_document_is_plain_data(mini):
    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return isinstance(value, (str, int, float))  # bool is an int
    doc = to_document(mini)
    assert plain(doc)
    assert type(doc["domains"]) is list and type(doc["positions"][0]["targets"]) is dict
    assert "weight" not in doc["domains"][0]["items"][3]  # never on a text item
    assert doc["domains"][0]["items"][3]["max_length"] == 200
    assert list(doc) == ["format", "id", "title", "description", "scale", "scoring", "domains",
                         "positions", "modules"]


def test_dump_writes_no_anchor_even_for_shared_objects(mini):
    assert "&" not in dump(mini) and "*id" not in dump(mini)


def test_problem_text_forms():
    problem = Problem.make("missing_key", "scoring.thresholds", 12, 3, key="thresholds")
    assert str(problem) == ("line 12, column 3, path scoring.thresholds: The key 'thresholds' is "
                            "missing. Add 'thresholds' here.")
    assert problem.format("id") == ("baris 12, kolom 3, jalur scoring.thresholds: Kunci "
                                    "'thresholds' belum ada. Tambahkan 'thresholds' di sini.")
    assert problem.message() == problem.message_id and problem.message("en") == problem.message_en
    top = Problem.make("too_large", "", None, None, size="600", limit="512")
    assert str(top).startswith("path (top level): The file is too large: 600 KiB")
    assert top.to_dict()["code"] == "too_large"
