"""Uploads are counted while they arrive: a request whose files pass the limit is stopped at the
limit (400), not after 60 MB have been read and parsed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class SizeLimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes each chunk on and refuses the request once the
    files' bytes together exceed GRIDGOV_MAX_UPLOAD_BYTES."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # The fields around the files are a few KB; 5 % is room for them and the boundaries.
        if content_length and content_length > settings.GRIDGOV_MAX_UPLOAD_BYTES * 1.05:
            # Declared too big: refuse before reading a byte of it.
            raise RequestDataTooBig("the upload is larger than this server accepts")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.GRIDGOV_MAX_UPLOAD_BYTES:
            raise RequestDataTooBig("the upload is larger than this server accepts")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
