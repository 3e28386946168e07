"""The neural command model: openWakeWord speech embeddings of a whole segment → command or none."""
