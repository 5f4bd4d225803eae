from .cases import *  # noqa: F403
from .thresholds import *  # noqa: F403
