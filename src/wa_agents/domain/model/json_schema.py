"""A small JSON-schema checker for tool arguments (the subset tool specs use).

Supports ``type`` (object, string, integer, number, boolean, array), ``properties``,
``required``, ``additionalProperties: false``, ``enum``, ``minLength``/``maxLength``,
``minimum``/``maximum`` and ``items``. Anything a model sends that does not fit is refused.
"""

from __future__ import annotations

from typing import Any

from wa_agents.domain.model.errors import ValidationError

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
}


def check(value: Any, schema: dict[str, Any], path: str = "$") -> None:
    """Raise ``ValidationError`` naming the first place where ``value`` breaks ``schema``."""
    kind = schema.get("type")
    wrong_type = kind is not None and not isinstance(value, _TYPES[kind])
    if wrong_type or (kind not in (None, "boolean") and isinstance(value, bool)):
        raise ValidationError(f"{path} must be of type {kind}")
    if "enum" in schema and value not in schema["enum"]:
        raise ValidationError(f"{path} must be one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise ValidationError(f"{path} is too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise ValidationError(f"{path} is too long")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise ValidationError(f"{path} must be >= {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ValidationError(f"{path} must be <= {schema['maximum']}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            check(item, schema["items"], f"{path}[{index}]")
    if isinstance(value, dict):
        _check_object(value, schema, path)


def _check_object(value: dict[str, Any], schema: dict[str, Any], path: str) -> None:
    properties: dict[str, Any] = schema.get("properties", {})
    for name in schema.get("required", ()):
        if name not in value:
            raise ValidationError(f"{path}.{name} is required")
    for name, item in value.items():
        if name in properties:
            check(item, properties[name], f"{path}.{name}")
        elif schema.get("additionalProperties") is False:
            raise ValidationError(f"{path}.{name} is not allowed")
