"""``voice-coach demo``: a short routine run with synthesized spoken commands."""
