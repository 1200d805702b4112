"""A drop-in for a MythosMUD-style ``PersistenceLayer`` (the seed remediation plan's names).

The seed server kept ``Player`` objects with ``get_stats()``/``set_stats()`` over a JSON ``stats``
column (``current_health``, ``experience_points``, …) and called ``persistence.async_damage_player``,
``update_player_field(player_id, "stats.current_health", 80)`` and ``save_player(player)``. This
class keeps those calls and field paths and sends each one to Pnakotic as an atomic, ledgered
write; whole saves carry the version the object was read at, so the stale-cache save that restored
100 HP after a fight is merged field by field or refused, never applied over newer state.
"""

import logging
from typing import Any, Dict, Mapping, NamedTuple, Optional, Union

from .async_client import AsyncPnakoticClient
from .errors import StaleDataException

# The seed's field paths → Pnakotic stat keys. A path ``stats.<key>`` not listed here names a
# stat declared on the server with that key (``stats.lucidity`` → ``lucidity``).
SEED_FIELD_PATHS: Dict[str, str] = {
    "stats.current_health": "health",
    "stats.max_health": "maxHealth",
    "stats.experience_points": "experience",
    "experience_points": "experience",
    "level": "level",
}

# Pnakotic's player columns → the seed's ``stats`` keys (what ``get_stats()`` shows).
_COLUMN_STATS = {"health": "current_health", "maxHealth": "max_health", "experiencePoints": "experience_points"}

log = logging.getLogger("pnakotic_client.mythos")


class MythosPlayer:
    """The seed's ``Player`` shape over a Pnakotic player: ``player_id``, ``name``, ``get_stats()``, ``set_stats()``.

    It remembers the version it was read at; ``async_save_player`` sends that version.
    """

    def __init__(self, stored: Dict[str, Any]) -> None:
        self._stored = dict(stored)

    @property
    def player_id(self) -> str:
        return str(self._stored["id"])

    @property
    def name(self) -> str:
        return str(self._stored["name"])

    @property
    def version(self) -> int:
        return int(self._stored["version"])

    @property
    def current_room_id(self) -> Optional[str]:
        return self._stored.get("currentRoomId")

    @current_room_id.setter
    def current_room_id(self, room: Optional[str]) -> None:
        self._stored["currentRoomId"] = room

    @property
    def level(self) -> int:
        return int(self._stored.get("level", 1))

    def get_stats(self) -> Dict[str, Any]:
        """``current_health``, ``max_health``, ``experience_points`` and the player's other (attribute) stats."""
        stats = {key: value for key, value in (self._stored.get("attributes") or {}).items()}
        stats.update({seed: self._stored[column] for column, seed in _COLUMN_STATS.items()})
        return stats

    def set_stats(self, stats: Mapping[str, Any]) -> None:
        """Changes this copy only; ``async_save_player`` sends it."""
        attributes = dict(self._stored.get("attributes") or {})
        for key, value in stats.items():
            column = next((column for column, seed in _COLUMN_STATS.items() if seed == key), None)
            if column is not None:
                self._stored[column] = value
            else:
                attributes[key] = value
        self._stored["attributes"] = attributes

    def as_pnakotic(self) -> Dict[str, Any]:
        """The player as Pnakotic returned it (plus this copy's changes), version included."""
        return dict(self._stored)

    def __repr__(self) -> str:
        return "MythosPlayer(%s %r v%d hp=%s xp=%s)" % (self.player_id, self.name, self.version, self._stored.get("health"), self._stored.get("experiencePoints"))


class SaveOutcome(NamedTuple):
    """What a whole save did: ``"saved"``, ``"merged"`` (a stale save merged field by field) or
    ``"refused"`` (409: nothing written). ``player`` is the player as stored afterwards."""

    status: str
    player: MythosPlayer
    merge: Optional[Dict[str, Any]] = None
    refusal: Optional[StaleDataException] = None


PlayerArg = Union[str, MythosPlayer, Dict[str, Any], Any]


def _ref(player: PlayerArg) -> Any:
    return player.player_id if isinstance(player, MythosPlayer) else player


class PnakoticPersistenceLayer:
    """``persistence = PnakoticPersistenceLayer(AsyncPnakoticClient(url, token))`` in place of the seed's ``PersistenceLayer``."""

    def __init__(self, client: AsyncPnakoticClient, field_paths: Optional[Mapping[str, str]] = None, logger: Optional[logging.Logger] = None) -> None:
        self.client = client
        self.field_paths = dict(SEED_FIELD_PATHS if field_paths is None else field_paths)
        self.log = logger or log

    def stat_of(self, field_path: str) -> str:
        """The Pnakotic stat a seed field path names; ValueError for a path that names none."""
        if field_path in self.field_paths:
            return self.field_paths[field_path]
        if field_path.startswith("stats.") and len(field_path) > len("stats."):
            return field_path[len("stats."):]
        raise ValueError("field path %r names no stat (expected stats.<key> or one of %s)" % (field_path, ", ".join(sorted(self.field_paths))))

    async def get_player(self, player_id: str) -> MythosPlayer:
        """Always a fresh read (the server's cache is kept coherent); never a process-local copy."""
        return MythosPlayer(await self.client.async_get_player(player_id))

    async def async_damage_player(self, player: PlayerArg, amount: int, damage_type: str = "physical", source: Optional[str] = None) -> MythosPlayer:
        return MythosPlayer(await self.client.async_damage_player(_ref(player), amount, damage_type=damage_type, source=source or "damage:%s" % damage_type))

    async def async_heal_player(self, player: PlayerArg, amount: int, source: Optional[str] = None) -> MythosPlayer:
        return MythosPlayer(await self.client.async_heal_player(_ref(player), amount, source=source))

    async def async_gain_experience(self, player: PlayerArg, amount: int, source: str = "unknown") -> MythosPlayer:
        return MythosPlayer(await self.client.async_gain_experience(_ref(player), amount, source="xp:%s" % source))

    async def async_update_player_field(self, player_id: PlayerArg, field_path: str, value: int, reason: Optional[str] = None) -> MythosPlayer:
        """The seed's Option A: ``update_player_field(player_id, "stats.current_health", 80)`` sets one field, touching no other."""
        return MythosPlayer(await self.client.async_update_player_field(_ref(player_id), self.stat_of(field_path), value, op="set", reason=reason))

    async def async_update_player_health(self, player_id: PlayerArg, delta: int, reason: str = "") -> MythosPlayer:
        return MythosPlayer(await self.client.async_update_player_field(_ref(player_id), "health", delta, op="add", reason=reason or None))

    async def async_update_player_xp(self, player_id: PlayerArg, delta: int, reason: str = "") -> MythosPlayer:
        return MythosPlayer(await self.client.async_update_player_field(_ref(player_id), "experience", delta, op="add", reason=reason or None))

    async def async_save_player(self, player: MythosPlayer) -> SaveOutcome:
        """A whole save at the version ``player`` was read at.

        A stale copy is never applied over newer state: a server that merges stale saves answers
        200 with a ``merge`` member (``"merged"``); one that refuses answers 409 (``"refused"``: logged
        as a warning, nothing written, the stored player returned so the caller can re-apply).
        Any other error is raised.
        """
        try:
            answer = await self.client.async_save_player_response(player.as_pnakotic())
        except StaleDataException as refusal:
            self.log.warning("save of %s at version %d refused (stale; nothing written): %s", player.player_id, player.version, refusal)
            return SaveOutcome("refused", await self.get_player(player.player_id), refusal=refusal)
        merge = answer.get("merge")
        return SaveOutcome("merged" if merge is not None else "saved", MythosPlayer(answer["player"]), merge=merge)


__all__ = ["MythosPlayer", "PnakoticPersistenceLayer", "SaveOutcome", "SEED_FIELD_PATHS"]
