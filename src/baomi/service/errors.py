"""Errors of the service functions, each with the HTTP status a view answers with.

ServiceError            base (a BaomiError; message in Chinese, never the checked text)
├── Unauthorized  401   no or bad credentials
├── Forbidden     403   role, scope or unit does not allow it
├── NotFound      404
├── Conflict      409   stale version, state that does not allow the action
├── Invalid       422   input that does not validate
├── TooLarge      413   request or attachment over its limit
└── RateLimited   429   too many requests for one token
"""

from __future__ import annotations

from baomi.errors import BaomiError


class ServiceError(BaomiError):
    status = 400
    code = "bad_request"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Conflict(ServiceError):
    status, code = 409, "conflict"


class Invalid(ServiceError):
    status, code = 422, "invalid"


class TooLarge(ServiceError):
    status, code = 413, "too_large"


class RateLimited(ServiceError):
    status, code = 429, "rate_limited"
