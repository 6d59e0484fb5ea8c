"""Item statistics of a published version for trainers: which items to rewrite.

One attempt per person: each person's latest submitted assessment counts, once. A domain's
figures pool the versions of the questionnaire whose scored items of that domain are unchanged
(same texts, options, scores and weights), so a new version that only fixed another domain keeps
its history; the item-rest r compares like with like because the rest of the domain is the same."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..engine import statistics as analysis
from ..engine.model import Questionnaire
from ..engine.statistics import ItemStatistics, Reliability, domain_reliability, item_statistics
from ..extensions import db
from ..models import QuestionnaireVersion, VersionStatus
from .collected import Headcount, answers_of, latest_per_person
from .questionnaires import parsed


FLAG_LABELS = {
    analysis.NO_VARIANCE: _l("no variance: everyone answers alike"),
    analysis.NEGATIVE_CORRELATION: _l("negative correlation: rewrite or check the scoring"),
    analysis.LOW_DISCRIMINATION: _l("low discrimination (r below 0.20): it hardly separates people"),
    analysis.CEILING: _l("ceiling (p of 0.90 or more): nearly everyone gets it right"),
    analysis.NONFUNCTIONAL_DISTRACTORS: _l("a wrong option chosen by fewer than 1 in 20: make it plausible or drop it"),
}


@dataclass
class DomainStatistics:
    domain_id: str
    respondents: int
    reliability: Reliability
    items: tuple[ItemStatistics, ...]
    versions: tuple[int, ...]  # the version numbers pooled

    @property
    def alpha(self) -> float | None:
        return self.reliability.alpha


@dataclass
class VersionStatistics(Headcount):
    domains: list[DomainStatistics] = field(default_factory=list)


def _sibling_versions(version: QuestionnaireVersion) -> list[QuestionnaireVersion]:
    return list(db.session.scalars(select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == version.questionnaire_id,
        QuestionnaireVersion.status != VersionStatus.DRAFT.value).order_by(QuestionnaireVersion.number)))


def _pool(model: Questionnaire, domain_id: str, siblings: list[tuple[QuestionnaireVersion, Questionnaire]]):
    scored = model.domain(domain_id).scored_items
    return [v for v, m in siblings if any(d.id == domain_id and d.scored_items == scored for d in m.domains)]


def version_statistics(version: QuestionnaireVersion, *, minimum: int) -> VersionStatistics:
    """Per domain: Cronbach's alpha with its interval and, per item, the distribution, mean score,
    item-rest r with its interval and flags; shown from ``minimum`` people on."""
    model = parsed(version)
    siblings = [(v, parsed(v)) for v in _sibling_versions(version)]
    own = latest_per_person([version.id])
    stats = VersionStatistics(len(own), minimum)
    if not stats.enough:
        return stats
    read: dict[tuple[int, ...], tuple[list[int], list[dict]]] = {}  # domains pooling alike read once
    for domain in model.domains:
        pooled = _pool(model, domain.id, siblings) or [version]
        key = tuple(v.id for v in pooled)
        if key not in read:
            ids = latest_per_person(list(key))
            read[key] = ids, list(answers_of(ids).values())
        ids, responses = read[key]
        stats.domains.append(DomainStatistics(
            domain.id, len(ids), domain_reliability(model, responses, domain.id),
            item_statistics(model, responses, domain.id), tuple(v.number for v in pooled if v.number)))
    return stats


def table(model: Questionnaire, stats: VersionStatistics, lang: str) -> tuple[list[str], list[list]]:
    """The statistics as one row per item, for CSV and XLSX (numbers stay numbers)."""
    header = [_("Domain"), _("Item id"), _("Item"), _("Type"), "n", "p", "r", _("r lower (95 %)"),
              _("r upper (95 %)"), _("Cronbach's alpha"), _("Alpha lower (95 %)"), _("Alpha upper (95 %)"),
              _("Keyed option"), _("Answers (share)"), _("Flags")]
    rows = []
    for domain in stats.domains:
        alpha_low, alpha_high = domain.reliability.interval or (None, None)
        for s in domain.items:
            item = model.item(s.item_id)
            r_low, r_high = s.r_interval or (None, None)
            answers = "; ".join(f"{value}: {round(100 * (s.share(count) or 0))} %" for value, count in s.distribution)
            rows.append([model.domain(domain.domain_id).name.get(lang), item.id, item.text.get(lang), item.type, s.n,
                         _rounded(s.mean_score), _rounded(s.item_rest_correlation), _rounded(r_low), _rounded(r_high),
                         _rounded(domain.alpha), _rounded(alpha_low), _rounded(alpha_high), ", ".join(s.keyed),
                         answers, "; ".join(str(FLAG_LABELS.get(flag, flag)) for flag in s.flags)])
    return header, rows


def _rounded(value: float | None):
    return None if value is None else round(value, 3)
