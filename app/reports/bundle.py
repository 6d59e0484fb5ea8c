"""A ZIP of personal PDFs, written as it streams: each PDF is built just before it is sent, so
memory stays flat however many people are in it.

The response has started when an entry fails, so an error cannot become an error page; left to
propagate it would end the download mid-file, leaving HR with a broken archive and no word on
what is missing. A failed entry is logged and replaced by a plain-text note, the archive goes on
with the next entry, and a last note lists every report that is missing.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from typing import Callable, Iterable, Iterator, NamedTuple, Protocol, Sequence

log = logging.getLogger(__name__)
STAMP = (2026, 1, 1, 0, 0, 0)  # every entry's date: the archive does not reveal when it was made


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
NAME_LIMIT = 60  # characters of the person's name kept in an entry's name


def safe_part(text: str) -> str:
    """``text`` in ASCII letters, digits, ``-`` and ``_`` only: accents dropped (é → e),
    apostrophes removed, anything else one ``_``."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    plain = plain.replace("'", "").replace("`", "")
    return _UNSAFE.sub("_", plain).strip("_-")[:NAME_LIMIT].strip("_-")


def person_entry_name(nip: str, name: str, fallback: str) -> str:
    """``NIP_Name.pdf`` in safe characters (see ``safe_part``); ``fallback`` when nothing is left."""
    stem = "_".join(part for part in (safe_part(nip), safe_part(name)) if part)
    return f"{stem or safe_part(fallback) or 'laporan'}.pdf"


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2.pdf``, ``-3`` … when an earlier entry has it already."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{ext}"
    taken.add(candidate)
    return candidate


class ZipEntry(NamedTuple):
    """One file of the archive and how to build it."""

    name: str                      # the file name in the archive
    build: Callable[[], bytes]     # its content, built when its turn comes
    ref: str = ""                  # for the server log when it fails: names no person
    label: str = ""                # for HR's note when it fails: who it is


class FailureNotes(Protocol):
    """The texts written into the archive when entries fail (in the person's language)."""

    def note(self, entry: ZipEntry) -> tuple[str, str]:
        """(file name, text) of the note that stands in for ``entry``."""

    def summary(self, failed: Sequence[ZipEntry]) -> tuple[str, str]:
        """(file name, text) of the last note, listing every entry that failed."""


class _Sink(io.RawIOBase):
    """A write-only stream that hands over what was written since the last call."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    archive.writestr(zipfile.ZipInfo(name, date_time=STAMP), data)


def _text(text: str) -> bytes:
    """A note as UTF-8 with Windows line ends, which every text editor on an office PC opens."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def zip_stream(entries: Iterable[ZipEntry | tuple[str, Callable[[], bytes]]],
               notes: FailureNotes | None = None) -> Iterator[bytes]:
    """Yield a ZIP file piece by piece, one piece per entry.

    With ``notes``, an entry whose ``build`` raises is logged and replaced by ``notes.note``,
    and ``notes.summary`` is the last file when any entry failed; without, the error
    propagates (and the archive is cut). Entry names are made unique (``-2``, ``-3`` …)."""
    sink = _Sink()
    failed: list[ZipEntry] = []
    taken: set[str] = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for number, raw in enumerate(entries, 1):
            entry = ZipEntry(*raw)
            entry = entry._replace(name=_unique(entry.name, taken))  # two people of one name and NIP
            try:
                data = entry.build()
            except Exception:  # noqa: BLE001 - whatever broke one report must not cut the archive
                if notes is None:
                    raise
                log.exception("ZIP entry %d (%s) could not be built; a note stands in for it",
                              number, entry.ref or "no reference")
                failed.append(entry)
                name, text = notes.note(entry)
                _write(archive, name, _text(text))
            else:
                _write(archive, entry.name, data)
            yield sink.take()
        if failed and notes is not None:
            name, text = notes.summary(failed)
            _write(archive, name, _text(text))
    yield sink.take()
