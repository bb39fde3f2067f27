"""``python -m tally [DATA_DIR]``: validate the data package and print one line per problem."""

import sys

from .data import main

raise SystemExit(main(sys.argv[1:]))
