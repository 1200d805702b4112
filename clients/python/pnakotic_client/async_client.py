"""An asyncio API over the same client, for asyncio game servers (MythosMUD runs on FastAPI).

Standard library only: each call runs the blocking ``http.client`` request of ``PnakoticClient``
in a thread executor, so the event loop never blocks on the network, and retries keep the same
``Idempotency-Key`` exactly as the synchronous client does.

Writes for one player are serialised in the order they were awaited (one ``asyncio.Lock`` per
player; asyncio's locks wake waiters first-come, first-served). Without that, two writes started
back to back by the game's synchronous model could reach the server in either order — a heal
overtaking the hit before it, refused as ``player_dead`` or clamped at the wrong value.
"""

import asyncio
import concurrent.futures
import functools
from typing import Any, Callable, Dict, Iterable, Optional, TypeVar

from .client import PlayerRef, PnakoticClient, player_id_of

T = TypeVar("T")


class AsyncPnakoticClient:
    """``await client.async_damage_player(player, 10)`` and friends; the method names are the seed plan's.

    ``max_workers`` bounds the threads (and so the requests in flight) this client uses.
    Use as ``async with AsyncPnakoticClient(...) as client:`` or call ``close()``.
    """

    def __init__(self, base_url: str, token: str, timeout: float = 5.0, retries: int = 2, backoff: float = 0.2, max_workers: int = 8, client: Optional[PnakoticClient] = None) -> None:
        self.sync = client or PnakoticClient(base_url, token, timeout=timeout, retries=retries, backoff=backoff, user_agent="pnakotic-python-client/0.2 asyncio")
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="pnakotic")
        # player id → [the lock that orders its writes, writes queued or running]
        self._lanes: Dict[str, list] = {}

    async def __aenter__(self) -> "AsyncPnakoticClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    # --- reads -----------------------------------------------------------------------------------

    async def async_get_player(self, player: PlayerRef) -> Dict[str, Any]:
        return await self._run(self.sync.get_player, player)

    async def async_get_player_events(self, player: PlayerRef, field: Optional[str] = None, limit: int = 100) -> Any:
        return await self._run(self.sync.get_player_events, player, field=field, limit=limit)

    async def async_create_player(self, name: str, idempotency_key: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
        return await self._run(self.sync.create_player, name, idempotency_key=idempotency_key, **fields)

    # --- writes, in order per player -------------------------------------------------------------

    async def async_damage_player(self, player: PlayerRef, amount: int, damage_type: Optional[str] = None, source: Optional[str] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        return await self._write(player, self.sync.damage_player, amount, damage_type=damage_type, source=source, idempotency_key=idempotency_key)

    async def async_heal_player(self, player: PlayerRef, amount: int, source: Optional[str] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        return await self._write(player, self.sync.heal_player, amount, source=source, idempotency_key=idempotency_key)

    async def async_gain_experience(self, player: PlayerRef, amount: int, source: Optional[str] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        return await self._write(player, self.sync.gain_experience, amount, source=source, idempotency_key=idempotency_key)

    async def async_update_player_field(self, player: PlayerRef, field: str, value: int, op: str = "set", reason: Optional[str] = None, source: Optional[str] = None, expected_version: Optional[int] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        return await self._write(player, self.sync.update_player_field, field, value, op=op, reason=reason, source=source, expected_version=expected_version, idempotency_key=idempotency_key)

    async def async_update_player_fields(self, player: PlayerRef, changes: Iterable[tuple], reason: Optional[str] = None, source: Optional[str] = None, expected_version: Optional[int] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        return await self._write(player, self.sync.update_player_fields, list(changes), reason=reason, source=source, expected_version=expected_version, idempotency_key=idempotency_key)

    async def async_save_player(self, player: Dict[str, Any]) -> Dict[str, Any]:
        """A whole save based on ``player["version"]``; StaleDataException (409) when someone wrote since."""
        return await self._write(player, self.sync.save_player)

    async def async_save_player_response(self, player: Dict[str, Any]) -> Dict[str, Any]:
        """Like async_save_player, with the whole answer (``player``, and ``merge`` when the server merged a stale save)."""
        return await self._write(player, self.sync.save_player_response)

    # --- plumbing --------------------------------------------------------------------------------

    async def _run(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(call, *args, **kwargs))

    async def _write(self, player: PlayerRef, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        player_id = player_id_of(player)
        lane = self._lanes.get(player_id)
        if lane is None:
            lane = self._lanes[player_id] = [asyncio.Lock(), 0]
        lane[1] += 1
        try:
            async with lane[0]:
                return await self._run(call, player, *args, **kwargs)
        finally:
            # Drop the lane once nobody is queued on it, so a long-running server does not keep one per player ever seen.
            lane[1] -= 1
            if lane[1] == 0 and self._lanes.get(player_id) is lane:
                del self._lanes[player_id]


__all__ = ["AsyncPnakoticClient"]
