"""An application between "check" and "submit": the cleaned data in the session, the accepted files
in storage under random names (drafts/…). Submitting or discarding removes them.

Invalid forms never get here, so a form that fails validation stores nothing at all.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import time
import uuid

from django.core.files import File
from django.core.files.storage import default_storage

SESSION_KEY = "requests_registry.drafts"


def _drafts(session) -> dict:
    return session.get(SESSION_KEY) or {}


def draft_discard(*, session, code: str) -> None:
    drafts = _drafts(session)
    draft = drafts.pop(code, None)
    if draft:
        for meta in draft.get("files", {}).values():
            with contextlib.suppress(OSError):
                default_storage.delete(meta["path"])
        session[SESSION_KEY] = drafts


def draft_save(*, session, code: str, principal_key: str, version: int, cleaned: dict, files: dict) -> dict:
    draft_discard(session=session, code=code)
    stored = {}
    for name, upload in files.items():
        ext = os.path.splitext(upload.name or "")[1].lower()
        ext = ext if ext[1:].isalnum() and len(ext) <= 10 else ""
        upload.seek(0)
        path = default_storage.save(f"drafts/{uuid.uuid4().hex}{ext}", upload)
        stored[name] = {
            "path": path,
            "name": os.path.basename(upload.name or "file")[:255],
            "size": upload.size,
        }
    draft = {"principal": principal_key, "version": version, "cleaned": cleaned, "files": stored}
    drafts = _drafts(session)
    drafts[code] = draft
    session[SESSION_KEY] = drafts
    return draft


def draft_get(*, session, code: str) -> dict | None:
    return _drafts(session).get(code)


class draft_files:  # noqa: N801 - used as a context manager: `with draft_files(draft) as files:`
    """Open the draft's stored files as File objects named as the client named them."""

    def __init__(self, draft: dict):
        self.draft = draft
        self.opened: list = []

    def __enter__(self) -> dict:
        files = {}
        for name, meta in self.draft.get("files", {}).items():
            handle = default_storage.open(meta["path"], "rb")
            self.opened.append(handle)
            files[name] = File(handle, name=meta["name"])
        return files

    def __exit__(self, *exc):
        for handle in self.opened:
            handle.close()
        return False


def drafts_purge_stale(*, older_than_hours: int = 24, budget_seconds: float = 20) -> int:
    """Delete draft files of applications never submitted (checked, then abandoned). Safe to repeat.

    Stops after `budget_seconds` (well inside the task's time limit): the next run goes on."""
    from django.utils import timezone

    limit = timezone.now() - datetime.timedelta(hours=older_than_hours)
    deadline = time.monotonic() + budget_seconds
    try:
        _dirs, names = default_storage.listdir("drafts")
    except (FileNotFoundError, NotImplementedError):
        return 0
    removed = 0
    for name in names:
        if time.monotonic() > deadline:
            break
        path = f"drafts/{name}"
        with contextlib.suppress(OSError, NotImplementedError):
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
    return removed
