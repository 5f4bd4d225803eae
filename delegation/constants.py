from kernel.constants import Basis as Basis
from kernel.constants import PartyKind

# the shared vocabulary (kernel), re-exported for the delegation app
PrincipalKind = PartyKind

SESSION_ACTING_FOR_KEY = "delegation.acting_for"
