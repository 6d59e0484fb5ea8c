"""The structured (form) editor of a draft. It edits the same stored YAML as the YAML editor: the
form's fields are applied to the draft's document, written back as YAML and validated by the
engine, so both editors always show the same draft and the same problems.

Removing a list element asks first, without JavaScript: the Remove button saves the page's other
fields (as every editor button does) and leads to a confirmation page naming what goes; confirming
removes and saves it, and the page that follows offers "Undo: restore …". The removed element
travels in that page's undo form, signed with the app's key together with the draft and its lock
number after the removal, so it is restored exactly and only while the draft has not been saved
again (any save changes the lock number). A domain is several KB: too large for the cookie."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from ..engine import questionnaire as engine
from ..engine.editing import NotEditable, PathError, document_to_yaml, field_path, form_to_document, get_at, \
    insert_new, move, path_key, plain_document, remove_at
from ..engine.model import MODES
from ..web.forms import ActionForm
from ..services.validation import is_ascii_digits
from ..web import loaders
from .views import lang, max_bytes, save_or_explain

CONTROL = {"csrf_token", "lock", "action"}
UNDO_SALT = "swanilai.editor.undo"
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
        action = request.form.get("action", "save")
        try:
            edited = adapt_item_types(drop_shown_defaults(doc, form_to_document(fields, doc)))
            if action.startswith("remove:"):
                return ask_before_removing(draft, doc, edited, action[7:], section, request.form.get("lock"))
            doc = apply_action(edited, action)
        except PathError:
            abort(400)  # a field or action that no page of this draft could have sent
        status, conflict = save_or_explain(draft, document_to_yaml(doc), request.form.get("lock"), editor="form")
        if status == 200:
            return redirect(url_for("trainer.edit_form", version_id=draft.id, section=section))
        if conflict is not None:
            lock = conflict.latest_lock
    return render_editor(draft, doc, section, status=status, lock=lock, conflict=conflict)


def render_editor(draft, doc: dict, section: str, *, status: int = 200, lock: int | None = None, conflict=None,
                  undo: tuple[str, str] | None = None):
    problems = engine.validate(document_to_yaml(doc), max_bytes=max_bytes())
    return render_template("trainer/editor.html", draft=draft, doc=with_defaults(doc), section=section,
                           paths=section_paths(doc, section), problems=problems, by_field=problems_by_field(problems),
                           section_of=section_of, labels=LABELS, item_types=ITEM_TYPES, modes=MODES,
                           lock=draft.lock_version if lock is None else lock, conflict=conflict, action=ActionForm(),
                           lang=lang(), value_at=value_at, undo=undo,
                           section_counts=Counter(section_of(p.path) for p in problems)), status


# -- removing with a confirmation, and restoring -------------------------------------------

def removable(doc: dict, path: str, section: str) -> list[str | int]:
    """The segments of a list element of ``section`` that can be removed; PathError otherwise."""
    segs = field_path(path)
    paths = section_paths(doc, section)
    if not segs or not isinstance(segs[-1], int) or not any(path == p or path.startswith(p + ".") for p in paths):
        raise PathError(path)
    parent = get_at(doc, segs[:-1])
    if not isinstance(parent, list) or not 0 <= segs[-1] < len(parent):
        raise PathError(path)
    return segs


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, dict):
        value = value.get(lang()) or value.get("id") or value.get("en") or ""
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _summary(element: Any) -> str:
    if not isinstance(element, dict):
        return _short(element)
    for key in ("name", "title", "text", "descriptor", "id", "item"):
        if _short(element.get(key)):
            return _short(element.get(key))
    return ""


def element_name(doc: dict, segs: list) -> str:
    """What a path names, as a person reads it: "item 2 “Saya …” of domain “Strategi …”"."""
    number = segs[-1] + 1
    element = get_at(doc, segs)
    kind = segs[-2] if len(segs) > 1 else ""
    if segs[:1] == ["domains"] and len(segs) == 2:
        return _("domain %(n)d “%(name)s”", n=number, name=_summary(element))
    domain = _summary(get_at(doc, segs[:2])) if segs[:1] == ["domains"] else ""
    if kind == "items" and len(segs) == 4:
        return _("item %(n)d “%(text)s” of domain “%(domain)s”", n=number, text=_short(get_at(element, ["text"])),
                 domain=domain)
    if kind in ("anchors", "options") and len(segs) == 6:
        item = _short(get_at(doc, [*segs[:4], "text"]))
        if kind == "anchors":
            return _("anchor %(n)d “%(text)s” of item “%(item)s”", n=number, text=_short(element), item=item)
        return _("option %(n)d “%(text)s” of item “%(item)s”", n=number, text=_summary(element), item=item)
    label = LABELS.get(str(kind), kind)
    summary = _summary(element)
    if summary:
        return _("entry %(n)d “%(text)s” of “%(list)s”", n=number, text=summary, list=label)
    return _("entry %(n)d of “%(list)s”", n=number, list=label)


def what_goes_with(element: Any) -> list[str]:
    """The parts that are removed with an element, counted."""
    if not isinstance(element, dict):
        return []
    counts = {key: len(element[key]) for key in ("items", "levels", "anchors", "options")
              if isinstance(element.get(key), list) and element[key]}
    said = []
    if "items" in counts:
        said.append(ngettext("Its %(num)d item goes with it.", "Its %(num)d items go with it.", counts["items"]))
    if "levels" in counts:
        said.append(ngettext("Its %(num)d level descriptor goes with it.", "Its %(num)d level descriptors go with it.",
                             counts["levels"]))
    if "anchors" in counts:
        said.append(ngettext("Its %(num)d anchor goes with it.", "Its %(num)d anchors go with it.",
                             counts["anchors"]))
    if "options" in counts:
        said.append(ngettext("Its %(num)d option goes with it.", "Its %(num)d options go with it.",
                             counts["options"]))
    return said


def ask_before_removing(draft, original: dict, edited: dict, path: str, section: str, lock: str | None):
    """The Remove button: keep the page's other edits (saved when they changed something), then ask."""
    removable(edited, path, section)
    if document_to_yaml(edited) != document_to_yaml(original):
        status, conflict = save_or_explain(draft, document_to_yaml(edited), lock, editor="form")
        if status != 200:
            return render_editor(draft, edited, section, status=status, conflict=conflict,
                                 lock=conflict.latest_lock if conflict is not None else None)
    return redirect(url_for("trainer.remove_element", version_id=draft.id, section=section, path=path))


def _undo_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=UNDO_SALT)


def remove_element(version_id: int):
    """GET: what goes, and a button to confirm; changes nothing. POST: remove, save, offer undo."""
    draft = loaders.draft(version_id)
    section, path = request.values.get("section", "meta"), request.values.get("path", "")
    try:
        doc = plain_document(draft.source, max_bytes=max_bytes())
        segs = removable(doc, path, section)
    except (NotEditable, PathError):
        abort(404)
    element = get_at(doc, segs)
    name = element_name(doc, segs)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("lock") != str(draft.lock_version):
            flash(_("The draft was saved after you asked, so nothing was removed. Look at it again."), "error")
            return redirect(url_for("trainer.edit_form", version_id=draft.id, section=section))
        status, conflict = save_or_explain(draft, document_to_yaml(remove_at(doc, segs)), str(draft.lock_version),
                                           editor="form")
        if status != 200:
            return render_editor(draft, doc, section, status=status, conflict=conflict)
        doc = plain_document(draft.source, max_bytes=max_bytes())
        token = _undo_signer().dumps({"draft": draft.id, "made": draft.created_at.isoformat(),
                                      "lock": draft.lock_version, "path": path, "element": element,
                                      "section": section})
        if segs[:1] == ["domains"] and len(segs) == 2:
            remaining = len(doc.get("domains") or [])
            section = f"domain-{max(segs[1] - 1, 0)}" if remaining else "meta"
        return render_editor(draft, doc, section, undo=(name, token))
    return render_template("trainer/remove.html", draft=draft, section=section, path=path, name=name,
                           goes=what_goes_with(element), lock=draft.lock_version, form=form)


def restore_element(version_id: int):
    """Put the removed element back where it was, while the draft has not been saved since."""
    draft = loaders.draft(version_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        undo = _undo_signer().loads(request.form.get("undo", ""))
    except BadSignature:
        abort(400)
    # the draft's creation time too: a deleted draft's id may be given to a new one (SQLite)
    if not isinstance(undo, dict) or undo.get("draft") != draft.id or undo.get("made") != draft.created_at.isoformat():
        abort(400)
    section = section_of(str(undo.get("path", "")))
    if undo.get("lock") != draft.lock_version:
        flash(_("The draft was saved after the removal, so the removed element can no longer be restored."),
              "error")
        return redirect(url_for("trainer.edit_form", version_id=draft.id, section=undo.get("section", "meta")))
    try:
        doc = plain_document(draft.source, max_bytes=max_bytes())
        segs = field_path(str(undo["path"]))
        parent = get_at(doc, segs[:-1])
        if not isinstance(parent, list) or not isinstance(segs[-1], int) or not 0 <= segs[-1] <= len(parent):
            raise PathError(undo["path"])
    except (NotEditable, PathError, KeyError, IndexError):
        abort(400)
    parent.insert(segs[-1], undo["element"])
    status, conflict = save_or_explain(draft, document_to_yaml(doc), str(draft.lock_version), editor="form")
    if status != 200:
        return render_editor(draft, doc, section, status=status, conflict=conflict)
    flash(_("Restored: %(what)s.", what=element_name(doc, segs)), "success")
    return redirect(url_for("trainer.edit_form", version_id=draft.id, section=section))


def value_at(doc: dict, dotted: str) -> Any:
    node: Any = doc
    for part in dotted.split("."):
        node = node[int(part)] if isinstance(node, list) else node.get(part)
    return node
