"""The options every command on the service's store takes: which database (``--database``), and opening it."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from sanctuary.service.store import Store, default_url

Database = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="sqlite:///PATH (the default: sanctuary.db here) or postgresql://… ; or set SANCTUARY_DATABASE.",
    ),
]


def open_store(database: str | None) -> Store:
    url = database or os.environ.get("SANCTUARY_DATABASE") or default_url()
    return Store(url)  # a StoreError is a bad --database: exit 2 (sanctuary.errors.EXIT_CODES)
