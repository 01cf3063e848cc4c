"""Plans, reports and diagnostics rendered as text or JSON. Pure: returns strings, prints nothing."""
