"""The generator kinds: one module per kind, each with its check, compile, draw and description."""
