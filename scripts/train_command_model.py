#!/usr/bin/env python3
"""Train the neural command model (needs `pip install -e .[train]`); see --help.

    .venv/bin/python scripts/train_command_model.py            # the shipped model (~40 min on 2 cores)
    .venv/bin/python scripts/train_command_model.py --subset 5 --out /tmp/m.npz   # a quick check
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voice_coach.training.train import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
