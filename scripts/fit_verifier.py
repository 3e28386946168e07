#!/usr/bin/env python3
"""Fit the fused engine's verifier on the tuning split (needs `pip install -e .[train]`); see --help."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voice_coach.training.verifier_fit import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
