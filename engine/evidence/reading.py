"""Reading evidence: encodings, line ends, and blocks of whole lines.

- Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE with or without BOM (PowerShell 5.1
  `Out-File`, Event Viewer exports), cp1252; invalid bytes become U+FFFD, never an error.
- Lines end at `\\n`, `\\r\\n` or a lone `\\r` only (not at the other characters
  `str.splitlines` splits on), so line numbers match what an editor shows.
- Files are read in 1 MiB chunks: memory stays flat whatever the size. Each chunk is cut after
  its last line break; the rest waits for the next chunk (a "line" of more than a megabyte is
  cut where the chunk ends).

`iter_blocks` decodes every chunk (the way for UTF-16). `iter_byte_blocks` gives the same
blocks as bytes for the encodings that write ASCII as ASCII (UTF-8, cp1252): the scanner then
looks at all-ASCII blocks without decoding them. Both cut in exactly the same places, so a
file's blocks, and so its hits, do not depend on which reader read it.
"""

from __future__ import annotations

import codecs
from typing import BinaryIO, Callable, Iterator

CHUNK_BYTES = 1 << 20          # 1 MiB of input per read
MAX_LINE_CHARS = 1 << 20       # a "line" longer than this is cut (minified or binary-ish data)
SNIFF_BYTES = 64 * 1024
ASCII_SUPERSETS = ("utf-8", "utf-8-sig", "cp1252")


def sniff_encoding(head: bytes, whole: bool = True) -> str | None:
    """The encoding of a file from its first bytes (`whole`: they are the entire file);
    None if it looks binary."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"             # the codec reads the BOM and picks the byte order
    sample = head[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd and odd.count(0) > 0.3 * len(odd) and _texty(even):
            return "utf-16-le"
        if even and even.count(0) > 0.3 * len(even) and _texty(odd):
            return "utf-16-be"
        return None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if sample and controls > 0.1 * len(sample):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _texty(low_bytes: bytes) -> bool:
    """The low bytes of UTF-16 text: mostly printable, hardly ever zero."""
    printable = sum(1 for b in low_bytes if b >= 32 or b in (9, 10, 13))
    return low_bytes.count(0) < 0.05 * len(low_bytes) and printable >= 0.8 * len(low_bytes)


def _decoder(encoding: str):
    return codecs.getincrementaldecoder(encoding)(errors="replace")


def block_text(block: bytes, encoding: str) -> str:
    """A block of `iter_byte_blocks` as text (blocks end after a line break, so no character
    is ever split between two of them)."""
    return block.decode("cp1252" if encoding == "cp1252" else "utf-8", "replace")


def iter_blocks(stream: BinaryIO, encoding: str, on_bytes: Callable[[int], None] | None = None,
                carry: str = "", decoder=None,
                on_long_line: Callable[[], None] | None = None) -> Iterator[str]:
    """Decoded text in blocks of whole lines, each block's line breaks normalised to '\\n'.
    A line longer than MAX_LINE_CHARS is cut to that length and the rest of it skipped: it
    still counts as one line, so the line numbers after it stay true (`on_long_line` is told).
    (`carry` and `decoder`: the state of a reader that hands over, see iter_byte_blocks.)"""
    decoder = decoder if decoder is not None else _decoder(encoding)
    skipping = False                 # inside the rest of a line that was cut
    while True:
        raw = stream.read(CHUNK_BYTES)
        final = not raw
        text = carry + decoder.decode(raw, final=final)
        if on_bytes is not None and raw:
            on_bytes(len(raw))
        if not final and text.endswith("\r"):
            text, carry = text[:-1], "\r"      # it may be the first half of '\r\n'
        else:
            carry = ""
        if "\r" in text:                         # most logs have none: skip both passes
            text = text.replace("\r\n", "\n")
            if "\r" in text:
                text = text.replace("\r", "\n")
        if skipping:
            cut = text.find("\n")
            if cut < 0:
                if final:
                    return
                continue                          # still the long line: drop it
            text, skipping = text[cut:], False    # its line break ends the kept part
        if final:
            if text:
                yield text
            return
        cut = text.rfind("\n")
        if cut < 0:
            if len(text) > MAX_LINE_CHARS:     # no line break for a megabyte: keep its start
                if on_long_line is not None:
                    on_long_line()
                yield text[:MAX_LINE_CHARS]
                skipping, carry = True, ""
                continue
            carry = text + carry
            continue
        yield text[: cut + 1]
        carry = text[cut + 1:] + carry


class LongLine(Exception):
    """A chunk without a line break, met while reading a range of a file (see
    `iter_range_blocks`): its blocks depend on what came before; read the file whole."""


def iter_byte_blocks(stream: BinaryIO, encoding: str,
                     on_bytes: Callable[[int], None] | None = None,
                     on_long_line: Callable[[], None] | None = None) -> Iterator[bytes | str]:
    """The blocks `iter_blocks` gives, as bytes (normalised line breaks; a UTF-8 BOM left
    out), for an encoding in ASCII_SUPERSETS. A chunk without any line break (a line of a
    megabyte or more) hands the rest of the file over to `iter_blocks`, which yields str."""
    return _byte_blocks(stream, encoding, on_bytes, b"", stream.tell() == 0, None,
                        on_long_line=on_long_line)


def iter_range_blocks(stream: BinaryIO, encoding: str, begin: int, boundary: int, stop: int,
                      eof: bool) -> Iterator[bytes]:
    """The blocks `iter_byte_blocks` gives for the part of a file from chunk boundary
    `boundary` to chunk boundary (or end of file) `stop`, `begin` being `range_start` of
    `boundary`: the same blocks in the same places, so ranges read by several processes give
    what one reader gives. LongLine if a chunk holds no line break."""
    stream.seek(begin)
    carry = stream.read(boundary - begin)
    return _byte_blocks(stream, encoding, None, carry, begin == 0, stop, eof)


def _byte_blocks(stream, encoding, on_bytes, carry: bytes, at_start: bool, stop: int | None,
                 eof: bool = True, on_long_line=None):
    while True:
        size = CHUNK_BYTES if stop is None else max(0, min(CHUNK_BYTES, stop - stream.tell()))
        read = stream.read(size) if size else b""
        raw = read
        if at_start and encoding == "utf-8-sig" and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        final = not read
        if not final and b"\r" not in raw and b"\r" not in carry:     # the usual case, and
            cut = raw.rfind(b"\n")                                     # one copy of the chunk
            if cut >= 0:
                at_start = False
                if on_bytes is not None:
                    on_bytes(len(read))
                yield b"".join((carry, memoryview(raw)[: cut + 1]))
                carry = raw[cut + 1:]
                continue
        data = carry + raw
        if not final and b"\n" not in data and b"\r" not in data[:-1]:
            if stop is not None:
                raise LongLine()
            yield from _hand_over(stream, encoding, on_bytes, carry, len(read), at_start,
                                  on_long_line)
            return
        at_start = False
        if on_bytes is not None and read:
            on_bytes(len(read))
        if not final and data.endswith(b"\r"):
            data, carry = data[:-1], b"\r"
        else:
            carry = b""
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n")
            if b"\r" in data:
                data = data.replace(b"\r", b"\n")
        if final:
            if data and eof:
                yield data
            return
        cut = data.rfind(b"\n")
        yield data[: cut + 1]
        carry = data[cut + 1:] + carry


def _hand_over(stream, encoding, on_bytes, carry: bytes, read: int, at_start: bool,
               on_long_line=None):
    """Go on with `iter_blocks` from exactly the state it would be in: the carried bytes
    decoded (an incomplete last character stays in its decoder), this chunk read again."""
    codec = "cp1252" if encoding == "cp1252" else ("utf-8-sig" if at_start else "utf-8")
    decoder = _decoder(codec)
    text = decoder.decode(carry, final=False)
    stream.seek(stream.tell() - read)
    yield from iter_blocks(stream, codec, on_bytes, carry=text, decoder=decoder,
                           on_long_line=on_long_line)


def range_start(stream: BinaryIO, boundary: int) -> int | None:
    """Where the block after chunk boundary `boundary` (a multiple of CHUNK_BYTES) starts in a
    file read by `iter_byte_blocks` from its beginning: after the last line break before the
    boundary (a '\\r' just before it waits for the next chunk). None if there is no line
    break in the chunk before it (the long-line rule makes blocks depend on what came before:
    read such a file from its beginning)."""
    if boundary == 0:
        return 0
    stream.seek(boundary - CHUNK_BYTES)
    chunk = stream.read(CHUNK_BYTES)
    if chunk.endswith(b"\r"):
        chunk = chunk[:-1]
    cut = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
    if cut < 0:
        return None
    return boundary - CHUNK_BYTES + cut + 1
