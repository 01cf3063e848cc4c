"""The public Python API: thin orchestration of the rooms below (the names are exported by ``seedspec``)."""
