"""openapi-python-client with the property rules of ours that its configuration cannot
express. Run by the generator's own venv python in place of its command line
(scripts/generate.py), with the same arguments:

    python scripts/generator_rules.py generate --path ... --custom-template-path ...

String maps: a schema that is an object with no properties and only string
additionalProperties (Go's ``map[string]string``: labels, annotations, options) is a
plain ``dict[str, str]`` field, not a model class of its own that a caller can build
only through ``from_dict``. Its checks and copies are rendered by
spec/templates/property_templates/string_map_property.py.jinja and the model template.
"""

from __future__ import annotations

import sys
from typing import Any

from attrs import define

# The generator is installed in its own venv only, so mypy (run in .venv) has no stubs.
from openapi_python_client import schema as oai  # type: ignore[import-not-found]
from openapi_python_client import strings
from openapi_python_client.cli import app  # type: ignore[import-not-found]
from openapi_python_client.parser import (  # type: ignore[import-not-found]
    bodies,
    openapi,
    properties,
    responses,
)
from openapi_python_client.parser.properties.any import (  # type: ignore[import-not-found]
    AnyProperty,
)

STRING_MAP_TEMPLATE = "string_map_property.py.jinja"


@define
class StringMapProperty(AnyProperty):  # type: ignore[misc]  # Any to mypy in .venv
    """An object of strings under any keys: ``dict[str, str]``."""

    _type_string = "dict[str, str]"
    _json_type_string = "dict[str, str]"
    template = STRING_MAP_TEMPLATE

    def get_instance_type_string(self) -> Any:
        return strings.PythonCode("dict")  # isinstance() takes no parameterised generic


def is_string_map(data: Any) -> bool:
    """An object with only string additionalProperties: no properties, no composition,
    values that are plain strings (no format, enum or null)."""
    extra = data.additionalProperties
    return bool(
        data.type == oai.DataType.OBJECT
        and not data.properties
        and not (data.allOf or data.anyOf or data.oneOf)
        and isinstance(extra, oai.Schema)
        and extra.type == oai.DataType.STRING
        and extra.schema_format is None
        and not extra.enum
    )


_generic_property_from_data = properties.property_from_data


def property_from_data(**kwargs: Any) -> Any:
    data = kwargs["data"]
    if isinstance(data, oai.Schema) and is_string_map(data):
        name = kwargs["name"]
        prop = StringMapProperty.build(
            name=name,
            required=kwargs["required"],
            default=data.default,
            python_name=strings.PythonIdentifier(value=name, prefix=kwargs["config"].field_prefix),
            description=data.description,
            example=data.example,
        )
        return prop, kwargs["schemas"]
    return _generic_property_from_data(**kwargs)


def install() -> None:
    """Put the rule in every place the generator looks property_from_data up: the
    package (nested properties import it from there when called) and the modules that
    imported it by name."""
    for module in (properties, bodies, openapi, responses):
        module.property_from_data = property_from_data


if __name__ == "__main__":
    install()
    sys.exit(app())
