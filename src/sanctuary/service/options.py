"""The options every command on the service's store takes: which database (``--database``), and opening it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from sanctuary.service.signing import load_signer
from sanctuary.service.store import Store, default_url

Database = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="sqlite:///PATH (the default: sanctuary.db here) or postgresql://… ; or set SANCTUARY_DATABASE.",
    ),
]


def open_store(database: str | None, *, signing: bool = False) -> Store:
    """The store ``--database`` names. ``signing``: for a command that appends records (keys, the docket),
    which signs each with the deployment's key as the service does (an unsigned record after signed ones is
    reported by ``audit verify`` as forged)."""
    url = database or os.environ.get("SANCTUARY_DATABASE") or default_url()
    store = Store(url)  # a StoreError is a bad --database: exit 2 (sanctuary.errors.EXIT_CODES)
    if signing:
        store.signer = load_signer(signing_key_file(store))
    return store


def signing_key_file(store: Store) -> Path:
    """The deployment's signing key: beside the SQLite database, else in the current folder (unless
    ``SANCTUARY_SIGNING_KEY`` gives it)."""
    if store.file is not None:
        return store.file.with_suffix(".signing-key")
    return Path.cwd() / "sanctuary.signing-key"
