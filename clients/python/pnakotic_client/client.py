"""The HTTP client: urllib and json only, so a game server needs no new dependency."""

import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Dict, Iterable, List, Optional, Union

from .errors import PnakoticError, StaleDataException, TransportError, error_for

# Fields of GET /api/v1/players/{id} that a save must not send back (the server owns them).
READ_ONLY_PLAYER_FIELDS = frozenset({"id", "version", "level", "status", "createdAt", "updatedAt", "lastActiveAt", "archivedAt", "testTag"})

PlayerRef = Union[str, Dict[str, Any], Any]


def player_id_of(player: PlayerRef) -> str:
    """Accepts a player id, a player dict from this client, or a game object with ``player_id``/``id``."""
    if isinstance(player, str):
        return player
    if isinstance(player, dict):
        return str(player["id"])
    for attribute in ("player_id", "id"):
        value = getattr(player, attribute, None)
        if value is not None:
            return str(value)
    raise TypeError("expected a player id, a player dict or an object with player_id/id, got %r" % (player,))


class PnakoticClient:
    """A Pnakotic API client for one game server (a ``service`` token).

    Every write goes through the server's atomic, ledgered operations. Mutations carry an
    ``Idempotency-Key``; a retry after a timeout, a dropped connection or a 503 reuses the same key,
    so a write that reached the server before the answer was lost is applied once, not twice.
    """

    def __init__(self, base_url: str, token: str, timeout: float = 5.0, retries: int = 2, backoff: float = 0.2, user_agent: str = "pnakotic-python-client/0.1") -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.user_agent = user_agent

    # --- reads -----------------------------------------------------------------------------------

    def get_player(self, player: PlayerRef) -> Dict[str, Any]:
        """The player as stored (served from the cache only while it is known to be current)."""
        player_id = player_id_of(player)
        return self._request("GET", "/api/v1/players/%s" % _quote(player_id), what="read player %s" % player_id)

    def find_player_by_name(self, name: str) -> Optional[Dict[str, Any]]:
        """The player with exactly this name (NFC, case-insensitive, as names are unique), or None."""
        query = urllib.parse.urlencode({"name": name})
        body = self._request("GET", "/api/v1/players?%s" % query, what="look up player %r" % name)
        items = body["items"]
        return items[0] if items else None

    def get_player_events(self, player: PlayerRef, field: Optional[str] = None, limit: int = 100) -> List[Dict[str, Any]]:
        """The player's ledger rows, oldest first (one page of up to `limit`)."""
        player_id = player_id_of(player)
        query = urllib.parse.urlencode({key: value for key, value in {"field": field, "limit": limit}.items() if value is not None})
        body = self._request("GET", "/api/v1/players/%s/events?%s" % (_quote(player_id), query), what="read events of %s" % player_id)
        return body["items"]

    # --- writes (atomic on the server; returns the player after the change) -----------------------

    def create_player(self, name: str, idempotency_key: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
        return self._request("POST", "/api/v1/players", body=dict(fields, name=name), idempotency_key=idempotency_key, what="create player %s" % name)

    def damage_player(self, player: PlayerRef, amount: int, damage_type: Optional[str] = None, source: Optional[str] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        player_id = player_id_of(player)
        body = _without_none({"amount": amount, "damageType": damage_type, "source": source})
        return self._mutation(player_id, "damage", body, idempotency_key)

    def heal_player(self, player: PlayerRef, amount: int, source: Optional[str] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        player_id = player_id_of(player)
        return self._mutation(player_id, "heal", _without_none({"amount": amount, "source": source}), idempotency_key)

    def gain_experience(self, player: PlayerRef, amount: int, source: Optional[str] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        player_id = player_id_of(player)
        return self._mutation(player_id, "experience", _without_none({"amount": amount, "source": source}), idempotency_key)

    def update_player_field(
        self,
        player: PlayerRef,
        field: str,
        value: int,
        op: str = "set",
        reason: Optional[str] = None,
        source: Optional[str] = None,
        expected_version: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Sets (``op="set"``) or adds to (``op="add"``, clamped to the stat's bounds) one declared stat.

        ``field`` is a stat key from GET /api/v1/stats (``health``, ``experience``, ``lucidity``, ``gold`` …).
        With ``expected_version`` the write is refused with StaleDataException if the player changed.
        """
        return self.update_player_fields(player, [(field, op, value)], reason=reason, source=source, expected_version=expected_version, idempotency_key=idempotency_key)

    def update_player_fields(
        self,
        player: PlayerRef,
        changes: Iterable[tuple],
        reason: Optional[str] = None,
        source: Optional[str] = None,
        expected_version: Optional[int] = None,
        idempotency_key: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Several stat changes ``(stat, op, value)`` applied all or nothing, as one version."""
        player_id = player_id_of(player)
        body = _without_none({"changes": [{"stat": stat, "op": op, "value": value} for stat, op, value in changes], "reason": reason, "source": source})
        headers = {"If-Match": '"%d"' % expected_version} if expected_version is not None else {}
        result = self._request("POST", "/api/v1/players/%s/stats" % _quote(player_id), body=body, headers=headers, idempotency_key=idempotency_key, what="update stats of %s" % player_id)
        return result["player"]

    def apply_changes(
        self,
        changes: List[Dict[str, Any]],
        mode: str = "atomic",
        reason: Optional[str] = None,
        source: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        """Many changes across players in one request and one transaction (up to 1,000).

        Each change is a dict with ``op`` (damage, heal, experience, stats, respawn, transfer) and the
        fields of its single call, e.g. ``{"op": "damage", "playerId": pid, "amount": 10}`` or
        ``{"op": "transfer", "stat": "gold", "amount": 250, "fromPlayerId": a, "toPlayerId": b}``.
        ``mode="atomic"``: all or nothing; a refusal raises PnakoticError whose ``problem`` names
        ``changeIndex``. ``mode="independent"``: each change applied or refused on its own; returns each
        result in order (``status`` 200 with ``player``/``events``, or ``status`` and ``problem``).
        One Idempotency-Key covers the whole batch, so a retry applies it once.
        """
        body = _without_none({"mode": mode, "changes": changes, "reason": reason, "source": source})
        result = self._request("POST", "/api/v1/changes", body=body, idempotency_key=idempotency_key, what="apply %d changes" % len(changes))
        return result["results"]

    def transfer(
        self,
        stat: str,
        amount: int,
        from_player: PlayerRef,
        to_player: PlayerRef,
        source: Optional[str] = None,
        reason: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Moves ``amount`` of a declared stat from one player to another, atomically.

        Refused whole (PnakoticError with code ``insufficient_balance`` or ``stat_bound_exceeded``)
        when the giver lacks it or the receiver's bound would be exceeded. Returns
        ``{"from": player, "to": player, "events": [...]}``.
        """
        change = _without_none({"op": "transfer", "stat": stat, "amount": amount, "fromPlayerId": player_id_of(from_player), "toPlayerId": player_id_of(to_player), "source": source})
        (result,) = self.apply_changes([change], mode="atomic", reason=reason, idempotency_key=idempotency_key)
        return {"from": result["players"][0], "to": result["players"][1], "events": result["events"]}

    def save_player(self, player: Dict[str, Any], merge: bool = True) -> Dict[str, Any]:
        """Saves a whole player as read by get_player (and changed), based on its ``version``.

        If others wrote the player since that read, the server merges field by field (what you
        changed is applied as a delta, what they changed is kept). Raises StaleDataException when
        a field conflicts (its ``problem["conflicts"]`` lists them) or, with ``merge=False``
        (``Prefer: merge=none``), whenever the version is stale; nothing is written then. A save is
        not retried on a lost answer (its outcome would be ambiguous): read again.
        """
        return self.save_player_response(player, merge)["player"]

    def save_player_response(self, player: Dict[str, Any], merge: bool = True) -> Dict[str, Any]:
        """Like save_player, but returns the whole answer: ``{"player": …}``, plus a ``merge`` member
        when a server that merges stale saves field by field merged this one instead of refusing it."""
        player_id = player_id_of(player)
        body = {key: value for key, value in player.items() if key not in READ_ONLY_PLAYER_FIELDS}
        headers = {"If-Match": '"%d"' % int(player["version"])}
        if not merge:
            headers["Prefer"] = "merge=none"
        result = self._request(
            "PUT",
            "/api/v1/players/%s" % _quote(player_id),
            body=body,
            headers=headers,
            retry=False,
            what="save player %s at version %s" % (player_id, player["version"]),
        )
        return result

    # --- lifecycle ----------------------------------------------------------------------------------

    def archive_player(self, player: PlayerRef) -> Dict[str, Any]:
        """Archives a player (support, admin): hidden from lists; every write then raises code player_archived (410)."""
        player_id = player_id_of(player)
        result = self._request("DELETE", "/api/v1/players/%s" % _quote(player_id), what="archive player %s" % player_id)
        return result["player"]

    def unarchive_player(self, player: PlayerRef) -> Dict[str, Any]:
        """Brings an archived player back (admin)."""
        player_id = player_id_of(player)
        return self._mutation(player_id, "unarchive", {}, None)

    def purge_test_player(self, player: PlayerRef) -> Dict[str, Any]:
        """Deletes a test player (created with testTag) and its ledger (admin, or a token with scope test-players)."""
        player_id = player_id_of(player)
        return self._request("POST", "/api/v1/players/%s/purge" % _quote(player_id), what="purge test player %s" % player_id)

    # --- transport -------------------------------------------------------------------------------

    def _mutation(self, player_id: str, action: str, body: Dict[str, Any], idempotency_key: Optional[str]) -> Dict[str, Any]:
        result = self._request("POST", "/api/v1/players/%s/%s" % (_quote(player_id), action), body=body, idempotency_key=idempotency_key, what="%s player %s" % (action, player_id))
        return result["player"]

    def _request(
        self,
        method: str,
        path: str,
        body: Optional[Dict[str, Any]] = None,
        headers: Optional[Dict[str, str]] = None,
        idempotency_key: Optional[str] = None,
        retry: bool = True,
        what: str = "request",
    ) -> Any:
        all_headers = {"Authorization": "Bearer %s" % self.token, "Accept": "application/json", "User-Agent": self.user_agent}
        all_headers.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        if method == "POST":
            # One key for every attempt of this call: the server replays the first answer.
            all_headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=all_headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    text = response.read().decode("utf-8")
                    return json.loads(text) if text else None
            except urllib.error.HTTPError as answer:
                problem = _problem_of(answer)
                error = error_for(answer.code, problem, what)
                transient = answer.code == 503 and (problem is None or problem.get("code") == "database_unavailable")
                if not transient or attempt == attempts:
                    raise error from None
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, TimeoutError) as failure:
                if attempt == attempts:
                    raise TransportError(what, failure) from failure
            time.sleep(self.backoff * (2 ** (attempt - 1)))
        raise AssertionError("unreachable")


def _problem_of(answer: urllib.error.HTTPError) -> Optional[Dict[str, Any]]:
    try:
        parsed = json.loads(answer.read().decode("utf-8"))
    except (ValueError, OSError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _without_none(values: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


__all__ = ["PnakoticClient", "PnakoticError", "StaleDataException", "player_id_of"]
