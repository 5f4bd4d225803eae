from .api_clients import *  # noqa: F403
from .cases import *  # noqa: F403
