"""The questionnaire: its model, and loading a YAML file with every problem located.

``load`` and ``validate`` read untrusted text in four steps, each in its own module:

1. ``yaml_source``: size check on the bytes, a scan of the YAML events that refuses anchors,
   aliases and tags, then the node tree;
2. ``format1`` + ``schema``: the declarative shape of a format-1 file, walked over the nodes;
3. ``checks``: the rules that relate parts of the file to one another;
4. ``document.from_document``: the frozen model, built only when there was no problem.
"""
from __future__ import annotations

from yaml.nodes import MappingNode

from .checks import run_checks
from .document import dump, dump_document, from_document, to_document
from .format1 import QUESTIONNAIRE
from .messages import KINDS
from .model import (ANCHORED, CAPPABLE_TYPES, COMBINE_METHODS, ITEM_TYPES, LANGUAGES, MODES,
                    ROUNDINGS, SCENARIO_TYPES, SCORED_TYPES, SCORING_MODELS, THRESHOLDS, Cap,
                    Domain, DomainLevel, FrozenMap, Item, Level, Module, Option, Position,
                    Questionnaire, ScenarioCheck, Scoring, Text, UnknownDomain, UnknownId,
                    UnknownItem, UnknownModule, UnknownPosition)
from .problems import Problem, QuestionnaireInvalid, sort_problems
from .context import Context, found, where
from .yaml_source import DEFAULT_MAX_BYTES, read_nodes

__all__ = [
    "ANCHORED", "CAPPABLE_TYPES", "COMBINE_METHODS", "DEFAULT_MAX_BYTES", "ITEM_TYPES", "LANGUAGES",
    "MODES", "ROUNDINGS", "SCENARIO_TYPES", "SCORED_TYPES", "SCORING_MODELS", "THRESHOLDS", "Cap",
    "Domain", "DomainLevel", "FrozenMap", "Item", "Level", "Module", "Option", "Position",
    "Problem", "Questionnaire", "QuestionnaireInvalid", "ScenarioCheck", "Scoring", "Text",
    "UnknownDomain", "UnknownId", "UnknownItem", "UnknownModule", "UnknownPosition", "dump",
    "dump_document", "from_document", "load", "to_document", "validate",
]


def _read(text: str | bytes, max_bytes: int, stored: bool = False) -> tuple[dict | None, list[Problem]]:
    root, problems = read_nodes(text, max_bytes)
    if problems:
        return None, sort_problems(problems)
    if not isinstance(root, MappingNode):
        line, column = where(root) if root is not None else (1, 1)
        what = found(root) if root is not None else KINDS["nothing"]
        return None, [Problem.make("not_a_mapping", "", line, column, found=what)]
    ctx = Context()
    ctx.remember("", root)
    doc = QUESTIONNAIRE.convert(root, "", ctx)
    run_checks(doc, ctx, stored=stored)
    return doc, sort_problems(ctx.problems)


def validate(text: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Problem]:
    """Every problem of the file, sorted by position; an empty list means the file is valid."""
    return _read(text, max_bytes)[1]


def load(text: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, stored: bool = False) -> Questionnaire:
    """The questionnaire of a YAML text; raises QuestionnaireInvalid with every problem.
    ``stored``: a version published earlier, read without the rules that bound only new versions."""
    doc, problems = _read(text, max_bytes, stored)
    if problems:
        raise QuestionnaireInvalid(problems)
    return from_document(doc)
