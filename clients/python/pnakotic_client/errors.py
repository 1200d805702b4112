"""Typed errors built from the server's application/problem+json answers."""

from typing import Any, Dict, Optional


class PnakoticError(Exception):
    """A non-2xx answer. ``code`` is the server's error code (e.g. ``player_not_found``)."""

    def __init__(self, status: int, problem: Optional[Dict[str, Any]], what: str) -> None:
        self.status = status
        self.problem: Dict[str, Any] = problem or {}
        self.code: str = str(self.problem.get("code", "http_%d" % status))
        self.title: Optional[str] = self.problem.get("title")
        self.detail: Optional[str] = self.problem.get("detail")
        self.request_id: Optional[str] = self.problem.get("requestId")
        self.errors = self.problem.get("errors", [])
        super().__init__("%s failed: HTTP %d %s: %s" % (what, status, self.code, self.detail or ""))


class AuthenticationError(PnakoticError):
    """401: no token, or a revoked or unknown one."""


class PermissionDeniedError(PnakoticError):
    """403: the token's role may not do this."""


class NotFoundError(PnakoticError):
    """404: no such player (or encounter)."""


class ConflictError(PnakoticError):
    """409 other than a stale version (name taken, idempotency key in flight, ...)."""


class StaleDataException(ConflictError):
    """409 stale_version: the save carried a version someone else has since replaced, and a field
    conflicts (or the save asked for merge=none).

    Nothing was written. ``problem["conflicts"]`` lists each field with its base, your and their
    value and the ledger events that changed it. Read the player again, re-apply, and save that.
    """


class ValidationError(PnakoticError):
    """422 (and 400): the request's values were refused; ``errors`` lists path and message."""


class RateLimitedError(PnakoticError):
    """429: slow down."""


class UnavailableError(PnakoticError):
    """503: the database is unreachable (retried before this is raised)."""


class TransportError(PnakoticError):
    """No HTTP answer at all (connection refused or reset, timeout) after every retry."""

    def __init__(self, what: str, cause: BaseException) -> None:
        self.cause = cause
        super().__init__(0, {"code": "transport_error", "detail": "%s: %s" % (type(cause).__name__, cause)}, what)


_BY_STATUS = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitedError,
    503: UnavailableError,
}


def error_for(status: int, problem: Optional[Dict[str, Any]], what: str) -> PnakoticError:
    if status == 409 and problem and problem.get("code") == "stale_version":
        return StaleDataException(status, problem, what)
    return _BY_STATUS.get(status, PnakoticError)(status, problem, what)
