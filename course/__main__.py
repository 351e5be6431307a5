import sys

from course.cli.main import main

sys.exit(main())
