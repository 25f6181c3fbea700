"""Allow ``python -m osintlab`` as well as the ``osintlab`` command."""

from osintlab.cli import main

raise SystemExit(main())
