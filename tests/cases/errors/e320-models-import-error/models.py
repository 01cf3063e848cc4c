"""Models that cannot be imported."""

import seedspec_golden_no_such_package  # noqa: F401
