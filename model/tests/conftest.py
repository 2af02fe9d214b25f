import os
import sys

import pytest

MODEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MODEL_DIR)
TINY_LOG = os.path.join(MODEL_DIR, "tests", "fixtures", "tiny_events.csv")
# Raw public datasets live beside the repository, never inside it.
SHARED_DATA = os.path.join(os.path.dirname(MODEL_DIR), "..", "shared", "data")


@pytest.fixture
def tiny_log_path():
    return TINY_LOG
