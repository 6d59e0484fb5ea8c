"""A ZIP of personal PDFs, written as it streams: each PDF is built just before it is sent, so
memory stays flat however many people are in it."""

from __future__ import annotations

import io
import zipfile
from typing import Callable, Iterable, Iterator


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


def zip_stream(entries: Iterable[tuple[str, Callable[[], bytes]]]) -> Iterator[bytes]:
    """Yield a ZIP file piece by piece; `entries` are (file name, function building the file)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, build in entries:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), build())
            yield sink.take()
    yield sink.take()
