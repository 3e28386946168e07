"""Offline speech-recognition evaluation: synthetic voices, noise, scoring."""
