"""What changed between two versions of a questionnaire, in words a trainer reads.

``diff`` matches everything by id, never by position (scale levels by their number, caps by
their item, targets by position and domain), and lists the changes in questionnaire order:
metadata, scale, scoring, caps, each domain followed by its items and their options, positions
with their targets, modules. A removed entry is listed where it stood in the old version. An item
that moved to another domain is one change of its field ``domain``, listed under its new domain.
Texts are compared per language (field ``text.id``, ``name.en`` …); anchors and domain level
descriptions, which have no ids, per position (``anchors.0.en``, ``levels.2.example.id``), or as a
whole when their number changed. Importance is compared as used (a missing importance is 1).
Reordering without other change is reported as ``*_order`` fields (old and new id lists).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from .messages import LANGUAGE_NAMES, Bi
from .model import Cap, Domain, Item, Module, Position, Questionnaire, Text

KINDS = ("added", "removed", "changed")
AREAS = ("metadata", "scale", "scoring", "domain", "item", "option", "cap", "position", "target",
         "module")


@dataclass(frozen=True)
class Change:
    """One change. ``key`` names the thing (an item id, ``item-id/option-id``,
    ``position-id/domain-id``, a level number; ``""`` for metadata and scoring); ``field`` the
    changed part (None when the whole thing was added or removed, then ``old``/``new`` hold it)."""

    kind: str
    area: str
    key: str
    field: str | None = None
    old: Any = None
    new: Any = None


def _merged(old: list[str], new: list[str]) -> list[str]:
    """New keys in new order, each removed key right after its old predecessor."""
    out = list(new)
    kept = set(new)
    for i, key in enumerate(old):
        if key not in kept:
            out.insert(out.index(old[i - 1]) + 1 if i else 0, key)
            kept.add(key)
    return out


def _text(area: str, key: str, name: str, old: Text | None, new: Text | None) -> Iterator[Change]:
    if old is None or new is None:
        if old != new:
            yield Change("changed", area, key, name, old, new)
        return
    for lang in ("id", "en"):
        if old.get(lang) != new.get(lang):
            yield Change("changed", area, key, f"{name}.{lang}", old.get(lang), new.get(lang))


def _values(area: str, key: str, old: Any, new: Any, fields: Iterable[str]) -> Iterator[Change]:
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if isinstance(before, Text) or isinstance(after, Text):
            yield from _text(area, key, name, before, after)
        elif before != after:
            yield Change("changed", area, key, name, before, after)


def _order(area: str, key: str, name: str, old: list[str], new: list[str]) -> Iterator[Change]:
    common = set(old) & set(new)
    before, after = [k for k in old if k in common], [k for k in new if k in common]
    if before != after:
        yield Change("changed", area, key, name, tuple(old), tuple(new))


def _entries(area: str, old: dict[str, Any], new: dict[str, Any], key: Callable[[str], str],
             changes: Callable[[str, Any, Any], Iterator[Change]]) -> Iterator[Change]:
    """Added, removed and changed entries of two id → object maps, in merged order."""
    for k in _merged(list(old), list(new)):
        if k not in new:
            yield Change("removed", area, key(k), None, old[k], None)
        elif k not in old:
            yield Change("added", area, key(k), None, None, new[k])
        else:
            yield from changes(key(k), old[k], new[k])


def _positional(area: str, key: str, name: str, old: tuple, new: tuple,
                parts: tuple[str, ...]) -> Iterator[Change]:
    """Entries without ids (anchors, domain levels): per position, or whole if counts differ."""
    if len(old) != len(new):
        yield Change("changed", area, key, name, old, new)
        return
    for i, (before, after) in enumerate(zip(old, new)):
        if parts:
            for part in parts:
                yield from _text(area, key, f"{name}.{i}.{part}", getattr(before, part),
                                 getattr(after, part))
        else:
            yield from _text(area, key, f"{name}.{i}", before, after)


def _item(key: str, old: Item, new: Item) -> Iterator[Change]:
    if old.domain_id != new.domain_id:
        yield Change("changed", "item", key, "domain", old.domain_id, new.domain_id)
    yield from _values("item", key, old, new, ("type", "text", "required", "positions",
                                              "not_applicable", "unscored"))
    if old.scored and new.scored:
        yield from _values("item", key, old, new, ("weight",))
    if not old.scored and not new.scored:
        yield from _values("item", key, old, new, ("max_length",))
    yield from _positional("item", key, "anchors", old.anchors, new.anchors, ())
    old_options, new_options = [o.id for o in old.options], [o.id for o in new.options]
    yield from _order("item", key, "option_order", old_options, new_options)
    yield from _entries("option", {o.id: o for o in old.options}, {o.id: o for o in new.options},
                        lambda o: f"{key}/{o}",
                        lambda k, a, b: _values("option", k, a, b, ("text", "score")))


def _domain(key: str, old: Domain, new: Domain) -> Iterator[Change]:
    yield from _values("domain", key, old, new, ("name", "description"))
    yield from _positional("domain", key, "levels", old.levels, new.levels,
                           ("descriptor", "example"))
    yield from _order("domain", key, "item_order", [i.id for i in old.items],
                      [i.id for i in new.items])


def _domains(old: Questionnaire, new: Questionnaire) -> Iterator[Change]:
    old_items, new_items = {i.id: i for i in old.items}, {i.id: i for i in new.items}
    item_order = _merged(list(old_items), list(new_items))
    old_domains, new_domains = {d.id: d for d in old.domains}, {d.id: d for d in new.domains}
    for domain_id in _merged(list(old_domains), list(new_domains)):
        if domain_id not in new_domains:
            yield Change("removed", "domain", domain_id, None, old_domains[domain_id], None)
        elif domain_id not in old_domains:
            yield Change("added", "domain", domain_id, None, None, new_domains[domain_id])
        else:
            yield from _domain(domain_id, old_domains[domain_id], new_domains[domain_id])
        here = [k for k in item_order
                if (new_items[k] if k in new_items else old_items[k]).domain_id == domain_id]
        yield from _entries("item", {k: old_items[k] for k in here if k in old_items},
                            {k: new_items[k] for k in here if k in new_items}, str, _item)


def _caps(caps: tuple[Cap, ...]) -> dict[str, Cap]:
    out: dict[str, Cap] = {}
    for cap in caps:
        key, n = cap.item_id, 1
        while key in out:  # a second cap on the same item
            n += 1
            key = f"{cap.item_id}#{n}"
        out[key] = cap
    return out


def _position(key: str, old: Position, new: Position) -> Iterator[Change]:
    yield from _values("position", key, old, new, ("name",))
    for domain_id in _merged(list(old.targets), list(new.targets)):
        at = f"{key}/{domain_id}"
        if domain_id not in new.targets:
            yield Change("removed", "target", at, "target", old.targets[domain_id], None)
        elif domain_id not in old.targets:
            yield Change("added", "target", at, "target", None, new.targets[domain_id])
        else:
            for name, before, after in (
                    ("target", old.targets[domain_id], new.targets[domain_id]),
                    ("importance", old.importance_of(domain_id), new.importance_of(domain_id))):
                if before != after:
                    yield Change("changed", "target", at, name, before, after)


def _module(key: str, old: Module, new: Module) -> Iterator[Change]:
    yield from _values("module", key, old, new, ("title",))
    if old.domain_id != new.domain_id:
        yield Change("changed", "module", key, "domain", old.domain_id, new.domain_id)
    yield from _values("module", key, old, new,
                       ("from_level", "to_level", "jp", "mode", "provider", "curriculum"))


def _ids(things: Iterable[Any]) -> dict[str, Any]:
    return {t.id: t for t in things}


def diff(old: Questionnaire, new: Questionnaire) -> list[Change]:
    """Every change from ``old`` to ``new``, in questionnaire order (see the module notes)."""
    changes: list[Change] = []
    changes += _values("metadata", "", old, new, ("format", "id", "title", "description"))
    changes += _entries(
        "scale", {str(lv.level): lv for lv in old.scale}, {str(lv.level): lv for lv in new.scale},
        str, lambda k, a, b: _values("scale", k, a, b, ("name", "descriptor")))
    changes += _values("scoring", "", old.scoring, new.scoring,
                       ("model", "combine", "thresholds", "rounding", "scenario_check",
                        "min_answered"))
    changes += _entries("cap", _caps(old.scoring.caps), _caps(new.scoring.caps), str,
                        lambda k, a, b: _values("cap", k, a, b, ("below", "max_level", "reason")))
    changes += _order("metadata", "", "domain_order", [d.id for d in old.domains],
                      [d.id for d in new.domains])
    changes += _domains(old, new)
    changes += _order("metadata", "", "position_order", [p.id for p in old.positions],
                      [p.id for p in new.positions])
    changes += _entries("position", _ids(old.positions), _ids(new.positions), str, _position)
    changes += _order("metadata", "", "module_order", [m.id for m in old.modules],
                      [m.id for m in new.modules])
    changes += _entries("module", _ids(old.modules), _ids(new.modules), str, _module)
    changes += _entries("mode", {m.mode: m for m in old.modes}, {m.mode: m for m in new.modes}, str,
                        lambda k, a, b: _values("mode", k, a, b, ("route", "cost_per", "amount", "class_size")))
    return changes


# -- in words ---------------------------------------------------------------------------

_SUBJECTS = {
    "metadata": Bi("kuesioner", "the questionnaire"),
    "scale": Bi("tingkat {key}", "level {key}"),
    "scoring": Bi("aturan penskoran", "the scoring rules"),
    "domain": Bi("domain '{key}'", "domain '{key}'"),
    "item": Bi("butir '{key}'", "item '{key}'"),
    "option": Bi("pilihan '{second}' pada butir '{first}'", "option '{second}' of item '{first}'"),
    "cap": Bi("batas tingkat pada butir '{key}'", "the level cap on item '{key}'"),
    "position": Bi("jabatan '{key}'", "position '{key}'"),
    "target": Bi("jabatan '{first}' untuk domain '{second}'",
                 "position '{first}' for domain '{second}'"),
    "module": Bi("modul '{key}'", "module '{key}'"),
    "mode": Bi("moda '{key}'", "mode '{key}'"),
}

_FIELDS = {
    "format": Bi("versi format", "format version"), "id": Bi("id", "id"),
    "title": Bi("judul", "title"), "description": Bi("deskripsi", "description"),
    "name": Bi("nama", "name"), "descriptor": Bi("deskriptor", "descriptor"),
    "example": Bi("contoh", "example"),
    "combine": Bi("cara penggabungan skor", "way of combining scores"),
    "thresholds": Bi("ambang skor", "score thresholds"),
    "model": Bi("model penskoran", "scoring model"),
    "rounding": Bi("pembulatan penilaian diri", "rounding of the self-rating"),
    "scenario_check": Bi("tahap pemeriksaan skenario", "scenario check tiers"),
    "min_answered": Bi("bagian minimum butir terjawab", "minimum share of answered items"),
    "below": Bi("batas skor butir", "item score limit"),
    "max_level": Bi("tingkat tertinggi", "highest level"), "reason": Bi("alasan", "reason"),
    "levels": Bi("jumlah deskripsi tingkat", "number of level descriptions"),
    "anchors": Bi("jumlah jangkar", "number of anchors"), "anchor": Bi("jangkar", "anchor"),
    "domain": Bi("domain", "domain"), "type": Bi("jenis", "type"), "text": Bi("teks", "text"),
    "required": Bi("status wajib dijawab", "required status"), "weight": Bi("bobot", "weight"),
    "max_length": Bi("panjang maksimum", "maximum length"), "score": Bi("skor", "score"),
    "target": Bi("target tingkat", "target level"),
    "importance": Bi("bobot kepentingan", "importance"),
    "from_level": Bi("tingkat awal", "starting level"),
    "to_level": Bi("tingkat akhir", "final level"),
    "jp": Bi("jumlah JP", "lesson hours (JP)"), "mode": Bi("moda", "mode"),
    "provider": Bi("penyelenggara", "provider"), "curriculum": Bi("standar kurikulum", "curriculum standard"),
    "route": Bi("jalur", "route"), "cost_per": Bi("dasar biaya", "cost basis"), "amount": Bi("biaya", "cost"),
    "class_size": Bi("ukuran kelas", "class size"),
    "item_order": Bi("urutan butir", "order of the items"),
    "option_order": Bi("urutan pilihan", "order of the options"),
    "domain_order": Bi("urutan domain", "order of the domains"),
    "position_order": Bi("urutan jabatan", "order of the positions"),
    "module_order": Bi("urutan modul", "order of the modules"),
}

_SENTENCES = {
    "added": Bi("{Subject}{label} ditambahkan.", "{Subject}{label} was added."),
    "removed": Bi("{Subject}{label} dihapus.", "{Subject}{label} was removed."),
    "item_added": Bi("{Subject}{label} ditambahkan ke domain '{domain}'.",
                     "{Subject}{label} was added to domain '{domain}'."),
    "item_removed": Bi("{Subject}{label} dihapus dari domain '{domain}'.",
                       "{Subject}{label} was removed from domain '{domain}'."),
    "field_added": Bi("{Field} {subject} ditambahkan: {new}.",
                      "The {field} of {subject} was added: {new}."),
    "field_removed": Bi("{Field} {subject} dihapus (sebelumnya {old}).",
                        "The {field} of {subject} was removed (it was {old})."),
    "changed": Bi("{Field} {subject} diubah dari {old} menjadi {new}.",
                  "The {field} of {subject} changed from {old} to {new}."),
    "moved": Bi("{Subject} dipindahkan dari domain '{old}' ke domain '{new}'.",
                "{Subject} moved from domain '{old}' to domain '{new}'."),
    "none": Bi("(tidak ada)", "(none)"), "yes": Bi("ya", "yes"), "no": Bi("tidak", "no"),
    "of_level": Bi("{part} tingkat {n}", "{part} of level {n}"),
    "numbered": Bi("{part} {n}", "{part} {n}"),
    "in_lang": Bi("{part} (bahasa {lang})", "{part} ({lang})"),
}
_MAX_QUOTE = 120


def _pick(bi: Bi, lang: str) -> str:
    return bi.en if lang == "en" else bi.id


def _quote(text: str) -> str:
    return "“" + (text if len(text) <= _MAX_QUOTE else text[:_MAX_QUOTE - 1] + "…") + "”"


def _value(value: Any, lang: str, field: str) -> str:
    if value is None:
        return _pick(_SENTENCES["none"], lang)
    if isinstance(value, bool):
        return _pick(_SENTENCES["yes" if value else "no"], lang)
    if isinstance(value, float):
        return repr(value).replace(".", ",") if lang != "en" else repr(value)
    if isinstance(value, Text):
        return _quote(value.get(lang))
    if isinstance(value, tuple):
        if field in ("anchors", "levels"):
            return str(len(value))
        if not value:
            return _pick(_SENTENCES["none"], lang)
        return ", ".join(_value(v, lang, field) for v in value)
    if isinstance(value, str) and field.rpartition(".")[2] in LANGUAGE_NAMES and "." in field:
        return _quote(value)
    return str(value)


def _field(field: str, lang: str) -> str:
    parts = field.split(".")
    pick = lambda key, **kw: _pick(_SENTENCES[key], lang).format(**kw)  # noqa: E731
    if parts[0] == "levels" and len(parts) > 2:
        label = pick("of_level", part=_pick(_FIELDS[parts[2]], lang), n=int(parts[1]) + 1)
    elif parts[0] == "anchors" and len(parts) > 1:
        label = pick("numbered", part=_pick(_FIELDS["anchor"], lang), n=int(parts[1]) + 1)
    else:
        label = _pick(_FIELDS.get(parts[0], Bi(parts[0], parts[0])), lang)
    if parts[-1] in LANGUAGE_NAMES and len(parts) > 1:
        label = pick("in_lang", part=label, lang=_pick(LANGUAGE_NAMES[parts[-1]], lang))
    return label


def _label(thing: Any, lang: str) -> str:
    text = next((getattr(thing, a) for a in ("text", "name", "title", "reason")
                 if isinstance(getattr(thing, a, None), Text)), None)
    return f" ({_quote(text.get(lang))})" if text is not None else ""


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(change: Change, lang: str = "id") -> str:
    """One plain sentence about ``change``, in Indonesian (``id``) or English (``en``)."""
    first, _, second = change.key.partition("/")
    subject = _pick(_SUBJECTS[change.area], lang).format(key=change.key, first=first,
                                                          second=second)
    if change.field is None:
        thing = change.new if change.kind == "added" else change.old
        template, field = change.kind, ""
        if isinstance(thing, Item):
            template = f"item_{change.kind}"
    else:
        thing, field = None, _field(change.field, lang)
        template = ("moved" if change.area == "item" and change.field == "domain"
                    else change.kind if change.kind == "changed" else f"field_{change.kind}")
    field_name = change.field or ""
    return _pick(_SENTENCES[template], lang).format(
        Subject=_upper(subject), subject=subject, Field=_upper(field), field=field,
        label=_label(thing, lang) if thing is not None else "",
        domain=getattr(thing, "domain_id", ""),
        old=change.old if template == "moved" else _value(change.old, lang, field_name),
        new=change.new if template == "moved" else _value(change.new, lang, field_name))
