"""What a contract needs from the adapter under test, beyond the port itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from wa_agents.adapters.memory.clock import ManualClock
from wa_agents.domain.model.chat import Completion
from wa_agents.ports.chat_model import ChatModel
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.messaging import MessagingGateway
from wa_agents.ports.outbound import OutboundHttp
from wa_agents.ports.security import TokenService
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


@dataclass
class StorageBackend:
    """A unit-of-work factory and the job queue over the same store, with its clock."""

    uow: UnitOfWorkFactory
    queue: JobQueue
    clock: ManualClock = field(default_factory=ManualClock)


@dataclass
class MessagingHarness:
    """A gateway plus the phone side: ``link`` scans the QR, ``sent`` reads what went out."""

    gateway: MessagingGateway
    link: Callable[[str], Awaitable[None]]
    sent: Callable[[str], Awaitable[list[tuple[str, str]]]]


@dataclass
class ChatModelHarness:
    """A chat model plus a way to decide its next answer and to make it fail."""

    model: ChatModel
    will_answer: Callable[[Completion], Awaitable[None]]
    will_fail: Callable[[], Awaitable[None]]


@dataclass
class TokenHarness:
    """A token service plus a way to move time past the access-token lifetime."""

    tokens: TokenService
    expire: Callable[[], None]


@dataclass(frozen=True, slots=True)
class SeenRequest:
    """A request as the server on the other side saw it (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class OutboundHarness:
    """An outbound client and the web it can reach.

    ``public`` and ``other``: base URLs of two origins the client may reach; ``private``: an
    origin at a non-public address whose server must never be reached; ``closed``: a reachable
    address where nothing listens. ``serve(url, status, body, headers, delay)`` publishes a
    response; ``seen(base_url)`` lists the requests that reached that origin's server.
    """

    http: OutboundHttp
    public: str
    other: str
    private: str
    closed: str
    serve: Callable[..., None]
    seen: Callable[[str], list[SeenRequest]]
