"""The explorers lessons open in one line: `from course.explorers import <name>`."""

from .source_reader import source_reader  # noqa: F401
from .who_knew_what import who_knew_what  # noqa: F401
