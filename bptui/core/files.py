"""The one place that opens a user's file (scenario, pattern, CSV, session).

Regular files only; the size is limited while reading (a symlink to /dev/zero or a file that
grows is cut off at the limit, whatever `st_size` says); FIFOs and devices are refused without
blocking (opened with O_NONBLOCK, checked with fstat before any read); a missing file, a
symlink loop, a folder that cannot be searched or a directory is a one-line error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import BptuiError

MAX_BYTES = 20 * 2**20
_CHUNK = 1 << 20

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop (a link that points back to itself)"
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.EACCES:
        return "cannot read: permission denied (on the file or a folder on its path)"
    if exc.errno == errno.ENOTDIR:
        return "no such file (a part of the path is not a folder)"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    return f"cannot read: {exc.strerror or exc}"


def read_bytes(path, what: str = "file", limit: int = MAX_BYTES, error=BptuiError) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or `error` with one line."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise error(f"{path}: {_why(exc)}") from None
    except ValueError:
        raise error(f"{path!r}: the file name holds a NUL character") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{path}: is a directory; expected a {what}")
        for test, kind in _KINDS:
            if test(st.st_mode):
                raise error(f"{path}: is {kind}, not a regular file; expected a {what}")
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{path}: not a regular file; expected a {what}")
        data = b"" if st.st_size > limit else _read_at_most(fd, limit + 1)
    except OSError as exc:
        raise error(f"{path}: {_why(exc)}") from None
    finally:
        os.close(fd)
    if st.st_size > limit or len(data) > limit:
        size = f"{st.st_size / 2**20:.1f} MB" if st.st_size > limit else f"more than {limit // 2**20} MB"
        raise error(f"{path}: {size}; bptui reads {what}s up to {limit // 2**20} MB")
    return data


def _read_at_most(fd: int, n: int) -> bytes:
    """Read until end of file or n bytes, whichever comes first (st_size is not trusted)."""
    chunks, got = [], 0
    while got < n:
        b = os.read(fd, min(_CHUNK, n - got))
        if not b:
            break
        chunks.append(b)
        got += len(b)
    return b"".join(chunks)


def read_text(path, what: str = "file", limit: int = MAX_BYTES, error=BptuiError) -> str:
    """A UTF-8 text file (a byte-order mark is dropped), through `read_bytes`."""
    raw = read_bytes(path, what, limit, error)
    if b"\x00" in raw:
        raise error(f"{path}: not a text file (it contains NUL bytes); expected a {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not a text file (byte {exc.start} is not UTF-8); expected a {what}") from None


def exists(path) -> bool:
    """Something is there (or a loop or a locked folder the reader will name); never raises."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno not in (errno.ENOENT, errno.ENOTDIR)
    except ValueError:  # a NUL in the name
        return False
    return True
