"""Files only the service's own account may read: the instance folder, its config (the secret
keys), the SQLite database and its backups (issue 17; ASVS 5.0 V13.3.1, secrets protected).

Created 0600 (folders 0700) whatever the umask, and never widened after: a file that exists
already is left as its owner set it, except the config file when a key is written into it.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: str | os.PathLike) -> Path:
    """The folder, made 0700 (with any missing parents) if it does not exist yet."""
    path = Path(path)
    if not path.exists():
        path.mkdir(parents=True, mode=FOLDER_MODE)
        path.chmod(FOLDER_MODE)  # mkdir's mode is narrowed by the umask, never widened
    return path


def private_file(path: str | os.PathLike) -> Path:
    """The file, made empty and 0600 if it does not exist yet (its folder 0700)."""
    path = Path(path)
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    return path


def append_secret(path: str | os.PathLike, text: str) -> None:
    """Append a secret to a file that then only its owner can read."""
    path = private_file(path)
    path.chmod(FILE_MODE)
    with path.open("a", encoding="utf-8") as f:
        f.write(text)
