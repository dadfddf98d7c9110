"""Files people upload (recordings, transcripts, CSV): read once, size-capped, named."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from coproduce.core.errors import InvalidInput


@dataclass(frozen=True)
class Upload:
    """An uploaded file's name (for messages only; its type comes from its content) and bytes."""

    name: str
    data: bytes


def upload_limit() -> int:
    """The largest upload accepted, in bytes (COPRODUCE_UPLOAD_MAX_MB)."""
    return int(getattr(settings, "COPRODUCE_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def upload(file: UploadedFile | None) -> Upload | None:
    """A form's uploaded file as an Upload, refused with a sentence when it is too large."""
    if file is None:
        return None
    limit = upload_limit()
    if file.size is not None and file.size > limit:
        raise InvalidInput(
            _("%(name)s is %(mb).0f MB; files may be at most %(max).0f MB.")
            % {"name": file.name, "mb": file.size / 1e6, "max": limit / 1e6}
        )
    return Upload(file.name or "upload", file.read())
