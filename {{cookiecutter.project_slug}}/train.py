"""Train the model: `python train.py [key=value ...]`; `python train.py --help` lists the other commands.

What it trains is src/<package>/lesson.py, the file to read first. The package in src/ is named when
the project is generated, so it is found here rather than written into this file.
"""

import importlib
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "src"
sys.path.insert(0, str(SOURCE))
(PACKAGE,) = [path.name for path in SOURCE.iterdir() if (path / "lesson.py").is_file()]

if __name__ == "__main__":
    sys.exit(importlib.import_module(f"{PACKAGE}.runtime.start").main())
