"""Rows from a Plan: slots, pools, generators, the batch walk that apply, plan and build share, and the
worker prefetch of Faker values."""
