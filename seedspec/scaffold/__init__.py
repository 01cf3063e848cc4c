"""Scaffolding: ``seedspec init`` (a whole spec from a schema) and ``seedspec new`` (a starter, a factory)."""
