"""A checked document compiled into a Plan (frozen data), step selection, and the plan as a saved
artefact. Pure."""
