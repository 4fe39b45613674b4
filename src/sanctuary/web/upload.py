"""An uploaded population file, checked by its content before any reader sees it.

The comparison's readers (Polars, :mod:`gzip`) trust their input: a truncated gzip stream ends in an
``EOFError``, a file that only starts like Parquet in a Polars ``ComputeError``, and a small gzip stream with
no newline inflates into one line of gigabytes that the CSV reader holds in memory. An upload is an
attacker's bytes, so here it is streamed to a file of its own under the request's limit, a gzip stream is
inflated here (never more than :data:`MAX_INFLATED_BYTES`, and no line longer than :data:`MAX_LINE_BYTES`),
and a Parquet file must carry its format's marks at both ends. Whatever still goes wrong while the readers
read the file is the file's fault: :data:`READ_ERRORS` lists what they raise, which the route answers with
422 naming the body.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import polars as pl

from sanctuary.errors import BODY, InvalidInputError

MAX_INFLATED_BYTES = 256 * 1_048_576  # a gzip upload inflates to at most this (a 25 MiB CSV inflates ~5-10x)
MAX_LINE_BYTES = 1_048_576  # no record of a population file is near 1 MiB on one line
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"
_STEP = 1_048_576  # inflate this much at a time

#: What the readers raise on a file they cannot read (Polars' panics are ``BaseException``s, not ``Exception``s).
READ_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,  # the loaders' own refusals, and UnicodeDecodeError
    OSError,  # gzip.BadGzipFile among them
    EOFError,
    zlib.error,
    pl.exceptions.PolarsError,
    pl.exceptions.PanicException,
)


def refused(message: str) -> InvalidInputError:
    return InvalidInputError(f"the uploaded file {message}", BODY)


async def receive(chunks: AsyncIterator[bytes], folder: Path, filename: str) -> Path:
    """Write the uploaded body to ``folder`` (a gzip stream inflated on the way), checked by its content;
    the path of the plain file the readers are to read."""
    name = Path(filename).name
    gzipped = name.lower().endswith(".gz")
    path = folder / (name[:-3] if gzipped else name)
    inflater = _Inflater() if gzipped else None
    size = 0
    with path.open("wb") as out:
        async for chunk in chunks:
            size += len(chunk)
            out.writelines(inflater.feed(chunk) if inflater else (chunk,))
        if inflater:
            inflater.finish()
    if size == 0:
        raise refused("is empty")
    if path.suffix.lower() == ".parquet":
        _check_parquet(path)
    return path


def _check_parquet(path: Path) -> None:
    """A Parquet file starts and ends with ``PAR1`` and has room for its footer between them."""
    with path.open("rb") as fh:
        start = fh.read(4)
        fh.seek(0, 2)
        length = fh.tell()
        fh.seek(max(length - 4, 0))
        end = fh.read(4)
    if length < 12 or start != _PARQUET_MAGIC or end != _PARQUET_MAGIC:
        raise refused("is not a Parquet file (it lacks the format's PAR1 marks at its start and end)")


class _Inflater:
    """A gzip stream (one or more members) inflated piece by piece, bounded in total and per line."""

    def __init__(self) -> None:
        self.inflated = 0
        self.line = 0  # bytes since the last newline
        self.started = False
        self.stream: zlib._Decompress | None = None  # None: between members (or before the first)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The inflated pieces of ``data``, each at most ``_STEP`` long (never the whole at once)."""
        if not self.started and data:
            if not data.startswith(_GZIP_MAGIC[: len(data)]):
                raise refused("is named .gz but is not a gzip stream")
            self.started = True
        pending = False  # a full piece may leave more output inside the inflater, with no input left
        while data or pending:
            stream = self.stream = self.stream or zlib.decompressobj(wbits=31)
            try:
                piece = stream.decompress(data, _STEP)
            except zlib.error:
                raise refused("is not a valid gzip stream") from None
            self._count(piece)
            yield piece
            if stream.eof:  # one member ended: another may follow (concatenated gzip files)
                data, self.stream, pending = stream.unused_data, None, False
            else:
                data, pending = stream.unconsumed_tail, len(piece) == _STEP

    def finish(self) -> None:
        if not self.started or self.stream is not None:
            raise refused("is a gzip stream that ends too early")

    def _count(self, piece: bytes) -> None:
        self.inflated += len(piece)
        if self.inflated > MAX_INFLATED_BYTES:
            raise refused(f"inflates to more than {MAX_INFLATED_BYTES:,} bytes")
        first, last = piece.find(b"\n"), piece.rfind(b"\n")
        # A piece is at most _STEP (= MAX_LINE_BYTES) long: only the lines at its two ends can be longer.
        if first < 0:
            self.line += len(piece)
        else:
            if self.line + first > MAX_LINE_BYTES:
                self.line += first
            else:
                self.line = len(piece) - last - 1
        if self.line > MAX_LINE_BYTES:
            raise refused(f"has a line longer than {MAX_LINE_BYTES:,} bytes")
