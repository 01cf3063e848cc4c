"""Hypothesis profiles: 'ci' (the default) is reproducible; 'fuzz' explores, for local runs:
HYPOTHESIS_PROFILE=fuzz pytest tests/fuzz."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=200, derandomize=True, database=None, deadline=None)
settings.register_profile("fuzz", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
