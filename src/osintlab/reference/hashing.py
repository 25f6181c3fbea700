"""SHA-256 fingerprints of bytes and files, the integrity check every layer relies on.

Evidence packages, the datasets manifest and device extractions all record SHA-256 hashes so
that anyone can show later that a file has not changed since it was hashed.

    >>> sha256_bytes(b"abc")[:16]
    'ba7816bf8f01cfea'
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p) == sha256_bytes(b"abc")
    True
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["sha256_bytes", "sha256_file"]

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lower-case hex digits; ``TypeError`` for anything but bytes."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"sha256_bytes needs bytes, got {type(data).__name__} "
            "(encode text first, e.g. text.encode('utf-8'))"
        )
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    """SHA-256 of a file, read in chunks so large extractions do not fill memory;
    ``FileNotFoundError`` naming the path if there is no such file."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such file to hash")
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()
