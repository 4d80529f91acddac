"""The server's store of captured files: each kept once, named by its SHA-256, readable only by
the service's own account (0600 in 0700 folders, as core/private_files.py makes them).

A file is written under a temporary name and renamed into place, so a file under its hash is
always whole; two captures of the same content share one file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from ripa_guard.core.private_files import FILE_MODE, private_folder

_HEX = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The file is larger than the store takes."""


def is_sha256(text: str) -> bool:
    return bool(_HEX.fullmatch(text or ""))


def path_of(folder: str | os.PathLike, sha256: str) -> Path:
    """Where the file with this hash is kept: FOLDER/ab/abcdef…"""
    if not is_sha256(sha256):
        raise ValueError("not a SHA-256")
    return Path(folder) / sha256[:2] / sha256


def keep(folder: str | os.PathLike, stream: BinaryIO, most: int) -> tuple[str, int]:
    """Store what `stream` holds (at most `most` bytes); its SHA-256 and size. Raises TooLarge,
    leaving nothing behind, when there is more."""
    root = private_folder(folder)
    digest = hashlib.sha256()
    size = 0
    temporary = root / f".incoming-{os.getpid()}-{os.urandom(8).hex()}"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > most:
                    raise TooLarge
                digest.update(chunk)
                out.write(chunk)
        sha256 = digest.hexdigest()
        target = path_of(root, sha256)
        private_folder(target.parent)
        if target.exists():
            temporary.unlink()
        else:
            os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return sha256, size


def hash_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def remove(folder: str | os.PathLike, sha256: str) -> bool:
    """Delete the file with this hash; whether there was one."""
    try:
        path_of(folder, sha256).unlink()
    except FileNotFoundError:
        return False
    return True


def problems(folder: str | os.PathLike, kept: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """For each (capture id, hash) kept on the server: (id, "missing") when its file is gone,
    (id, "changed") when the file's hash is no longer its name."""
    found = []
    checked: dict[str, str | None] = {}
    for capture_id, sha256 in kept:
        if sha256 not in checked:
            path = path_of(folder, sha256)
            if not path.is_file():
                checked[sha256] = "missing"
            else:
                checked[sha256] = None if hash_of(path) == sha256 else "changed"
        if checked[sha256]:
            found.append((capture_id, checked[sha256]))
    return found
