"""Contracts that must not drift: documented settings, the committed OpenAPI schema, migrations."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from wijkwijs.core.env import documented

ROOT = Path(__file__).resolve().parents[4]


def test_every_setting_is_in_env_example_and_configuration_doc():
    env_example = (ROOT / ".env.example").read_text()
    doc = (ROOT / "docs" / "configuration.md").read_text()
    names = [s.name for s in documented()]
    assert "DATABASE_URL" in names
    for name in names:
        assert re.search(rf"^{name}=", env_example, re.M), f"{name} missing in .env.example"
        assert f"`{name}`" in doc, f"{name} missing in docs/configuration.md"
    # and nothing stale is documented
    for name in re.findall(r"^([A-Z_]+)=", env_example, re.M):
        assert name in names, f".env.example names unknown setting {name}"


@pytest.mark.django_db
def test_committed_openapi_schema_is_current():
    out = io.StringIO()
    call_command("spectacular", "--format", "openapi", stdout=out)
    committed = (ROOT / "docs" / "api" / "openapi.yaml").read_text()
    assert out.getvalue() == committed, "docs/api/openapi.yaml is stale: run `make schema`"


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_openapi_follows_the_nl_api_design_rules():
    schema = (ROOT / "docs" / "api" / "openapi.yaml").read_text()
    assert schema.startswith("openapi: 3")
    paths = re.findall(r"^  (/\S+):$", schema, re.M)
    assert paths, "no paths in the schema"
    assert all(not p.endswith("/") for p in paths), "no trailing slashes (API-48)"
    assert all(p.startswith("/api/v1/") for p in paths)
