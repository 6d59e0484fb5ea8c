"""Checking and normalising answers."""
import pytest

from app.engine.answers import (AnswerInvalid, AnswersInvalid, check_answer, check_answers,
                                missing_required)


@pytest.mark.parametrize("raw, value", [(1, 1), (4, 4), ("3", 3), ("03", 3), (None, None), ("", None)])
def test_rating_accepts_integers_and_digit_strings(mini, raw, value):
    assert check_answer(mini.item("strategi-rencana"), raw) == value


@pytest.mark.parametrize("raw", [0, 5, -1, True, False, 3.0, "3.0", "abc", " 3", "-1", "9" * 50, [3]])
def test_rating_refuses_other_values(mini, raw):
    with pytest.raises(AnswerInvalid) as caught:
        check_answer(mini.item("strategi-rencana"), raw)
    assert caught.value.code == "not_rating"
    assert caught.value.item_id == "strategi-rencana"
    assert caught.value.message("en") == "Choose one value from 1 to 4."
    assert caught.value.message() == "Pilih salah satu nilai dari 1 sampai 4."


def test_choice(mini):
    item = mini.item("strategi-kanal")
    assert check_answer(item, "c") == "c"
    with pytest.raises(AnswerInvalid) as caught:
        check_answer(item, "z")
    assert (caught.value.code, caught.value.message_en) == (
        "unknown_option", "The option 'z' is not offered for this question.")
    with pytest.raises(AnswerInvalid) as caught:
        check_answer(item, 1)
    assert caught.value.code == "not_choice"
    with pytest.raises(AnswerInvalid):
        check_answer(item, ["a"])


def test_multi_is_normalised_to_option_order(mini):
    item = mini.item("strategi-tanda")
    assert check_answer(item, ["c", "a"]) == ["a", "c"]
    assert check_answer(item, ("b",)) == ["b"]
    assert check_answer(item, []) == []  # "none of these" is an answer
    original = ["d", "a"]
    check_answer(item, original)
    assert original == ["d", "a"]  # input untouched


@pytest.mark.parametrize("raw, code", [
    (["a", "a"], "duplicate_pick"), (["a", "x"], "unknown_option"), ("a", "not_multi"),
    ({"a": 1}, "not_multi"), ([1], "not_multi"), (5, "not_multi")])
def test_multi_refuses(mini, raw, code):
    with pytest.raises(AnswerInvalid) as caught:
        check_answer(mini.item("strategi-tanda"), raw)
    assert caught.value.code == code


def test_text(mini):
    item = mini.item("strategi-komentar")
    assert check_answer(item, "baik\r\nsekali") == "baik\nsekali"
    assert check_answer(item, "   ") is None
    assert check_answer(item, "x" * 200) == "x" * 200
    with pytest.raises(AnswerInvalid) as caught:
        check_answer(item, "x" * 201)
    assert caught.value.code == "too_long"
    assert caught.value.message_en == "The text is too long: 201 characters, at most 200. Shorten it."
    with pytest.raises(AnswerInvalid) as caught:
        check_answer(item, 5)
    assert caught.value.code == "not_text"


def test_check_answers_normalises_a_mapping(mini):
    raw = {"krisis-pantau": "5", "strategi-tanda": ["b", "a"], "strategi-kanal": "",
           "strategi-komentar": None}
    assert check_answers(mini, raw) == {"strategi-tanda": ["a", "b"], "krisis-pantau": 5}
    assert raw["krisis-pantau"] == "5"


def test_check_answers_refuses_unknown_items_and_lists_every_error(mini):
    with pytest.raises(AnswersInvalid) as caught:
        check_answers(mini, {"nope": 1, "strategi-rencana": 9, "strategi-kanal": "c"})
    error = caught.value
    assert isinstance(error, AnswerInvalid)
    assert set(error.errors) == {"nope", "strategi-rencana"}
    assert error.errors["nope"].code == "unknown_item"
    assert error.errors["nope"].message_en == "There is no question 'nope' in this questionnaire."
    assert error.code == "unknown_item"  # the first error


def test_check_answers_for_one_domain(mini):
    assert check_answers(mini, {"krisis-pantau": 2}, domain_id="krisis") == {"krisis-pantau": 2}
    with pytest.raises(AnswersInvalid) as caught:
        check_answers(mini, {"strategi-kanal": "a"}, domain_id="krisis")
    assert caught.value.code == "wrong_domain"
    assert caught.value.message_en == "Question 'strategi-kanal' does not belong to domain 'krisis'."


def test_missing_required(mini):
    answers = {"strategi-rencana": 2, "strategi-tanda": []}
    assert missing_required(mini, answers) == ("strategi-kanal", "krisis-pantau", "krisis-hoaks")
    assert missing_required(mini, answers, domain_id="strategi") == ("strategi-kanal",)
