"""Files people upload (recordings, transcripts, CSV): read once, size-capped, named."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from coproduce.core.errors import InvalidInput
from coproduce.core.files import atomic_path, write_atomically


class Upload:
    """An uploaded file's name (for messages only; its type comes from its content) and its
    bytes: in memory, or (a large file, which Django spooled to a temporary file while it
    arrived) on disk, read only if `data` is asked for. A recording is checked by its `head`
    and its `size` and stored with `save_as`, so it is never read into memory whole."""

    __slots__ = ("_data", "name", "source")

    def __init__(self, name: str, data: bytes | None = None, *, source: Path | None = None):
        if (data is None) == (source is None):
            raise ValueError("An Upload has either its bytes or the file holding them.")
        self.name = name
        self._data = data
        self.source = source

    @property
    def data(self) -> bytes:
        """All of it, in memory (for transcripts, CSV and other files that are read whole)."""
        if self._data is None:
            assert self.source is not None
            self._data = self.source.read_bytes()
        return self._data

    @property
    def size(self) -> int:
        if self._data is not None:
            return len(self._data)
        assert self.source is not None
        return self.source.stat().st_size

    def head(self, length: int = 8192) -> bytes:
        """The first bytes (enough to tell a file's type)."""
        if self._data is not None:
            return self._data[:length]
        assert self.source is not None
        with self.source.open("rb") as f:
            return f.read(length)

    def save_as(self, path: Path) -> Path:
        """Write it to `path`, whole or not at all, copying from disk in pieces."""
        if self._data is not None:
            return write_atomically(path, self._data)
        assert self.source is not None
        with atomic_path(path) as partial, self.source.open("rb") as f, partial.open("wb") as out:
            shutil.copyfileobj(f, out, 1024 * 1024)
        return path


def upload_limit() -> int:
    """The largest upload accepted, in bytes (COPRODUCE_UPLOAD_MAX_MB)."""
    return int(getattr(settings, "COPRODUCE_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def public_upload_limit() -> int:
    """The largest upload from someone not signed in (COPRODUCE_PUBLIC_UPLOAD_MAX_MB)."""
    return int(getattr(settings, "COPRODUCE_PUBLIC_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))


class TooLarge(UploadedFile):
    """What is left of an upload that passed its cap while it was read: its name and the size
    it reached, no data (nothing past the cap was kept, in memory or on disk)."""

    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(file=None, name=name, size=size)
        self.limit = limit

    def read(self, *args: object, **kwargs: object) -> bytes:
        return b""


class CappedUpload(FileUploadHandler):
    """Counts each uploaded file's bytes as they arrive and stops keeping them once it passes
    the cap (the team's, or the lower one for people not signed in), so a huge upload costs
    neither memory nor disk; the form then says the file is too large."""

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)  # type: ignore[arg-type]
        user = getattr(self.request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        self.limit = upload_limit() if signed_in else min(upload_limit(), public_upload_limit())
        self.size = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.size += len(raw_data)
        if self.size > self.limit:
            self.over = True
            return None  # the later handlers never see it
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.over:
            return TooLarge(self.file_name or "upload", self.size, self.limit)
        return None  # the next handler (memory or a temporary file) has the whole file


def upload(file: UploadedFile | None) -> Upload | None:
    """A form's uploaded file as an Upload, refused with a sentence when it is too large."""
    if file is None:
        return None
    limit = getattr(file, "limit", upload_limit())
    if file.size is not None and file.size > limit:
        raise InvalidInput(
            _("%(name)s is %(mb).0f MB; files may be at most %(max).0f MB.")
            % {"name": file.name, "mb": file.size / 1e6, "max": limit / 1e6}
        )
    on_disk = getattr(file, "temporary_file_path", None)
    if on_disk is not None:
        return Upload(file.name or "upload", source=Path(on_disk()))
    return Upload(file.name or "upload", file.read())
