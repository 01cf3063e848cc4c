"""``python -m seedspec``."""

from seedspec.cli.main import main

raise SystemExit(main())
