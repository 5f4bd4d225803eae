"""The delegation app's domain errors (kernel's vocabulary)."""

from django.utils.translation import gettext_lazy

from kernel.errors import DomainError, Invalid


class AgentNotMatched(Invalid):
    """The personal code and the names do not identify one person of the register. The same answer
    for an unknown code and for a known code with another name: the register is not an oracle."""

    code = "delegation.agent_not_matched"
    default_message = gettext_lazy("The personal code and name do not match a person we know.")


class AgentLookupLimited(DomainError):
    """DELEGATION_LOOKUP_RATE lookups of the register in the window: the next ones are refused."""

    code = "delegation.agent_lookup_limited"
    status = 429
    default_message = gettext_lazy("Too many attempts to name a person you trust. Try again later.")
