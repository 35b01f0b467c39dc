"""The jobs tests share helpers (jobs_support, fake_chat); with pytest's
importlib mode a test directory is not on sys.path, so put this one there."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
