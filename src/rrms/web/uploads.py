"""Reading an uploaded file on a page: in blocks, never more than the limit plus one byte."""

from __future__ import annotations

from fastapi import UploadFile

from rrms.domain.vocabulary import MAX_UPLOAD_BYTES

_BLOCK = 1024 * 1024


async def read_upload(file: UploadFile) -> bytes:
    """The upload's bytes, up to `MAX_UPLOAD_BYTES + 1` (so a caller can tell a file
    that is too large). Read in 1 MB blocks: `file.read(MAX_UPLOAD_BYTES + 1)` made
    the buffered reader allocate 200 MB for every upload, however small."""
    blocks: list[bytes] = []
    size = 0
    while size <= MAX_UPLOAD_BYTES and (block := await file.read(_BLOCK)):
        blocks.append(block)
        size += len(block)
    return b"".join(blocks)[: MAX_UPLOAD_BYTES + 1]
