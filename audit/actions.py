"""The audit trail's actions by their translated names: what a person reading a log sees instead of
the codes the apps record (`record(action="case.view", …)`).

`audit` is the bottom layer and imports no app of ours, so the names are kept here for every app
(the apps' own vocabularies, e.g. `workplace.constants.WorkplaceAction`, use the same English text,
so one translation serves both). Every action string the code base records has a name here:
`catalogue/tests/test_audit_log.py` reads the source and checks it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kernel.collation import sort_key

__all__ = ["ACTION_LABELS", "OBJECT_TYPE_LABELS", "action_choices", "action_label", "object_type_label"]


def _admin(prefix: str, what_added, what_changed, what_deleted) -> dict[str, Promise]:
    """The events of a Django admin page (`AuditedAdminMixin`: `<audit_action>.add/.change/.delete`)."""
    return {f"{prefix}.add": what_added, f"{prefix}.change": what_changed, f"{prefix}.delete": what_deleted}


ACTION_LABELS: dict[str, Promise] = {
    # logins (eaccount)
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Login failed"),
    "auth.logout": _("Logged out"),
    "auth.logout_everywhere": _("Logged out on every device"),
    # persons, contacts and notices (eaccount)
    "person.personal_code_change": _("Personal code changed"),
    "contacts.refused": _("Change of contact details refused"),
    "contacts.phone_change": _("Phone number changed"),
    "contacts.email_change_request": _("Change of e-mail address requested"),
    "contacts.email_confirm": _("E-mail address confirmed"),
    "contacts.email_remove": _("E-mail address removed"),
    "contacts.email_pending_cancel": _("Change of e-mail address cancelled"),
    "contacts.language_change": _("Language of notices changed"),
    "contacts.set_in_person": _("Contact details entered in person"),
    "notices.opt_in": _("Notices turned on"),
    "notices.opt_out": _("Notices turned off"),
    "notices.change": _("Notice choices changed"),
    "eaccount.message_access_refused": _("Access to a message refused"),
    "eaccount.document_access_refused": _("Access to a document refused"),
    # staff roles (eaccount, access_rights)
    "role.grant": _("Role granted"),
    "role.revoke": _("Role revoked"),
    "role.expire": _("Role's term ended"),
    "role.expiry_warned": _("Ends of role terms announced"),
    "role.inactivity_reviewed": _("Inactive roles listed for review"),
    "access_rights.refused": _("Change of access rights refused"),
    "access_request.submit": _("Access rights request submitted"),
    "access_request.approve": _("Access rights request approved"),
    "access_request.refuse": _("Access rights request refused"),
    # the Django admin's changes of the registers (AuditedAdminMixin)
    **_admin(
        "register.person",
        _("Person added in the administration"),
        _("Person changed in the administration"),
        _("Person deleted in the administration"),
    ),
    **_admin(
        "register.organisation",
        _("Organisation added in the administration"),
        _("Organisation changed in the administration"),
        _("Organisation deleted in the administration"),
    ),
    **_admin(
        "register.parent_child",
        _("Parent and child link added in the administration"),
        _("Parent and child link changed in the administration"),
        _("Parent and child link deleted in the administration"),
    ),
    **_admin(
        "register.board_membership",
        _("Board membership added in the administration"),
        _("Board membership changed in the administration"),
        _("Board membership deleted in the administration"),
    ),
    **_admin(
        "account.user",
        _("User added in the administration"),
        _("User changed in the administration"),
        _("User deleted in the administration"),
    ),
    **_admin(
        "kb.topic",
        _("Knowledge base topic added"),
        _("Knowledge base topic changed"),
        _("Knowledge base topic deleted"),
    ),
    # API clients
    "api_client.create": _("API client created"),
    "api_client.deactivate": _("API client deactivated"),
    # the catalogue
    "catalogue.agency.create": _("Agency created"),
    "catalogue.agency.update": _("Agency changed"),
    "catalogue.centre.create": _("One-stop centre created"),
    "catalogue.centre.update": _("One-stop centre changed"),
    "catalogue.service.create": _("Service created"),
    "catalogue.service.update": _("Service changed"),
    "catalogue.service.discard": _("Unpublished changes of a service discarded"),
    "catalogue.service.publish": _("Service published"),
    "catalogue.service.withdraw": _("Service withdrawn"),
    "catalogue.service.publish_refused": _("Publishing of a service refused"),
    "catalogue.agency.four_eyes_set": _("Publishing by a second administrator turned on or off"),
    # delegation
    "delegation.grant": _("Authorisation granted"),
    "delegation.revoke": _("Authorisation revoked"),
    "delegation.act_for": _("Started acting for another person"),
    # proactive notices
    "proactive_rule.create": _("Proactive notice rule created"),
    "proactive_rule.change": _("Proactive notice rule changed"),
    "proactive_rule.deactivate": _("Proactive notice rule turned off"),
    # the knowledge base (as knowledge_base.constants.KnowledgeAuditAction)
    "kb.article_create": _("Knowledge base article created"),
    "kb.article_edit": _("Knowledge base article changed"),
    "kb.article_edit_refused": _("Change of a knowledge base article refused"),
    "kb.centre_note_save": _("Centre note on a knowledge base article saved"),
    "kb.subscription_add": _("Subscribed to knowledge base changes"),
    "kb.subscription_remove": _("Unsubscribed from knowledge base changes"),
    "kb.script_save": _("Call script saved"),
    "kb.script_publish": _("Call script published"),
    "kb.script_edit_refused": _("Change of a call script refused"),
    "kb.script_run_start": _("Call script run started"),
    "kb.script_run_finish": _("Call script run finished"),
    "kb.article_use_record": _("Use of a knowledge base article recorded"),
    # cases, consultations, feedback (requests_registry)
    "case.submit": _("Case submitted"),
    "case.register_received": _("Application received by the agency registered"),
    "case.status": _("Case status changed"),
    "case.paid": _("Case fee paid"),
    "case.withdraw": _("Case withdrawn"),
    "case.request_info": _("Information requested from the client"),
    "case.answer_info": _("Client answered a request for information"),
    "case.assign": _("Case assigned"),
    "case.attach_result": _("Result attached to the case"),
    "case.view": _("Case viewed"),
    "case.file_view": _("File of a case downloaded"),
    "case.api_read": _("Case read through the API"),
    "consultation.register": _("Consultation registered"),
    "feedback.give": _("Feedback given"),
    # payments (as payments.constants.PaymentsAuditAction and BankStatementAuditAction)
    "payments.payee.set": _("Payee details set"),
    "invoice.issue": _("Invoice issued"),
    "invoice.cancel": _("Invoice cancelled"),
    "invoice.overdue": _("Invoice overdue"),
    "invoice.overpayment_settled": _("Overpayment settled"),
    "payment.record": _("Payment recorded"),
    "payment.reverse": _("Payment reversed"),
    "payment.session_start": _("Online payment started"),
    "payment.callback_refused": _("Payment notification refused"),
    "bank_statement.import": _("Bank statement imported"),
    "bank_transaction.assign": _("Bank transaction assigned to an invoice"),
    "bank_transaction.not_ours": _("Bank transaction marked not ours"),
    # the one-stop centre's workplace (as workplace.constants.WorkplaceAction)
    "workplace.visit_start": _("Client service started"),
    "workplace.visit_end": _("Client service ended"),
    "workplace.profile_view": _("Client profile viewed"),
    "workplace.filing_start": _("Authorised e-service started"),
    "workplace.filing_specialist": _("Specialist identified with a qualified eID"),
    "workplace.filing_refused": _("Authorised e-service refused"),
    "workplace.filing_authorisation": _("Written authorisation printed"),
    "workplace.filing_signed": _("Written authorisation signed"),
    "workplace.filing_form": _("Authorised e-service data entered"),
    "workplace.filing_filed": _("Authorised e-service filed"),
    "workplace.filing_planned_date": _("Planned completion date told"),
    "workplace.filing_result_notice": _("Result notice chosen"),
    "workplace.filing_result_told": _("Result of an authorised e-service told"),
    "workplace.paper_case": _("Application received on paper registered"),
    "workplace.handover": _("Handed over"),
    "workplace.handover_accept": _("Hand-over accepted"),
    "workplace.escalation": _("Escalated to a supervisor"),
    "workplace.escalation_reassign": _("Escalation reassigned"),
}

# what an event is about (`AuditEvent.object_type`, a model's `app_label.modelname`)
OBJECT_TYPE_LABELS: dict[str, Promise] = {
    "requests_registry.case": _("Case"),
    "requests_registry.consultation": _("Consultation"),
    "catalogue.service": _("Service"),
    "catalogue.agency": _("Agency"),
    "catalogue.servicecentre": _("One-stop centre"),
    "eaccount.staffrole": _("Staff role"),
    "access_rights.accessrequest": _("Access rights request"),
    "api_clients.apiclient": _("API client"),
    "notifications.proactiverule": _("Proactive notice rule"),
    "payments.payee": _("Payee"),
    "payments.invoice": _("Invoice"),
    "workplace.escalation": _("Escalation"),
    "workplace.handover": _("Hand-over"),
    "workplace.authorisedfiling": _("Authorised e-service"),
}


def action_label(code: str) -> str:
    """The action's name in the active language; an unknown code as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def object_type_label(object_type: str) -> str:
    """The kind of object in the active language; an unknown one as its code."""
    label = OBJECT_TYPE_LABELS.get(object_type)
    return str(label) if label is not None else object_type


def action_choices(codes=None) -> list[tuple[str, str]]:
    """(code, name) of these actions (all known ones by default), in the alphabetical order of their
    names in the active language (the Latvian order: Č after C)."""
    chosen = ACTION_LABELS if codes is None else codes
    return sorted(
        ((code, action_label(code)) for code in chosen), key=lambda pair: (sort_key(pair[1]), pair[0])
    )
