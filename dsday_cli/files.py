"""Writing output files so that a reader never sees half of one."""

import os
import tempfile
from pathlib import Path

from dsday_cli.errors import OutputWriteError
from dsday_cli.i18n import _


def write_atomically(path: Path, text: str | bytes, durable: bool = True) -> None:
    """Write ``text`` (or bytes) to a temporary file beside ``path``, fsync (if ``durable``), rename it over ``path``."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
        raise OutputWriteError(_("{path}: cannot write: {reason}").format(path=path, reason=error.strerror)) from None
