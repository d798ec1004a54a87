"""Bytes packed with a numbered preset dictionary (zlib's `zdict`): instance states and large audit data.

A packed value is one byte naming its dictionary, then the zlib stream. zlib's own stream without a dictionary
starts with 0x78 ("x") and still reads, so dictionary numbers stay below 0x78. A released dictionary is data:
every value packed with it names it, so it is never edited nor deleted; a new one gets the next number.
"""

import zlib
from pathlib import Path


class Dictionaries:
    """The released dictionaries of one directory (`<number>.zdict`); values are packed with the newest."""

    def __init__(self, directory: Path, level: int = 6):
        self.directory, self.level = directory, level
        self.by_number = {int(path.stem): path.read_bytes() for path in directory.glob("*.zdict")}
        self.writing = max(self.by_number, default=None)

    def pack(self, raw: bytes) -> bytes:
        if self.writing is None:
            return zlib.compress(raw, self.level)
        packer = zlib.compressobj(self.level, zdict=self.by_number[self.writing])
        return bytes((self.writing,)) + packer.compress(raw) + packer.flush()

    def unpack(self, packed: bytes, what: str) -> bytes:
        """`what` names the value in the error when its dictionary is not in this release."""
        if packed[:1] == b"x":  # zlib's stream without a dictionary
            return zlib.decompress(packed)
        if packed[0] not in self.by_number:
            raise ValueError(f"{what} packed with dictionary {packed[0]}, which this release does not have")
        unpacker = zlib.decompressobj(zdict=self.by_number[packed[0]])
        return unpacker.decompress(packed[1:]) + unpacker.flush()

    def next_path(self) -> Path:
        """Where a new dictionary goes (make_state_dictionary.py, make_audit_dictionary.py)."""
        return self.directory / f"{max(self.by_number, default=0) + 1}.zdict"
