"""The pytest plugin's work (the hooks pytest sees live in the top-level ``pytest_seedspec``)."""
