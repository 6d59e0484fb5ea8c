"""A move to the anchored scoring model is listed in the diff of two versions, in plain words."""
from pathlib import Path

from app.engine.diff import Change, describe, diff
from app.engine.model import ScenarioCheck
from app.engine.questionnaire import load

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_scoring_changes_of_a_move_to_the_anchored_model(mini):
    anchored = load((FIXTURES / "anchored.yaml").read_text(encoding="utf-8"))
    scoring = [c for c in diff(mini, anchored) if c.area == "scoring"]
    tiers = (ScenarioCheck(0.5, 1), ScenarioCheck(0.25, 2))
    assert scoring == [
        Change("changed", "scoring", "", "model", "thresholds", "anchored"),
        Change("changed", "scoring", "", "thresholds", (40, 60, 80), ()),
        Change("changed", "scoring", "", "rounding", None, "half_down"),
        Change("changed", "scoring", "", "scenario_check", (), tiers),
    ]
    assert [describe(c, "en") for c in scoring] == [
        "The scoring model of the scoring rules changed from thresholds to anchored.",
        "The score thresholds of the scoring rules changed from 40, 60, 80 to (none).",
        "The rounding of the self-rating of the scoring rules changed from (none) to half_down.",
        "The scenario check tiers of the scoring rules changed from (none) to ≤ 0.5: −1, "
        "≤ 0.25: −2.",
    ]
    assert describe(scoring[0], "id") == (
        "Model penskoran aturan penskoran diubah dari thresholds menjadi anchored.")
