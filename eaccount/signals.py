"""Signal receivers of the e-account: caches that a change of register data makes stale."""

from .selectors import staff_role_facts_forget


def staff_role_changed(sender, instance, **kwargs) -> None:
    staff_role_facts_forget(user_id=instance.user_id)
