"""A valid questionnaire with any number of domains, for the tests of the domain limit (engine)
and of reports that must cope with as many domains as the limit allows.

Each domain has a long two-language name (two lines in the charts, the worst case for their
height), one rating item and one module lifting every level; every position targets the top
level everywhere, so every domain has a gap and a module in the plan.
"""
from __future__ import annotations

import yaml

POSITIONS = ("admin-medsos", "pranata-humas", "staf-ppid", "petugas-layanan")
LEVELS = 5


def _text(label: str) -> dict:
    return {"id": f"{label} (id)", "en": f"{label} (en)"}


def domain_name(n: int, lang: str) -> str:
    """The name of domain n (from 1): unique, and no name is a part of another."""
    if lang == "en":
        return (f"Competency {n}: running the agency's social media channels for public "
                f"information, questions and complaints")
    return (f"Kompetensi {n}: pengelolaan kanal media sosial instansi untuk informasi publik, "
            f"pertanyaan, dan pengaduan")


def _domain(n: int) -> dict:
    domain_id = f"domain-{n}"
    return {
        "id": domain_id,
        "name": {"id": domain_name(n, "id"), "en": domain_name(n, "en")},
        "description": _text(f"about domain {n}"),
        "levels": [{"descriptor": _text(f"level {k}"), "example": _text(f"example {k}")}
                   for k in range(1, LEVELS + 1)],
        "items": [{"id": f"{domain_id}-rating", "type": "rating", "text": _text(f"item {n}"),
                   "anchors": [_text(f"anchor {k}") for k in range(1, LEVELS + 1)]}],
    }


def _module(n: int) -> dict:
    return {"id": f"m-domain-{n}", "title": _text(f"Module {n}"), "domain": f"domain-{n}",
            "from_level": 1, "to_level": LEVELS, "jp": 8, "mode": "classroom",
            "provider": "BPSDM"}


def wide_document(domains: int) -> dict:
    """The plain document of a valid questionnaire with ``domains`` domains."""
    ids = [f"domain-{n}" for n in range(1, domains + 1)]
    return {
        "format": 1, "id": "wide", "title": _text("Wide questionnaire"),
        "description": _text("Many domains"),
        "scale": [{"level": k, "name": _text(f"Level {k}"), "descriptor": _text(f"level {k}")}
                  for k in range(1, LEVELS + 1)],
        "scoring": {"thresholds": [20, 40, 60, 80]},
        "domains": [_domain(n) for n in range(1, domains + 1)],
        "positions": [{"id": position, "name": _text(position),
                       "targets": {domain_id: LEVELS for domain_id in ids}}
                      for position in POSITIONS],
        "modules": [_module(n) for n in range(1, domains + 1)],
    }


def wide_text(domains: int) -> str:
    """``wide_document`` as YAML text, as a trainer would upload it."""
    return yaml.safe_dump(wide_document(domains), allow_unicode=True, sort_keys=False)
