"""Receivers that forget the cached principals (selectors.principals_for) of the person whose
choices a change of register data or of a delegation alters, through any door."""

from .selectors import principals_forget_person


def parent_link_changed(sender, instance, **kwargs) -> None:
    principals_forget_person(person_id=instance.parent_id)


def board_membership_changed(sender, instance, **kwargs) -> None:
    principals_forget_person(person_id=instance.person_id)


def delegation_changed(sender, instance, **kwargs) -> None:
    # m2m_changed from the service's side has a Service as the instance: no agent to name
    principals_forget_person(person_id=getattr(instance, "agent_id", None))


def person_changed(sender, instance, **kwargs) -> None:
    principals_forget_person(person_id=instance.pk)
