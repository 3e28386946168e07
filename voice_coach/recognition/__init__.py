"""Speech recognizers behind one small streaming interface."""
