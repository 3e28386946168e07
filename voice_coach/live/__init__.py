"""The live coach: the loop that owns the clock and wires microphone, recognizer,
speaker, chimes, journal and display to the pure session engine."""
