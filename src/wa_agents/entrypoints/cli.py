"""``wa-agents``: the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.entrypoints import backup
from wa_agents.entrypoints.data_dir import owner_only_from_now, tighten
from wa_agents.entrypoints.settings import Settings, SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wa-agents", description="AI agents on WhatsApp numbers.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chat = commands.add_parser(
        "chat", help="play a WhatsApp user talking to an agent, in this terminal"
    )
    chat.add_argument("--contact", default="15550001111", help="your pretend phone number")
    chat.add_argument(
        "--agent", metavar="NAME", help="talk to this agent of the configured database (a copy)"
    )
    chat.add_argument("--model", default="gpt-4o-mini", help="model name (OpenAI only)")
    chat.add_argument(
        "--prompt",
        default="You are a friendly assistant on WhatsApp. Answer briefly.",
        help="the agent's system prompt",
    )
    replay = commands.add_parser(
        "replay", help="run a golden conversation (YAML or JSON) and check its expectations"
    )
    replay.add_argument("file", help="the recorded conversation, e.g. docs/examples/hours.yaml")
    replay.add_argument("--agent", metavar="NAME", help="an agent of the configured database")
    replay.add_argument(
        "--llm",
        choices=["scripted", "openai"],
        default="scripted",
        help="the offline scripted model (default) or the configured OpenAI-compatible one",
    )
    commands.add_parser("migrate", help="upgrade the database schema to the latest revision")
    copy = commands.add_parser(
        "copy-database",
        help="copy every row of the configured database into another (e.g. SQLite to PostgreSQL)",
    )
    copy.add_argument("target", help="the target URL, e.g. postgresql+psycopg://user@host/db")
    serve = commands.add_parser("serve", help="run the API, the workers and the dashboard")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes sharing the port, each with WA_WORKERS job workers "
        "(PostgreSQL only; default 1)",
    )
    user = commands.add_parser(
        "create-user", help="add a dashboard user (the password is asked for, or read from stdin)"
    )
    user.add_argument("username")
    user.add_argument("--email", help="default: <username>@localhost")
    user.add_argument("--role", choices=["viewer", "operator", "admin"], default="viewer")
    reindex = commands.add_parser(
        "reindex", help="rebuild the search index (messages and knowledge) from the database"
    )
    reindex.add_argument("--session", help="only this session's messages")
    worker = commands.add_parser(
        "worker", help="run only the job workers (scale-out beside `serve`, on PostgreSQL)"
    )
    worker.add_argument("--concurrency", type=int, default=None, help="default: WA_WORKERS")
    backup.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 2
    owner_only_from_now()  # the database, its -wal/-shm, keys, indexes: 0600/0700
    tighten(settings.data_dir)
    if args.command == "chat":
        from wa_agents.entrypoints.console import run_console

        return asyncio.run(
            run_console(
                settings,
                contact=args.contact,
                model=args.model,
                prompt=args.prompt,
                agent_name=args.agent,
            )
        )
    if args.command == "replay":
        from pathlib import Path

        from wa_agents.entrypoints.replay import replay

        if args.llm == "openai" and not settings.openai_api_key:
            print("wa-agents: --llm openai needs WA_OPENAI_API_KEY", file=sys.stderr)
            return 2
        return asyncio.run(replay(settings, Path(args.file), agent_name=args.agent, llm=args.llm))
    if args.command in backup.COMMANDS:
        return backup.run(settings, args)
    if args.command == "copy-database":
        return asyncio.run(_copy(settings, args.target))
    if args.command == "migrate":
        return asyncio.run(_migrate(settings))
    if args.command == "serve":
        from wa_agents.entrypoints.serve import run_server

        return run_server(settings, args.host, args.port, args.workers)
    if args.command == "worker":
        from wa_agents.entrypoints.worker import run_workers

        return asyncio.run(run_workers(settings, args.concurrency))
    if args.command == "reindex":
        from wa_agents.entrypoints.reindex import reindex

        return asyncio.run(reindex(settings, args.session))
    if args.command == "create-user":
        from wa_agents.entrypoints.serve import create_user

        return asyncio.run(create_user(settings, args.username, args.email, args.role))
    return 2  # pragma: no cover - argparse rejects unknown commands first


async def _copy(settings: Settings, target: str) -> int:
    from wa_agents.entrypoints.container import copy_database_to
    from wa_agents.entrypoints.settings import parse_database_url

    try:
        report = await copy_database_to(settings, parse_database_url(target))
    except (WaAgentsError, ValueError) as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 1
    total = sum(report.rows.values())
    detail = ", ".join(f"{name} {count}" for name, count in report.rows.items())
    print(f"copied {total} rows at revision {report.revision}: {detail}")
    return 0


async def _migrate(settings: Settings) -> int:
    from wa_agents.entrypoints.container import migrate_database

    if settings.storage != "sql":
        print("wa-agents: WA_DATABASE_URL=memory keeps nothing: there is nothing to migrate")
        return 0
    try:
        before, after = await migrate_database(settings)
    except WaAgentsError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 1
    print(
        f"database at revision {after}" + ("" if before == after else f" (was {before or 'empty'})")
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
