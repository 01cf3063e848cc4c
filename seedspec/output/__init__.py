"""``seedspec build``: the rows apply would write, written as files (JSON, JSON lines, CSV, SQL) instead."""
