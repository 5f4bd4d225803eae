"""Errors the knowledge base's services and selectors raise: the kernel's DomainError vocabulary."""

from django.utils.translation import gettext_lazy as _

from kernel.errors import ActionNotAllowed, Invalid, PermissionDenied
from kernel.errors import NotFound as _NotFound


class ArticleNotFound(_NotFound):
    """Missing or not the asker's to see: the same answer for both."""

    code = "kb-article-not-found"
    default_message = _("No such article.")


class ArticleVersionNotFound(_NotFound):
    code = "kb-article-version-not-found"
    default_message = _("No such version of the article.")


class ArticleInvalid(Invalid):
    code = "kb-article-invalid"
    default_message = _("The article is not valid: see the fields marked.")


class ArticleEditNotAllowed(PermissionDenied):
    """Only the staff of the agency that owns an article edit it (each within their competence)."""

    code = "kb-article-edit-not-allowed"
    default_message = _("Only the staff of the agency that owns this article may change it.")


class ArticleVersionConflict(ActionNotAllowed):
    """Optimistic locking: someone saved the article since this editor opened it."""

    code = "kb-article-version-conflict"
    default_message = _(
        "Someone else saved this article while you were editing it. Your text is kept below: "
        "compare it with the current version and save again."
    )


class ArticleUseNotAllowed(PermissionDenied):
    """Only an official who may read the article records its use in a consultation."""

    code = "kb-article-use-not-allowed"
    default_message = _("Only officials who may read this article record its use in a consultation.")


class ArticleUseInvalid(Invalid):
    code = "kb-article-use-invalid"
    default_message = _("Name the consultation the article was used in.")


class CentreNoteNotAllowed(PermissionDenied):
    code = "kb-centre-note-not-allowed"
    default_message = _("Only one-stop centre specialists add centre notes.")


class CentreNoteInvalid(Invalid):
    code = "kb-centre-note-invalid"
    default_message = _("The note is not valid.")


class SubscriptionNotAllowed(PermissionDenied):
    code = "kb-subscription-not-allowed"
    default_message = _("Only officials subscribe to changes of the knowledge base.")


class SubscriptionInvalid(Invalid):
    code = "kb-subscription-invalid"
    default_message = _("Choose a service or a topic to follow.")


class ScriptNotFound(_NotFound):
    code = "kb-script-not-found"
    default_message = _("No such call script.")


class ScriptInvalid(Invalid):
    """A call script's graph that cannot be published: the problems are listed under "graph"."""

    code = "kb-script-invalid"
    default_message = _("The call script cannot be published as it is.")


class ScriptEditNotAllowed(PermissionDenied):
    code = "kb-script-edit-not-allowed"
    default_message = _("Only the staff of the agency that owns this call script may change it.")


class ScriptRunNotFound(_NotFound):
    code = "kb-script-run-not-found"
    default_message = _("No such run of a call script.")


class ScriptRunNotAllowed(PermissionDenied):
    code = "kb-script-run-not-allowed"
    default_message = _("Only officials run call scripts.")


class ScriptRunClosed(ActionNotAllowed):
    code = "kb-script-run-closed"
    default_message = _("This run of the call script has already ended.")


class ScriptRunInvalidStep(Invalid):
    code = "kb-script-run-invalid-step"
    default_message = _("Choose one of the answers offered.")


class ScriptVersionConflict(ActionNotAllowed):
    code = "kb-script-version-conflict"
    default_message = _("Someone else saved this call script meanwhile. Reload it and save again.")
