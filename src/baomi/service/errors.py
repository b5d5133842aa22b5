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


_PYDANTIC_ZH = {
    "missing": "缺少此字段",
    "extra_forbidden": "未知字段",
    "literal_error": "取值无效",
    "enum": "取值无效",
    "string_too_long": "过长",
    "string_too_short": "过短",
    "string_type": "必须是字符串",
    "string_pattern_mismatch": "格式不对",
    "json_invalid": "不是有效的 JSON",
    "model_type": "必须是 JSON 对象",
    "model_attributes_type": "必须是 JSON 对象",
    "too_long": "条目过多",
    "too_short": "条目过少",
    "int_parsing": "必须是整数",
    "int_type": "必须是整数",
    "less_than_equal": "过大",
    "greater_than_equal": "过小",
    "greater_than": "过小",
    "bool_parsing": "必须是 true 或 false",
    "datetime_from_date_parsing": "不是有效的时间",
    "datetime_parsing": "不是有效的时间",
    "list_type": "必须是数组",
}


def describe_validation(errors: list[dict]) -> str:
    """Pydantic/FastAPI validation errors as one Chinese sentence naming each field."""
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ())) or "请求体"
        parts.append(f"{where}：{_PYDANTIC_ZH.get(err.get('type', ''), '取值无效')}")
    return "请求无效：" + "；".join(parts)
