"""The Indonesian catalog is complete: every interface string has a translation that keeps its
placeholders, including strings added to the source since translations/messages.pot was extracted.

When a test here fails after you added or changed an interface string:
    make extract-messages   (pybabel extract + pybabel update; see the Makefile)
then translate the new entries in translations/id/LC_MESSAGES/messages.po (no "fuzzy" flags)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "translations" / "messages.pot"
PO_ID = ROOT / "translations" / "id" / "LC_MESSAGES" / "messages.po"

# %(name)s, %(count)d, %(n)d, %(value)r ... (named Python %-format placeholders)
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def key(message) -> str:
    """The singular msgid, which is what gettext looks up."""
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def translations_of(message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return list(message.string)
    return [message.string]


def is_translated(message) -> bool:
    return (message is not None and not message.fuzzy
            and all(text and text.strip() for text in translations_of(message)))


def describe(ids) -> str:
    return "\n".join(f"  - {msgid!r}" for msgid in sorted(ids))


@pytest.fixture(scope="module")
def pot() -> Catalog:
    return read_catalog(POT)


@pytest.fixture(scope="module")
def catalog_id() -> Catalog:
    return read_catalog(PO_ID, locale="id")


def test_indonesian_catalog_header(catalog_id):
    assert catalog_id.num_plurals == 1, "Indonesian has one plural form: nplurals=1; plural=0;"
    assert not catalog_id.fuzzy, "Remove the fuzzy flag from the header of the Indonesian catalog."


def test_every_template_message_is_translated(pot, catalog_id):
    untranslated = [key(m) for m in pot if m.id and not is_translated(catalog_id.get(m.id))]
    assert not untranslated, (
        f"{len(untranslated)} message(s) of messages.pot have no (or only a fuzzy) Indonesian "
        f"translation in {PO_ID.relative_to(ROOT)}:\n{describe(untranslated)}")


def test_no_fuzzy_or_empty_entries(catalog_id):
    bad = [key(m) for m in catalog_id if m.id and not is_translated(m)]
    assert not bad, f"Fuzzy or empty entries in the Indonesian catalog:\n{describe(bad)}"


def test_translations_keep_placeholders(catalog_id):
    problems = []
    for message in catalog_id:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        expected = {name for msgid in ids for name in PLACEHOLDER_RE.findall(msgid)}
        for text in translations_of(message):
            found = set(PLACEHOLDER_RE.findall(text or ""))
            if text and found != expected:
                missing, extra = expected - found, found - expected
                problems.append(f"  - {key(message)!r}: missing {sorted(missing)}, unknown {sorted(extra)}")
    assert not problems, "Translations whose placeholders differ from the msgid:\n" + "\n".join(problems)


def test_every_string_in_the_source_is_translated(tmp_path, catalog_id):
    """Re-extract from the source (as `make extract-messages` does) so a new, untranslated string fails
    here by name even before messages.pot is regenerated."""
    extracted = tmp_path / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(extracted), "."],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"pybabel extract failed:\n{result.stdout}\n{result.stderr}"
    source = read_catalog(extracted)
    assert len(source) > 0, "pybabel extract found no messages; is babel.cfg right?"
    untranslated = [key(m) for m in source if m.id and not is_translated(catalog_id.get(m.id))]
    assert not untranslated, (
        f"{len(untranslated)} string(s) in the source have no Indonesian translation. Run "
        f"`make extract-messages` and translate them in {PO_ID.relative_to(ROOT)}:\n{describe(untranslated)}")
