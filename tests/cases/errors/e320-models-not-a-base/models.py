"""A module whose attribute is no declarative base."""

VERSION = "1.0"
