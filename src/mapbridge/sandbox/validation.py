"""Reading request bodies and query strings into DTOs, with HighLevel's 422 messages.

HighLevel validates with whitelists: a property the endpoint does not declare is rejected
with ``property <name> should not exist``, and other problems read like ``email must be an
email``. Every problem of a request is reported, not only the first.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from starlette.requests import Request

from mapbridge.sandbox.problems import BadRequestProblem, UnprocessableProblem

Model = TypeVar("Model", bound=BaseModel)

_TYPE_MESSAGES = {
    "string_type": "must be a string",
    "bool_type": "must be a boolean value",
    "int_type": "must be a number",
    "int_parsing": "must be a number",
    "int_from_float": "must be an integer number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "list_type": "must be an array",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "missing": "should not be empty",
    "string_too_short": "should not be empty",
}


def _path(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location)


def describe(error: ErrorDetails) -> str:
    """Return one 422 message for one pydantic error."""
    path = _path(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"property {path} should not exist"
    if not path and kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if not path:
        return "the request body must be a JSON object"
    if kind in _TYPE_MESSAGES:
        return f"{path} {_TYPE_MESSAGES[kind]}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{path} must be one of the following values: {expected}".replace("'", "")
    if kind in ("greater_than_equal", "greater_than"):
        return f"{path} must not be less than {error.get('ctx', {}).get('ge', error.get('ctx', {}).get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{path} must not be greater than {error.get('ctx', {}).get('le', error.get('ctx', {}).get('lt'))}"
    if kind == "value_error":
        return f"{path} {error['msg'].removeprefix('Value error, ')}"
    return f"{path}: {error['msg']}"


def messages(error: ValidationError) -> list[str]:
    return list(dict.fromkeys(describe(item) for item in error.errors()))


def validate(model: type[Model], data: Any, context: dict[str, Any] | None = None) -> Model:
    """Check ``data`` against a DTO; raises a 422 problem listing every violation."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        raise UnprocessableProblem(messages(error)) from None


async def read_body(
    request: Request, model: type[Model], context: dict[str, Any] | None = None
) -> Model:
    """Parse the JSON body into ``model``; an empty body counts as ``{}``."""
    raw = await request.body()
    if not raw.strip():
        data: Any = {}
    else:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadRequestProblem(
                f"The request body is not valid JSON ({error}). Send a JSON object with "
                "Content-Type: application/json."
            ) from None
    return validate(model, data, context)


def read_query(request: Request, model: type[Model]) -> Model:
    """Parse the query string into ``model``; undeclared parameters give a 422."""
    return validate(model, dict(request.query_params))
