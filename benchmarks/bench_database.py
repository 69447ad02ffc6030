"""The benchmark's PostgreSQL: a private schema, emptied tables, transaction counters."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import psycopg
from sqlalchemy.engine import make_url

from benchmarks.bench_constants import TABLES


# -- the database ------------------------------------------------------------------------------
def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def private_schema(url: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq(url), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def empty_tables(url: str) -> None:
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        connection.execute(f"TRUNCATE {TABLES}")


def xacts(url: str) -> tuple[int, int]:
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        row = connection.execute(
            "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname ="
            " current_database()"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])
