#!/usr/bin/env python3
"""Build the voice-profile bank for the command model (needs `pip install -e .[train]`); see --help.

    .venv/bin/python scripts/build_profile_bank.py      # the shipped bank, for the shipped model
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voice_coach.training.profile_bank import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
