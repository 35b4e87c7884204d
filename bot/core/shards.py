"""Which servers a process serves when the bot is split into shards.

Discord assigns a server to shard ``(guild_id >> 22) % shard_count``; a process that runs
shards ``ids`` of ``count`` receives those servers' events and nothing else, so its
scheduled work is limited to them too. Pure arithmetic: nothing of Discord here.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, count: int) -> int:
    """The shard Discord sends a server's events to."""
    return (guild_id >> 22) % count


@dataclass(frozen=True, slots=True)
class ShardRange:
    """Shards ``ids`` (sorted, distinct) of a bot split into ``count``."""

    count: int
    ids: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("a bot has at least one shard")
        if not self.ids or list(self.ids) != sorted(set(self.ids)):
            raise ValueError("shard ids must be distinct and sorted")
        if self.ids[0] < 0 or self.ids[-1] >= self.count:
            raise ValueError(f"shard ids must be between 0 and {self.count - 1}")

    @classmethod
    def parse(cls, count: str, ids: str) -> ShardRange:
        """From ``SHARD_COUNT`` and ``SHARD_IDS`` (``0,1`` or ``0-2``; empty: every shard).

        ``ValueError`` with a message an operator can act on.
        """
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"SHARD_COUNT must be a whole number of 1 or more, got {count!r}")
        total = int(count)
        if not ids.strip():
            return cls(total, tuple(range(total)))
        chosen: set[int] = set()
        for part in ids.split(","):
            first, _, last = part.strip().partition("-")
            if not first.isdigit() or (last and not last.isdigit()):
                raise ValueError(f"SHARD_IDS must look like 0,1 or 0-2, got {ids!r}")
            chosen.update(range(int(first), int(last or first) + 1))
        try:
            return cls(total, tuple(sorted(chosen)))
        except ValueError as exc:
            raise ValueError(f"SHARD_IDS {ids!r}: {exc}") from exc

    @property
    def everything(self) -> bool:
        return len(self.ids) == self.count

    def owns(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids

    def sql(self, column: str) -> tuple[str, list[int]]:
        """A condition (``?`` placeholders) true for rows whose server is on these shards.

        ``column`` holds the server id as text; both SQLite and PostgreSQL cast it.
        """
        marks = ", ".join("?" for _ in self.ids)
        return (
            f"((CAST({column} AS BIGINT) >> 22) % ?) IN ({marks})",
            [self.count, *self.ids],
        )

    def __str__(self) -> str:
        if len(self.ids) > 1 and self.ids == tuple(range(self.ids[0], self.ids[-1] + 1)):
            listed = f"{self.ids[0]}–{self.ids[-1]}"
        else:
            listed = ",".join(str(i) for i in self.ids)
        return f"shards {listed} of {self.count}"
