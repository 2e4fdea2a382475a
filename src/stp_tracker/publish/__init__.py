"""Publish the history with Datasette: documented tables, canned questions, pages, feeds, map.

    build_datasette(db_path, config_folder) -> Datasette   the configured, read-only instance
    make_server(ds, host, port) -> uvicorn.Server          serve it; stop with should_exit = True

The parts: `settings` (config/datasette.yml and our plugin settings), `app` (building the
instance), `hooks` (Datasette plugin hooks), `pages` (organisation page, map, robots.txt) and
`atom` (the Atom renderer behind the change feeds).
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_datasette", "make_server"]


def __getattr__(name: str) -> Any:
    """`build_datasette` and `make_server`, from `app` on first use: the package itself
    imports none of its modules, so they can import one another without a cycle."""
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
