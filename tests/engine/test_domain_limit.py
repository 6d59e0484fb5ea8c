"""A questionnaire has at most MAX_DOMAINS domains: one more is one plain, located problem."""
from app.engine.checks import MAX_DOMAINS
from app.engine.questionnaire import load, validate

from .helpers import line_of, only
from .wide import wide_text


def test_the_limit_is_24_domains():
    assert MAX_DOMAINS == 24


def test_a_questionnaire_at_the_limit_is_valid():
    assert validate(wide_text(MAX_DOMAINS)) == []
    assert len(load(wide_text(MAX_DOMAINS)).domains) == MAX_DOMAINS


def test_one_domain_more_is_refused_at_the_domains_key():
    text = wide_text(MAX_DOMAINS + 1)
    problems = validate(text)
    problem = only(problems, "too_many_domains")
    assert [p.code for p in problems] == ["too_many_domains"]  # nothing else is wrong
    assert problem.path == "domains"
    assert problem.line == line_of(text, "domains:", exact=True)
    assert problem.message_en == (
        "This questionnaire has 25 domains, while at most 24 are allowed (so that the reports "
        "stay readable). Merge related domains or split it into several questionnaires.")
    assert problem.message_id == (
        "Kuesioner ini berisi 25 domain, padahal paling banyak 24 (agar laporan tetap mudah "
        "dibaca). Gabungkan domain yang berdekatan atau pecah menjadi beberapa kuesioner.")


def test_the_other_problems_are_still_reported():
    text = wide_text(MAX_DOMAINS + 6).replace("thresholds:\n  - 20\n", "thresholds:\n  - 30\n  - 20\n", 1)
    codes = {p.code for p in validate(text)}
    assert {"too_many_domains", "thresholds_count"} <= codes


def test_a_version_stored_before_the_limit_keeps_loading():
    """Results, reports and exports of a version published with more domains stay readable."""
    text = wide_text(MAX_DOMAINS + 6)
    assert len(load(text, stored=True).domains) == MAX_DOMAINS + 6
