"""The official inbox of whom the user acts for now (request.actor), as far as the basis reaches:
the message list (inbox and archive, unread only), a message page with its attachments and its
case's thread, read/unread and archive, and the download of a delivered document."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel.constants import Basis
from kernel.errors import NotFound

from . import inbox
from .assurance import assurance_required
from .constants import AssuranceLevel

inbox_guard = assurance_required(AssuranceLevel.SUBSTANTIAL)


def _actor(request):
    actor = request.actor
    if actor.principal is None:
        raise Http404
    return actor


def _refused(request, *, kind: str, pk) -> Http404:
    """Another's message or document, or none: 404 alike; a real one of someone else is audited."""
    inbox.access_refused_record(actor=request.actor, kind=kind, pk=pk)
    return Http404()


@inbox_guard
def inbox_view(request):
    actor = _actor(request)
    folder = inbox.Folder.ARCHIVE if request.GET.get("folder") == inbox.Folder.ARCHIVE else inbox.Folder.INBOX
    unread_only = request.GET.get("unread") == "1"
    page = inbox.inbox_page_for_actor(
        actor=actor, folder=folder, unread_only=unread_only, page=request.GET.get("page")
    )
    return render(
        request,
        "eaccount/inbox.html",
        {
            "principal": actor.principal,
            "basis_label": Basis(actor.basis).label,
            "acting_for_self": actor.basis == Basis.SELF,
            "limited_to_services": actor.basis == Basis.DELEGATION,
            "folder": folder,
            "unread_only": unread_only,
            "inbox_messages": page,
        },
    )


@inbox_guard
def message_view(request, pk: int):
    actor = _actor(request)
    try:
        view = inbox.message_get_for_actor(actor=actor, pk=pk)
    except NotFound:
        raise _refused(request, kind="message", pk=pk) from None
    inbox.message_mark_read(actor=actor, message=view.message)
    return render(
        request,
        "eaccount/message.html",
        {"message": view.message, "attachments": view.attachments, "thread": view.thread},
    )


@require_POST
@inbox_guard
def message_unread_view(request, pk: int):
    return _act(request, pk, inbox.message_mark_unread, _("The message is marked as unread."))


@require_POST
@inbox_guard
def message_archive_view(request, pk: int):
    return _act(request, pk, inbox.message_archive, _("The message is in the archive."))


@require_POST
@inbox_guard
def message_unarchive_view(request, pk: int):
    return _act(request, pk, inbox.message_unarchive, _("The message is back in the inbox."))


def _act(request, pk, change, done: str):
    actor = _actor(request)
    try:
        change(actor=actor, pk=pk)
    except NotFound:
        raise _refused(request, kind="message", pk=pk) from None
    messages.success(request, done)
    return redirect("eaccount:inbox")


@inbox_guard
def inbox_document_view(request, pk: int):
    actor = _actor(request)
    try:
        document = inbox.document_get_for_actor(actor=actor, pk=pk)
        handle = document.file.open("rb")
    except NotFound:
        raise _refused(request, kind="document", pk=pk) from None
    except FileNotFoundError:
        raise Http404 from None
    inbox.document_opened(actor=actor, document=document)
    return FileResponse(handle, as_attachment=True, filename=document.original_name)
