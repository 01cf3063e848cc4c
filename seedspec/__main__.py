"""``python -m seedspec``."""

from seedspec.cli import main

raise SystemExit(main())
