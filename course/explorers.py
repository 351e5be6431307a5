"""The explorers lessons open in one line: `from course.explorers import <name>`."""

from .source_reader import source_reader  # noqa: F401
from .who_knew_what import who_knew_what  # noqa: F401
from .force_balance import force_balance  # noqa: F401
from .withdrawal_scenario import withdrawal_scenario  # noqa: F401
from .plan_comparison import plan_comparison  # noqa: F401
from .argument_map import argument_map  # noqa: F401
