"""Opening and writing files without being led astray: no symlink followed where it is not ours, no FIFO waited on.

Every file dsday reads or writes on someone else's say-so (a plan, a returned
checklist, the journal, a cache entry, an ``--output``) goes through here:

- ``open_regular`` opens a file for reading; a FIFO, device, socket or directory is
  refused at once (the open never blocks), and with ``follow=False`` so is a
  symbolic link;
- ``open_append`` opens (or creates) the journal for appending, never through a
  symbolic link and only if it is a regular file;
- ``write_atomically`` replaces a regular file (or creates one) through a temporary
  file and a rename, refusing to replace anything else or a file the caller protects.

A refusal is a ``NotRegularFile``, an ``OSError`` whose ``strerror`` says what was
found, so callers that already word an ``OSError`` as "PATH: cannot read: REASON"
word it too.
"""

import errno
import functools
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from dsday_cli.core.errors import OutputWriteError
from dsday_cli.core.i18n import _


class NotRegularFile(OSError):
    """A path names a symbolic link (where none is followed) or something other than a regular file."""


def kind_of(mode: int) -> str:
    """What a file is, for a message: 'a FIFO', 'a directory', ..."""
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISFIFO(mode):
        return _("a FIFO")
    if stat.S_ISCHR(mode):
        return _("a character device")
    if stat.S_ISBLK(mode):
        return _("a block device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def refusal(mode: int) -> str:
    """Why a file of this mode is refused: a symbolic link, or what it is instead of a regular file."""
    if stat.S_ISLNK(mode):
        return _("it is a symbolic link, which dsday does not follow here")
    return _("it is {kind}, not a regular file").format(kind=kind_of(mode))


def _refusal(path: Path | str, mode: int) -> NotRegularFile:
    return NotRegularFile(errno.EINVAL, refusal(mode), str(path))


def _checked(fd: int, path: Path | str) -> int:
    """``fd`` if it is a regular file; else close it and raise NotRegularFile."""
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _refusal(path, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def resolved(path: Path) -> Path:
    """``path`` absolute, its symbolic links resolved; one in a loop (or unreadable) left as written, never an error."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop
        return Path(os.path.abspath(path))


def open_descriptor(path: Path | str, flags: int, follow: bool = False, mode: int = 0o666) -> int:
    """``os.open`` for a regular file only: never waits on a FIFO; follows a final symbolic link only if ``follow``."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    flags |= os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags, mode)
    except OSError as error:
        # ELOOP: the last component is a symbolic link (O_NOFOLLOW); ENXIO: a socket.
        if error.errno in (errno.ELOOP, errno.ENXIO):
            try:
                found = os.lstat(path).st_mode if not follow else os.stat(path).st_mode
            except OSError:
                found = None
            if found is not None and not stat.S_ISREG(found):
                raise _refusal(path, found) from None
        raise
    fd = _checked(fd, path)
    os.set_blocking(fd, True)
    return fd


def open_regular(path: Path | str, follow: bool = True) -> BinaryIO:
    """Open a regular file for reading; a FIFO, device, socket, directory (unless ``follow``, a link) is refused.

    Raises ``FileNotFoundError`` and other ``OSError``; a refusal is a
    ``NotRegularFile`` whose ``strerror`` says what the path names. Use it for every
    file a user or another office hands over::

        with open_regular(path) as stream:
            raw = stream.read(limit + 1)
    """
    return os.fdopen(open_descriptor(path, os.O_RDONLY, follow), "rb")


def open_append(path: Path | str, mode: int = 0o666) -> int:
    """A descriptor appending to the regular file ``path`` (created with ``mode`` less the umask); no link followed."""
    return open_descriptor(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, follow=False, mode=mode)


@functools.cache
def umask() -> int:
    """The process's umask (read once: the only way to read it is to set it and set it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same_file(path: Path, others: Iterable[Path | str]) -> bool:
    for other in others:
        try:
            if os.path.samefile(path, other):
                return True
        except OSError:
            continue
    return False


def write_atomically(
    path: Path, text: str | bytes | Iterable[str], durable: bool = True, protect: Iterable[Path | str] = ()
) -> None:
    """Write ``text`` (str, bytes or str pieces) to a temporary file beside ``path``, fsync, rename it over ``path``.

    ``durable``: fsync before the rename.

    Only a regular file is ever replaced (never a symbolic link, device or FIFO), and
    never one of the files in ``protect`` (the plan and journal in use). A new file
    gets the mode the umask allows; a replaced file keeps its mode. Pieces are written
    as they come (an export in bounded memory); if making one fails, the temporary file
    is removed and ``path`` is left as it was.
    """
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise OutputWriteError(_("{path}: cannot write: {reason}").format(path=path, reason=error.strerror)) from None
    if existing is not None:
        if not stat.S_ISREG(existing.st_mode):
            raise OutputWriteError(
                _("{path}: {reason}; not replaced").format(path=path, reason=refusal(existing.st_mode))
            )
        if _same_file(path, protect):
            raise OutputWriteError(
                _("{path} is the plan or the journal in use; write the output to another file").format(path=path)
            )
    mode = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~umask()
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a write needs it (with random, ~1 ms)

        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        pieces = (text,) if isinstance(text, (str, bytes)) else text
        with os.fdopen(descriptor, "wb") as stream:
            os.fchmod(descriptor, mode)  # mkstemp makes 0600 whatever the umask
            for piece in pieces:
                stream.write(piece if isinstance(piece, bytes) else piece.encode("utf-8"))
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        if temporary and os.path.lexists(temporary):
            os.unlink(temporary)
        if not isinstance(error, OSError):
            raise
        raise OutputWriteError(_("{path}: cannot write: {reason}").format(path=path, reason=error.strerror)) from None
