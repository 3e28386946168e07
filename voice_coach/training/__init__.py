"""Training-only code (data for fitting models); never imported at run time."""
