"""Print the API's OpenAPI document as JSON, built from the app itself (no server, no database).

The dashboard's TypeScript types are generated from it: ``make frontend-types``.
"""

from __future__ import annotations

import json
import sys

import msgspec

from wa_agents.entrypoints.container import build_container
from wa_agents.entrypoints.http import create_app
from wa_agents.entrypoints.settings import Settings


def schema() -> dict[str, object]:
    settings = Settings(database_url="memory", secret_key="s" * 40)
    app = create_app(build_container(settings), workers=0, dashboard=None)
    # msgspec encodes what the schema embeds (examples are structs), then plain JSON sorts keys
    document: dict[str, object] = json.loads(msgspec.json.encode(app.openapi_schema.to_schema()))
    return document


if __name__ == "__main__":
    json.dump(schema(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
