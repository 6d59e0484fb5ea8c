"""Answer forms built from a questionnaire version, one form class per domain page: the
respondent's pages and the trainer's preview use the same ones.

WTForms renders the fields; the engine decides what a valid answer is (`check_answers`), so a
tampered value is refused by the same rules everywhere. The options of choice and multi items are
shown in the order `engine.option_order` gives for a seed (the assessment's, so each respondent
sees an order of their own, the same on every visit); without a seed, in file order. The values
posted are always option ids, whatever the order. A rating item that offers "not applicable" gets
that choice last (value ``"na"``). The respondent's pages build the form of the domain as the
person's position sees it (``Domain.for_position``), so items of other positions are neither
shown nor accepted."""

from __future__ import annotations

from typing import Any, Mapping

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import Form, RadioField, SelectMultipleField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from ..engine.model import NOT_APPLICABLE, Domain, Item
from ..engine.option_order import option_order
from .forms import choices as as_choices

NONE_OPTION = "__none__"
CONTROL_FIELDS = {"csrf_token", "action"}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def field_for(item: Item, lang: str, none_label: str, seed: int | str | None = None):
    """The form field of one item. Rating anchors keep their order (a scale), "Not applicable to
    my work" last where the item offers it; the options of choice and multi items follow
    ``option_order(item, seed)``, and "None of these" stays last."""
    label = item.text.get(lang)
    if item.type == "rating":
        choices = [(str(n), anchor.get(lang)) for n, anchor in enumerate(item.anchors, 1)]
        if item.not_applicable:
            choices.append((NOT_APPLICABLE, _("Not applicable to my work")))
        return RadioField(label, choices=as_choices(choices), validate_choice=False)
    options = [(o.id, o.text.get(lang)) for o in option_order(item, seed)]
    if item.type == "choice":
        return RadioField(label, choices=as_choices(options), validate_choice=False)
    if item.type == "multi":
        return CheckboxList(label, choices=as_choices(options + [(NONE_OPTION, none_label)]), validate_choice=False)
    return TextAreaField(label, render_kw={"maxlength": item.max_length, "rows": 4})


def domain_form_class(domain: Domain, lang: str, none_label: str, seed: int | str | None = None) -> type[Form]:
    """The form of one domain page; ``seed`` orders the options (None: file order)."""
    fields = {item.id: field_for(item, lang, none_label, seed) for item in domain.items}
    return type(f"DomainForm_{domain.id}", (Form,), fields)


def form_values(answers: Mapping[str, Any], domain: Domain) -> MultiDict:
    """Stored answers as form data, so the page shows what was saved."""
    data = MultiDict()
    for item in domain.items:
        value = answers.get(item.id)
        if value is None:
            continue
        if item.type == "multi":
            for option_id in value or [NONE_OPTION]:
                data.add(item.id, option_id)
        else:
            data.add(item.id, str(value))
    return data


class TamperedForm(ValueError):
    """Fields that no honest page of this domain sends."""


def answers_from_form(form: MultiDict, domain: Domain) -> dict[str, Any]:
    """Raw answers of a domain page, every item present (None = not answered).

    Refuses fields of other items or domains and duplicated single-value fields."""
    items = {item.id: item for item in domain.items}
    unknown = [key for key in form.keys() if key not in items and key not in CONTROL_FIELDS]
    if unknown:
        raise TamperedForm(", ".join(sorted(unknown)))
    raw: dict[str, Any] = {}
    for item_id, item in items.items():
        values = form.getlist(item_id)
        if item.type == "multi":
            picked = [v for v in values if v != NONE_OPTION]
            raw[item_id] = picked if picked or NONE_OPTION in values else None
        elif len(values) > 1:
            raise TamperedForm(item_id)
        else:
            raw[item_id] = values[0] if values else None
    return raw
