"""Benchmarks for ``make bench``: each module here has a ``run() -> None`` that prints its table."""
