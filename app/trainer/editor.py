"""The structured (form) editor of a draft. It edits the same stored YAML as the YAML editor: the
form's fields are applied to the draft's document, written back as YAML and validated by the
engine, so both editors always show the same draft and the same problems."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from ..engine import questionnaire as engine
from ..engine.editing import NotEditable, PathError, document_to_yaml, form_to_document, insert_new, move, path_key, \
    plain_document, remove_at
from ..engine.model import MODES
from ..web.forms import ActionForm
from ..services.validation import is_ascii_digits
from ..web import loaders
from .views import lang, max_bytes, save_or_explain

CONTROL = {"csrf_token", "lock", "action"}
ITEM_TYPES = ("rating", "choice", "multi", "text")

LABELS = {
    "format": _l("Format version"), "id": _l("Id (small letters, digits, dashes)"), "title": _l("Title"),
    "description": _l("Description"), "scale": _l("Proficiency scale"), "level": _l("Level number"),
    "name": _l("Name"), "descriptor": _l("Descriptor"), "scoring": _l("Scoring rules"),
    "combine": _l("How item scores combine"), "thresholds": _l("Minimum score for level 2, 3, …"),
    "min_answered": _l("Minimum share of answered items (0–1)"), "caps": _l("Caps"),
    "item": _l("Item id"), "below": _l("Applies when the score is at or below (0–1)"),
    "model": _l("Scoring model"), "self_rating": _l("Self-rating"), "rounding": _l("Rounding"),
    "scenario_check": _l("Scenario check tiers"), "lower_by": _l("Lower by (levels)"),
    "max_level": _l("Highest level allowed"), "reason": _l("Reason shown to the respondent"),
    "domains": _l("Domains"), "levels": _l("Level descriptors"), "example": _l("Example of behaviour"),
    "items": _l("Items"), "type": _l("Type"), "text": _l("Text"), "weight": _l("Weight"),
    "required": _l("Required"), "anchors": _l("Behavioural anchors (lowest first)"), "options": _l("Options"),
    "score": _l("Score"), "max_length": _l("Maximum length"), "positions": _l("Positions"),
    "targets": _l("Target level per domain"), "importance": _l("Importance per domain"),
    "modules": _l("Training modules"), "domain": _l("Domain id"), "from_level": _l("From level"),
    "to_level": _l("To level"), "jp": _l("JP (lesson hours)"), "mode": _l("Mode"), "provider": _l("Provider"),
}


def section_paths(doc: dict, section: str) -> list[str]:
    """The top-level parts of the document one editor page shows."""
    if section == "meta":
        return ["format", "id", "title", "description"]
    if section == "scale":
        return ["scale", "scoring"]
    if section in ("positions", "modules"):
        return [section]
    number = section[7:]
    if section.startswith("domain-") and is_ascii_digits(number) and int(number) < len(doc.get("domains") or []):
        return [f"domains.{int(section[7:])}"]
    abort(404)


def section_of(problem_path: str) -> str:
    key = path_key(problem_path or "")
    head = key.split(".")[0]
    if head == "domains" and key.count(".") >= 1 and is_ascii_digits(key.split(".")[1]):
        return f"domain-{key.split('.')[1]}"
    return {"scale": "scale", "scoring": "scale", "positions": "positions", "modules": "modules"}.get(head, "meta")


def adapt_item_types(doc: dict) -> dict:
    """After a type change, give the item the parts its new type needs (and drop the others)."""
    doc = copy.deepcopy(doc)
    for domain in doc.get("domains") or []:
        for item in (domain.get("items") if isinstance(domain, dict) else None) or []:
            if not isinstance(item, dict):
                continue
            kind = item.get("type")
            if kind == "rating":
                item.pop("options", None)
                item.setdefault("anchors", [{"id": "", "en": ""} for _ in range(4)])
            elif kind in ("choice", "multi"):
                item.pop("anchors", None)
                item.setdefault("options", [{"id": "a", "text": {"id": "", "en": ""}, "score": 0},
                                            {"id": "b", "text": {"id": "", "en": ""}, "score": 1}])
            elif kind == "text":
                for key in ("anchors", "options", "weight"):
                    item.pop(key, None)
    return doc


def with_defaults(doc: dict) -> dict:
    """Show optional settings (weight, required) with their default so a trainer can change them."""
    doc = copy.deepcopy(doc)
    for domain in doc.get("domains") or []:
        for item in (domain.get("items") if isinstance(domain, dict) else None) or []:
            if isinstance(item, dict) and item.get("type") in ("rating", "choice", "multi"):
                item.setdefault("weight", 1)
                item.setdefault("required", True)
    return doc


def drop_shown_defaults(original: dict, edited: dict) -> dict:
    """Remove the defaults `with_defaults` showed but the trainer left alone, so saving a form
    writes exactly what editing the YAML by hand would."""
    edited = copy.deepcopy(edited)
    before = {item.get("id"): item for domain in original.get("domains") or [] if isinstance(domain, dict)
              for item in domain.get("items") or [] if isinstance(item, dict)}
    for domain in edited.get("domains") or []:
        for item in (domain.get("items") if isinstance(domain, dict) else None) or []:
            if not isinstance(item, dict) or item.get("id") not in before:
                continue
            for key, default in (("weight", 1), ("required", True)):
                if key not in before[item["id"]] and item.get(key) == default:
                    item.pop(key, None)
    return edited


def apply_action(doc: dict, action: str) -> dict:
    verb, _, path = action.partition(":")
    if verb == "add":
        return insert_new(doc, path)
    if verb == "remove":
        return remove_at(doc, path)
    if verb in ("up", "down"):
        return move(doc, path, -1 if verb == "up" else 1)
    return doc


def problems_by_field(problems) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        grouped.setdefault(path_key(problem.path or ""), []).append(problem.message(lang()))
    return grouped


def edit_form(version_id: int):
    draft = loaders.draft(version_id)
    section = request.args.get("section", "meta")
    try:
        doc = plain_document(draft.source, max_bytes=max_bytes())
    except NotEditable as not_editable:
        return render_template("trainer/editor.html", draft=draft, doc=None, section=section,
                               problems=not_editable.problems, lang=lang()), 200
    paths = section_paths(doc, section)
    lock, status, conflict = draft.lock_version, 200, None
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        fields = {k: v for k, v in request.form.items() if k not in CONTROL}
        if any(not any(k == p or k.startswith(p + ".") for p in paths) for k in fields):
            abort(400)  # a field outside the section being edited: not from this page
        try:
            doc = adapt_item_types(drop_shown_defaults(doc, form_to_document(fields, doc)))
            doc = apply_action(doc, request.form.get("action", "save"))
        except PathError:
            abort(400)  # a field or action that no page of this draft could have sent
        status, conflict = save_or_explain(draft, document_to_yaml(doc), request.form.get("lock"), editor="form")
        if status == 200:
            return redirect(url_for("trainer.edit_form", version_id=draft.id, section=section))
        if conflict is not None:
            lock = conflict.latest_lock
    problems = engine.validate(document_to_yaml(doc), max_bytes=max_bytes())
    return render_template("trainer/editor.html", draft=draft, doc=with_defaults(doc), section=section,
                           paths=paths, problems=problems, by_field=problems_by_field(problems),
                           section_of=section_of, labels=LABELS, item_types=ITEM_TYPES, modes=MODES,
                           lock=lock, conflict=conflict, action=ActionForm(), lang=lang(),
                           value_at=value_at, section_counts=Counter(section_of(p.path) for p in problems)), status


def value_at(doc: dict, dotted: str) -> Any:
    node: Any = doc
    for part in dotted.split("."):
        node = node[int(part)] if isinstance(node, list) else node.get(part)
    return node
