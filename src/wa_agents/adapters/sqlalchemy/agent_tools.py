"""SQLAlchemy ``ToolRepository``: ``agent_http_tools``, ``agent_mcp_servers`` and
``agent_tool_policies``. A definition is kept as one JSON document beside its keys. Every
change also moves ``agents.tools_version`` (``tools_version + 1`` in SQL, so two writers
never land on the same value) in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import Select, Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import Row, agents
from wa_agents.adapters.sqlalchemy.tables import HttpToolRow, McpServerRow, ToolPolicyRow
from wa_agents.domain.model.agent_tools import HttpTool, McpServer, ToolPolicy
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.ports.agent_tools import ToolRepository

http_table: Table = cast(Table, HttpToolRow.__table__)
mcp_table: Table = cast(Table, McpServerRow.__table__)
policies: Table = cast(Table, ToolPolicyRow.__table__)
_KEYS = ("id", "agent_id", "name", "created_at", "updated_at")
T = TypeVar("T", HttpTool, McpServer)


def _values(item: HttpTool | McpServer) -> dict[str, Any]:
    keys = {k: getattr(item, k) for k in _KEYS}
    definition = {
        f: list(v) if isinstance(v, tuple) else v
        for f in item.__dataclass_fields__
        if f not in _KEYS
        for v in [getattr(item, f)]
    }
    return {**keys, "definition": definition}


def _http(row: Row) -> HttpTool:
    spec = dict(row["definition"])
    spec["allowed_hosts"] = tuple(spec.get("allowed_hosts", ()))
    return HttpTool(**{k: row[k] for k in _KEYS}, **spec)


def _mcp(row: Row) -> McpServer:
    spec = dict(row["definition"])
    spec["allowed_tools"] = tuple(spec.get("allowed_tools", ()))
    return McpServer(**{k: row[k] for k in _KEYS}, **spec)


def _by_agent(table: Table, order: str) -> Select[Any]:
    """Every turn reads an agent's tools: built once, bound per call."""
    return select(table).where(table.c.agent_id == bindparam("agent_id")).order_by(table.c[order])


_BY_AGENT = {t.name: _by_agent(t, "name") for t in (http_table, mcp_table)}
_POLICIES = _by_agent(policies, "tool_name")


def _owner(table: Table, key: str) -> Any:
    return select(table.c.agent_id).where(table.c.id == key).scalar_subquery()


class SqlAlchemyToolRepository(Repository, ToolRepository):
    async def _bump(self, *owners: Any) -> None:
        """The agents owning what changed (ids, or subqueries for the stored row's)."""
        version = agents.c.tools_version
        statement = update(agents).where(agents.c.id.in_(owners)).values(tools_version=version + 1)
        await self._s.execute(statement)

    async def _add(self, table: Table, item: HttpTool | McpServer, kind: str) -> None:
        await self._insert_unique(insert(table).values(_values(item)), kind, item.name)
        await self._bump(item.agent_id)

    async def _get(self, table: Table, key: str, convert: Callable[[Row], T], kind: str) -> T:
        return await self._one(select(table).where(table.c.id == key), convert, kind, key)

    async def _update(self, table: Table, item: HttpTool | McpServer, kind: str) -> None:
        values = _values(item)
        await self._bump(item.agent_id, _owner(table, item.id))  # in case it moved agents
        statement = update(table).where(table.c.id == item.id).values(values)
        try:
            async with self._s.begin_nested():
                await self._changed(statement, kind, item.id)
        except IntegrityError as exc:
            raise AlreadyExists(kind, item.name) from exc

    async def _list(self, table: Table, agent_id: str, convert: Callable[[Row], T]) -> list[T]:
        rows = await self._s.execute(_BY_AGENT[table.name], {"agent_id": agent_id})
        return [convert(r) for r in rows.mappings()]

    async def add_http(self, tool: HttpTool) -> None:
        await self._add(http_table, tool, "http tool")

    async def get_http(self, tool_id: str) -> HttpTool:
        return await self._get(http_table, tool_id, _http, "http tool")

    async def update_http(self, tool: HttpTool) -> None:
        await self._update(http_table, tool, "http tool")

    async def delete_http(self, tool_id: str) -> None:
        await self._bump(_owner(http_table, tool_id))
        await self._changed(
            delete(http_table).where(http_table.c.id == tool_id), "http tool", tool_id
        )

    async def http_tools(self, agent_id: str) -> list[HttpTool]:
        return await self._list(http_table, agent_id, _http)

    async def add_mcp(self, server: McpServer) -> None:
        await self._add(mcp_table, server, "MCP server")

    async def get_mcp(self, server_id: str) -> McpServer:
        return await self._get(mcp_table, server_id, _mcp, "MCP server")

    async def update_mcp(self, server: McpServer) -> None:
        await self._update(mcp_table, server, "MCP server")

    async def delete_mcp(self, server_id: str) -> None:
        await self._bump(_owner(mcp_table, server_id))
        statement = delete(mcp_table).where(mcp_table.c.id == server_id)
        await self._changed(statement, "MCP server", server_id)

    async def mcp_servers(self, agent_id: str) -> list[McpServer]:
        return await self._list(mcp_table, agent_id, _mcp)

    async def set_policy(self, policy: ToolPolicy) -> None:
        p = policies.c
        await self._s.execute(
            delete(policies).where(p.agent_id == policy.agent_id, p.tool_name == policy.tool_name)
        )
        await self._s.execute(
            insert(policies).values(
                agent_id=policy.agent_id,
                tool_name=policy.tool_name,
                requires_approval=policy.requires_approval,
            )
        )
        await self._bump(policy.agent_id)

    async def policies(self, agent_id: str) -> list[ToolPolicy]:
        rows = (await self._s.execute(_POLICIES, {"agent_id": agent_id})).mappings()
        return [
            ToolPolicy(r["agent_id"], r["tool_name"], bool(r["requires_approval"])) for r in rows
        ]
