"""The pure core of Swanilai: questionnaire → answers → scores → levels → gaps → training plan.

Nothing here imports Flask, SQLAlchemy or the rest of ``app``; inputs and outputs are plain,
immutable data. Start with ``questionnaire.load`` and ``training.assess``.
"""
from .answers import AnswerInvalid, AnswersInvalid, check_answer, check_answers
from .questionnaire import Problem, Questionnaire, QuestionnaireInvalid, dump, load, validate
from .scoring import Scores, score
from .training import Result, UnknownPosition, assess, result_to_dict

__all__ = [
    "AnswerInvalid", "AnswersInvalid", "Problem", "Questionnaire", "QuestionnaireInvalid",
    "Result", "Scores", "UnknownPosition", "assess", "check_answer", "check_answers", "dump",
    "load", "result_to_dict", "score", "validate",
]
