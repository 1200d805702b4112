"""Pnakotic client for game servers (standard library only).

Method names mirror a MythosMUD-style persistence layer, so a game server can swap its local
persistence for Pnakotic with few changes (see README.md)::

    from pnakotic_client import PnakoticClient, StaleDataException

    pnakotic = PnakoticClient("http://pnakotic.internal:3000", token=os.environ["PNAKOTIC_TOKEN"])
    pnakotic.damage_player(player_id, 10, damage_type="melee", source="npc:dr-francis-morgan")
"""

from .async_client import AsyncPnakoticClient
from .client import PnakoticClient
from .errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PnakoticError,
    RateLimitedError,
    StaleDataException,
    TransportError,
    UnavailableError,
    ValidationError,
)
from .mythos import SEED_FIELD_PATHS, MythosPlayer, PnakoticPersistenceLayer, SaveOutcome

__all__ = [
    "AsyncPnakoticClient",
    "AuthenticationError",
    "ConflictError",
    "MythosPlayer",
    "NotFoundError",
    "PermissionDeniedError",
    "PnakoticClient",
    "PnakoticError",
    "PnakoticPersistenceLayer",
    "RateLimitedError",
    "SEED_FIELD_PATHS",
    "SaveOutcome",
    "StaleDataException",
    "TransportError",
    "UnavailableError",
    "ValidationError",
]
