"""compose.yaml runs the bot as the README says: no Docker engine runs here, so read it.

Each bot service's environment must load through ``Settings`` (the one way the bot reads
configuration), and the services' shard ranges must split the bot's shards between them
with none left out and none run twice.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings
from tests.conftest import ROOT

INTERPOLATION = re.compile(r"\$\{[A-Z_]+(?::[?-][^}]*)?\}")


def services() -> dict[str, dict[str, Any]]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    found: dict[str, dict[str, Any]] = loaded["services"]
    return found


def bot_settings(service: dict[str, Any], tmp_path: Path) -> Settings:
    environ = {k: INTERPOLATION.sub("secret", str(v)) for k, v in service["environment"].items()}
    return Settings.load(env_file=tmp_path / "absent.env", environ=environ)


def test_the_bot_services_split_the_shards_between_them(tmp_path: Path) -> None:
    bots = {name: s for name, s in services().items() if s.get("build")}
    assert len(bots) >= 2, "compose.yaml runs several bot processes"
    settings = [bot_settings(s, tmp_path) for s in bots.values()]
    counts = {s.shard_count for s in settings}
    assert len(counts) == 1, "every process knows the same shard count"
    (count,) = counts
    assert count is not None, "every process knows the shard count"
    ranges = [s.shards for s in settings]
    assert all(r is not None for r in ranges)
    owned = sorted(i for r in ranges if r is not None for i in r.ids)
    assert owned == list(range(count)), "each shard is run by exactly one process"
    assert all(str(s.database).startswith("postgresql://") for s in settings)


def test_the_bots_wait_for_a_healthy_database_and_run_the_bot() -> None:
    found = services()
    databases = [name for name, s in found.items() if "healthcheck" in s]
    assert databases, "the database service says when it is ready"
    for name, service in found.items():
        if service.get("build"):
            assert service["depends_on"] == {databases[0]: {"condition": "service_healthy"}}, name
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert 'CMD ["python", "-m", "bot", "run"]' in dockerfile
