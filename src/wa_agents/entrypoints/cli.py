"""``wa-agents``: the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from wa_agents.entrypoints.settings import SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wa-agents", description="AI agents on WhatsApp numbers.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chat = commands.add_parser(
        "chat", help="play a WhatsApp user talking to an agent, in this terminal"
    )
    chat.add_argument("--contact", default="15550001111", help="your pretend phone number")
    chat.add_argument("--model", default="gpt-4o-mini", help="model name (OpenAI only)")
    chat.add_argument(
        "--prompt",
        default="You are a friendly assistant on WhatsApp. Answer briefly.",
        help="the agent's system prompt",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 2
    if args.command == "chat":
        from wa_agents.entrypoints.console import run_console

        return asyncio.run(
            run_console(settings, contact=args.contact, model=args.model, prompt=args.prompt)
        )
    return 2  # pragma: no cover - argparse rejects unknown commands first


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
