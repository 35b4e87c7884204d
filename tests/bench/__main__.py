"""``make bench``: run every benchmark module in this package, in name order, in one run.

Private helpers (``_*``) and the tests of the benchmarks' own code (``test_*``, run by
pytest) are not benchmarks.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import tests.bench as package


def main() -> int:
    names = sorted(
        m.name
        for m in pkgutil.iter_modules(package.__path__)
        if not m.name.startswith(("_", "test_"))
    )
    wanted = set(sys.argv[1:])
    for name in names:
        if wanted and name not in wanted:
            continue
        module = importlib.import_module(f"tests.bench.{name}")
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        module.run()
        print(f"({name}: {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
