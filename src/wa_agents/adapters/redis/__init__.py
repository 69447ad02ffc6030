"""Shared state across replicas on Redis (``WA_REDIS_URL``): live events, rate-limit windows
and the send governor. Each degrades to this process's state while Redis is unreachable."""

from wa_agents.adapters.redis.connection import Degradation, connect
from wa_agents.adapters.redis.events import RedisEventBus
from wa_agents.adapters.redis.governor_store import RedisGovernorStore
from wa_agents.adapters.redis.windows import RedisHitWindows

__all__ = ["Degradation", "RedisEventBus", "RedisGovernorStore", "RedisHitWindows", "connect"]
