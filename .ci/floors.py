"""Print ``name==floor`` for each runtime dependency in pyproject.toml, one per line.

``make test-min`` installs exactly these, so the lowest versions pyproject allows
are the ones the Discord tests prove; raising a floor there changes the proof.
With ``--dev`` the test tools follow, as pyproject lists them (they are not what
is being proved).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any

FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def floors(project: dict[str, Any]) -> list[str]:
    pins = []
    for requirement in project["dependencies"]:
        found = FLOOR.match(requirement)
        if found is None:
            raise SystemExit(f"no lower bound to pin in {requirement!r}")
        pins.append(f"{found.group(1)}=={found.group(2)}")
    return pins


def main(argv: list[str]) -> None:
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = floors(project)
    if "--dev" in argv:
        lines += project["optional-dependencies"]["dev"]
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
