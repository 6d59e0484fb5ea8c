"""The scenario items of the shipped questionnaire cannot be passed by test-wiseness (issue 12).

A respondent who does not know the answer should not get full marks by reading the *shape* of
the options: the longest one, the one without a justification clause ("so that …"), the one that
cites a regulation. These checks measure that on the shipped file, in both languages, over the
choice items (the scenarios with one answer). Run this file directly to print the figures:

    python -m tests.engine.test_test_wiseness
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.engine.model import Item, Option
from app.engine.questionnaire import load

DEFAULT = Path(__file__).resolve().parents[2] / "questionnaires" / "tata-kelola-media-sosial.yaml"
LANGS = ("id", "en")

#: The most a shape-reading strategy may earn, and the most items whose key has a given shape.
#: Blind guessing earns about a third of the points (partial credit included; the report prints
#: it); 40 % leaves room for a few items where the best answer simply is the fullest one, without
#: letting length or wording become a rule (before issue 12 the "longest option without a reason"
#: strategy earned 85 %).
MAX_SHARE = 0.40
#: Items where a regulation or SP4N-LAPOR! is cited by the key and by no other option. A single
#: such item (1/23 ≈ 4 %) is noise; a pattern gives the key away. Distractors cite rules too —
#: the wrong rule, or the right rule wrongly applied — so citing proves nothing.
MAX_ONLY_KEY_CITES = 0.10
#: The issue found the key among the two longest options in every item; by chance (four options)
#: that happens in half of them.
MAX_TOP_TWO = 0.65
#: A distractor much shorter than the key reads as a throw-away option.
MIN_DISTRACTOR_RATIO = 0.5

JUSTIFICATION = {
    "id": re.compile(r"\b(agar|supaya|karena|sehingga)\b", re.IGNORECASE),
    "en": re.compile(r"\b(so that|because|in order to)\b", re.IGNORECASE),
}
CITATION = re.compile(
    r"\b(UU|PP|Perpres|Inpres|Permen\w*(-RB)?|Peraturan|Putusan|MK|ITE)\b|SP4N-LAPOR|Constitutional Court"
    r"|\d+/PUU-")


def choice_items(q) -> list[Item]:
    return [item for item in q.items if item.type == "choice"]


def text(option: Option, lang: str) -> str:
    return option.text.get(lang)


def best(item: Item) -> float:
    return max(o.score for o in item.options)


def is_key(item: Item, option: Option) -> bool:
    return option.score == best(item)


def normalised(item: Item, option: Option) -> float:
    return option.score / best(item)


def longest(options, lang: str) -> Option:
    return max(options, key=lambda o: len(text(o, lang)))


def shortest(options, lang: str) -> Option:
    return min(options, key=lambda o: len(text(o, lang)))


def justified(option: Option, lang: str) -> bool:
    return bool(JUSTIFICATION[lang].search(text(option, lang)))


def cites(option: Option, lang: str) -> bool:
    return bool(CITATION.search(text(option, lang)))


# --- strategies: what a test-wise respondent picks without reading the scenario -----------------

def pick_longest(item: Item, lang: str) -> Option:
    return longest(item.options, lang)


def pick_longest_unjustified(item: Item, lang: str) -> Option:
    """The longest option that gives no reason; the longest of all when every option gives one."""
    plain = [o for o in item.options if not justified(o, lang)]
    return longest(plain or item.options, lang)


def pick_longest_justified(item: Item, lang: str) -> Option:
    """The reverse tell: the longest option that does give a reason."""
    reasoned = [o for o in item.options if justified(o, lang)]
    return longest(reasoned or item.options, lang)


def pick_shortest(item: Item, lang: str) -> Option:
    return shortest(item.options, lang)


def pick_citing(item: Item, lang: str) -> Option:
    """The longest option that cites a rule; the longest of all when none does."""
    citing = [o for o in item.options if cites(o, lang)]
    return longest(citing or item.options, lang)


STRATEGIES = {
    "longest": pick_longest,
    "longest without a justification clause": pick_longest_unjustified,
    "longest with a justification clause": pick_longest_justified,
    "shortest": pick_shortest,
    "longest citing a rule": pick_citing,
}


def earned(items: list[Item], strategy, lang: str) -> float:
    """Share of the scenario points the strategy earns: mean normalised score of its picks."""
    return sum(normalised(item, strategy(item, lang)) for item in items) / len(items)


def key_is_longest(item: Item, lang: str) -> bool:
    return is_key(item, longest(item.options, lang))


def key_in_top_two(item: Item, lang: str) -> bool:
    ranked = sorted(item.options, key=lambda o: -len(text(o, lang)))
    return any(is_key(item, o) for o in ranked[:2])


def chance(items: list[Item]) -> float:
    """What blind guessing earns on average: the mean normalised score of each item's options."""
    return sum(sum(normalised(i, o) for o in i.options) / len(i.options) for i in items) / len(items)


def key_is_shortest(item: Item, lang: str) -> bool:
    return is_key(item, shortest(item.options, lang))


def only_key_cites(item: Item, lang: str) -> bool:
    citing = [o for o in item.options if cites(o, lang)]
    return bool(citing) and all(is_key(item, o) for o in citing)


def short_distractors(item: Item, lang: str) -> list[str]:
    key_length = min(len(text(o, lang)) for o in item.options if is_key(item, o))
    return [o.id for o in item.options
            if not is_key(item, o) and len(text(o, lang)) < MIN_DISTRACTOR_RATIO * key_length]


@dataclass
class Figures:
    items: int
    chance: float
    key_longest: dict[str, float]
    key_top_two: dict[str, float]
    key_shortest: dict[str, float]
    strategies: dict[str, dict[str, float]]
    only_key_cites: dict[str, float]
    items_with_citation: dict[str, int]
    citing_distractors: dict[str, int]
    short_distractors: dict[str, dict[str, list[str]]]


def figures(q) -> Figures:
    items = choice_items(q)
    n = len(items)
    return Figures(
        items=n,
        chance=chance(items),
        key_longest={lang: sum(key_is_longest(i, lang) for i in items) / n for lang in LANGS},
        key_top_two={lang: sum(key_in_top_two(i, lang) for i in items) / n for lang in LANGS},
        key_shortest={lang: sum(key_is_shortest(i, lang) for i in items) / n for lang in LANGS},
        strategies={name: {lang: earned(items, pick, lang) for lang in LANGS} for name, pick in STRATEGIES.items()},
        only_key_cites={lang: sum(only_key_cites(i, lang) for i in items) / n for lang in LANGS},
        items_with_citation={lang: sum(any(cites(o, lang) for o in i.options) for i in items) for lang in LANGS},
        citing_distractors={lang: sum(cites(o, lang) and not is_key(i, o) for i in items for o in i.options)
                            for lang in LANGS},
        short_distractors={lang: {i.id: found for i in items if (found := short_distractors(i, lang))}
                           for lang in LANGS},
    )


def report(f: Figures) -> str:
    pct = lambda share: f"{100 * share:.0f} %"  # noqa: E731
    lines = [f"{f.items} choice items; blind guessing earns {pct(f.chance)} of the scenario points"]
    for lang in LANGS:
        lines.append(f"[{lang}] key is the longest option: {pct(f.key_longest[lang])}; "
                     f"among the two longest: {pct(f.key_top_two[lang])}; "
                     f"key is the shortest: {pct(f.key_shortest[lang])}")
        for name, by_lang in f.strategies.items():
            lines.append(f"[{lang}] strategy '{name}' earns {pct(by_lang[lang])} of the scenario points")
        lines.append(f"[{lang}] only the key cites a rule: {pct(f.only_key_cites[lang])} "
                     f"({f.items_with_citation[lang]} items cite a rule; "
                     f"{f.citing_distractors[lang]} distractors cite one)")
        lines.append(f"[{lang}] distractors shorter than half the key: {f.short_distractors[lang] or 'none'}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def shipped() -> Figures:
    f = figures(load(DEFAULT.read_bytes()))
    print("\n" + report(f))
    return f


def test_there_are_scenario_items(shipped):
    assert shipped.items >= 10


@pytest.mark.parametrize("lang", LANGS)
def test_the_key_is_rarely_the_longest_option(shipped, lang):
    assert shipped.key_longest[lang] <= MAX_SHARE


@pytest.mark.parametrize("lang", LANGS)
def test_the_key_is_not_systematically_among_the_two_longest(shipped, lang):
    assert shipped.key_top_two[lang] <= MAX_TOP_TWO


@pytest.mark.parametrize("lang", LANGS)
def test_the_key_is_not_systematically_the_shortest_either(shipped, lang):
    assert shipped.key_shortest[lang] <= MAX_SHARE


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_no_shape_reading_strategy_earns_much(shipped, strategy, lang):
    assert shipped.strategies[strategy][lang] <= MAX_SHARE, report(shipped)


@pytest.mark.parametrize("lang", LANGS)
def test_citing_a_rule_does_not_give_the_key_away(shipped, lang):
    assert shipped.only_key_cites[lang] <= MAX_ONLY_KEY_CITES, report(shipped)
    assert shipped.citing_distractors[lang] > 0


@pytest.mark.parametrize("lang", LANGS)
def test_no_distractor_is_a_throw_away(shipped, lang):
    assert shipped.short_distractors[lang] == {}, report(shipped)


def test_every_scenario_has_a_single_key(shipped):
    for item in choice_items(load(DEFAULT.read_bytes())):
        assert sum(is_key(item, o) for o in item.options) == 1, item.id


# --- the measures themselves, on a small hand-made item ------------------------------------------

def _item(*options: tuple[str, str, float]) -> Item:
    from app.engine.model import Text
    return Item(id="x", domain_id="d", type="choice", text=Text("?", "?"),
                options=tuple(Option(oid, Text(t, t), s) for oid, t, s in options))


def test_the_measures_on_a_hand_made_item():
    item = _item(("a", "Balas warga dengan sopan dan lengkap sesuai SOP", 1),
                 ("b", "Hapus komentarnya karena kasar", 0),
                 ("c", "Diam saja", 0))
    assert key_is_longest(item, "id") and not key_is_shortest(item, "id")
    assert pick_longest_unjustified(item, "id").id == "a"
    assert pick_longest_justified(item, "id").id == "b"
    assert only_key_cites(item, "id") is False  # "SOP" is not a regulation
    assert short_distractors(item, "id") == ["c"]
    cited = _item(("a", "Rujuk ke PPID sesuai UU No. 14 Tahun 2008", 2), ("b", "Tolak permintaannya", 1))
    assert only_key_cites(cited, "id") and normalised(cited, cited.options[1]) == 0.5


if __name__ == "__main__":
    print(report(figures(load(DEFAULT.read_bytes()))))
