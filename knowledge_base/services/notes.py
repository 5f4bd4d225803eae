"""One-stop centres' notes on articles, kept apart from the holder's text."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from audit.services import record
from kernel.actors import Actor

from .. import rules
from ..constants import MAX_NOTE_CHARS, KnowledgeAuditAction
from ..content import render_markdown
from ..exceptions import CentreNoteInvalid, CentreNoteNotAllowed
from ..models import Article, CentreNote


@transaction.atomic
def centre_note_save(
    *, actor: Actor, article: Article, text: str, centre_id: int | None = None
) -> CentreNote:
    """A one-stop centre's note on an article (its own, one per centre; saving again replaces it).
    The holder's text, version and subscribers are untouched."""
    viewer = rules.viewer_for_actor(actor)
    if centre_id is None and len(viewer.centre_ids) == 1:
        centre_id = next(iter(viewer.centre_ids))
    if centre_id is None or not rules.centre_note_allowed(article, viewer=viewer, centre_id=centre_id):
        raise CentreNoteNotAllowed
    text = (text or "").strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise CentreNoteInvalid(
            {
                "text": [
                    translation.gettext("Write a note of at most %(max)s characters.")
                    % {"max": MAX_NOTE_CHARS}
                ]
            }
        )
    note, _created = CentreNote.objects.select_for_update().get_or_create(
        article=article, centre_id=centre_id, defaults={"text": text, "author": actor.user_or_none}
    )
    note.text = text
    note.html = render_markdown(text)
    note.author = actor.user_or_none
    note.save()
    record(
        action=KnowledgeAuditAction.CENTRE_NOTE_SAVE,
        actor=actor,
        target=article,
        data={"centre_id": centre_id, "note_id": note.pk},
    )
    return note
