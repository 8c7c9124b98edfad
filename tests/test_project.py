"""Project-level promises: the conda route matches pyproject, the data dictionary is current."""

from __future__ import annotations

import re
import tomllib

import yaml

from mediawork import schema

from .conftest import REPO


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_name(d) for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    # conda-forge splits dask[distributed] into dask and distributed
    if {"dask", "distributed"} <= listed:
        listed = (listed - {"dask", "distributed"}) | {"dask"}
    assert listed == wanted, f"only in environment.yml: {sorted(listed - wanted)}; only in pyproject.toml: {sorted(wanted - listed)}"


def test_data_dictionary_doc_is_generated_from_schema():
    doc = (REPO / "docs" / "data-dictionary.md").read_text()
    assert doc.strip() == schema.data_dictionary_markdown().strip(), "regenerate with: python -m mediawork.schema > docs/data-dictionary.md"


def test_every_table_column_is_documented():
    for table in schema.TABLES.values():
        for column in table.columns:
            assert len(column.doc) > 10, f"{table.name}.{column.name} has no real description"
