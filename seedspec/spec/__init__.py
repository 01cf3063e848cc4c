"""Loading and checking a spec: files to one plain document with a source map, profiles, JSON Schema and
the semantic checks, the project schema for editors."""
