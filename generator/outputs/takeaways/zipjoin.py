"""Zip files joined from deflate segments made earlier, so that a file holding thousands of
records' parts (a compilation's Word document, the data workbook) is put together without
compressing again what did not change.

Each part is compressed once as a raw deflate segment that ends on a byte boundary
(`Z_SYNC_FLUSH`) and refers to nothing before itself: such segments may be concatenated, and
one final empty block ends the stream. Only the CRC-32 runs over the whole text, and it is
combined from each segment's own. The zip is written here because zipfile compresses what it is
given and cannot take compressed data. Entries are dated 1980-01-01, so the same parts give the
same bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple


class Deflated(NamedTuple):  # a tuple: thousands are read back from the cache on every build
    """A text's raw deflate segment, which ends on a byte boundary and refers to nothing before it,
    with what the CRC-32 of a text that goes on with this one needs: the text's own CRC and length,
    and the CRC of as many zero bytes (so the text itself need not be kept)."""

    crc: int
    size: int
    zeros_crc: int
    packed: bytes

    @classmethod
    def of(cls, raw: bytes) -> Deflated:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(zlib.crc32(raw), len(raw), _zeros_crc(len(raw), 0), packer.compress(raw) + packer.flush(zlib.Z_SYNC_FLUSH))

    @classmethod
    def joined(cls, parts: Sequence[Deflated]) -> Deflated:
        """The segment of the parts' texts one after another ([]: of no text)."""
        crc, size = 0, 0
        for part in parts:
            crc, size = part.crc_after(crc), size + part.size
        return cls(crc, size, _zeros_crc(size, 0), b"".join(part.packed for part in parts))

    def crc_after(self, crc: int) -> int:
        """The CRC-32 of a text whose CRC is crc followed by this one.

        CRC-32 is affine in its start value and its data: crc32(B, s) = crc32(zeros, s) ^ crc32(B, 0)
        ^ crc32(zeros, 0), with as many zeros as B has bytes (zlib's crc32_combine, which Python
        does not expose, rests on the same identity).
        """
        return _zeros_crc(self.size, crc) ^ self.crc ^ self.zeros_crc


_ZEROS = memoryview(bytes(1 << 17))


def _zeros_crc(count: int, crc: int) -> int:
    """zlib.crc32(bytes(count), crc), without making the zeros: by zlib over them when they are
    few, else as zlib's crc32_combine works it out (the CRC register times x^(8 count), modulo the
    CRC's polynomial), in some 0.1 ms however many (the workbook joins runs of megabytes)."""
    if count <= len(_ZEROS):
        return zlib.crc32(_ZEROS[:count], crc)
    return _times_mod_p(_x_to_8n(count), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF


_POLYNOMIAL = 0xEDB88320  # CRC-32's, bits reflected as zlib keeps it


def _times_mod_p(a: int, b: int) -> int:
    """a(x) b(x) modulo the polynomial, in zlib's reflected bits (its multmodp); a is not 0."""
    m, product = 1 << 31, 0
    while True:
        if a & m:
            product ^= b
            if not a & (m - 1):
                return product
        m >>= 1
        b = (b >> 1) ^ _POLYNOMIAL if b & 1 else b >> 1


_X_TO_2_TO = [1 << 30]  # x^(2^k) modulo the polynomial, k = 0, 1, ... 31 (zlib's x2n_table)
for _ in range(31):
    _X_TO_2_TO.append(_times_mod_p(_X_TO_2_TO[-1], _X_TO_2_TO[-1]))


def _x_to_8n(n: int) -> int:
    """x^(8 n) modulo the polynomial (zlib's x2nmodp(n, 3)): n zero bytes' effect on the register."""
    power, k = 1 << 31, 3
    while n:
        if n & 1:
            power = _times_mod_p(_X_TO_2_TO[k & 31], power)
        n >>= 1
        k += 1
    return power


_LAST_BLOCK = b"\x03\x00"  # an empty final block: ends a stream of segments


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    crc: int
    size: int
    packed: bytes

    @classmethod
    def of(cls, name: str, segments: Iterable[Deflated]) -> Entry:
        crc, size, packed = 0, 0, []
        for s in segments:
            crc, size = s.crc_after(crc), size + s.size
            packed.append(s.packed)
        packed.append(_LAST_BLOCK)
        return cls(name, crc, size, b"".join(packed))

    @classmethod
    def whole(cls, name: str, raw: bytes) -> Entry:
        return cls(name, zlib.crc32(raw), len(raw), zlib.compress(raw, 6, wbits=-15))


def zip_of(entries: Iterable[Entry]) -> bytes:
    """A zip of deflated entries, each dated 1980-01-01 00:00 (the format of zipfile, without its clock)."""
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        name = e.name.encode("ascii")
        fields = (8, 0, 0x21, e.crc, len(e.packed), e.size, len(name))  # deflate, 00:00, 1980-01-01
        header = struct.pack("<IHH HHHIIIHH", 0x04034B50, 20, 0, *fields, 0) + name
        central.append(struct.pack("<IHHH HHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset) + name)
        local += (header, e.packed)
        offset += len(header) + len(e.packed)
    size = sum(map(len, central))
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, offset, 0)
    return b"".join([*local, *central, end])
