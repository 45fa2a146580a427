"""The routing table ("bij wie hoort dit?"): versioned rules category/kind/area -> department.

Every edit is a new version; the active version is frozen. Rules are tried by priority; the
first match wins. What matches no rule goes to the "no owner" queue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from wijkwijs.accounts.models import Department
from wijkwijs.areas.models import Area
from wijkwijs.audit.services import record
from wijkwijs.core.errors import DomainError, Problem
from wijkwijs.intake import taxonomy
from wijkwijs.intake.models import Kind, RoutingRule, RoutingVersion


def active_version() -> RoutingVersion | None:
    return RoutingVersion.objects.filter(is_active=True).first()


def active_rules() -> list[RoutingRule]:
    version = active_version()
    if version is None:
        return []
    return list(version.rules.select_related("department", "area").order_by("priority", "id"))


_MAIN_OF = taxonomy.main_label_map()


def rule_matches(rule: RoutingRule, *, category: str, kind: str, area_ids: set[int]) -> bool:
    if rule.kind and rule.kind != kind:
        return False
    if rule.area_id is not None and rule.area_id not in area_ids:
        return False
    if rule.category:
        if not category:
            return False
        main = _MAIN_OF.get(category)
        if rule.category not in (category, main):
            return False
    return True


def match(*, category: str, kind: str, areas: Sequence[Area | None], rules: list[RoutingRule] | None = None) -> RoutingRule | None:
    """The first rule (by priority) that matches; None: no owner.

    Without ``rules`` the active table is read as plain tuples (one cheap query) and only the
    matching rule is loaded as an object.
    """
    area_ids = {a.pk for a in areas if a is not None}
    if rules is not None:
        return next((r for r in rules if rule_matches(r, category=category, kind=kind, area_ids=area_ids)), None)
    rows = RoutingRule.objects.filter(version__is_active=True).order_by("priority", "id").values_list(
        "pk", "category", "kind", "area_id"
    )
    for pk, rule_category, rule_kind, rule_area in rows:
        probe = RoutingRule(category=rule_category, kind=rule_kind, area_id=rule_area)
        if rule_matches(probe, category=category, kind=kind, area_ids=area_ids):
            return RoutingRule.objects.select_related("department").get(pk=pk)
    return None


def _validate(rows: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[Problem]]:
    known_categories = {s.slug for _m, s in taxonomy.subcategories()} | {m.slug for m in taxonomy.TAXONOMY}
    departments = {d.slug: d for d in Department.objects.all()}
    problems: list[Problem] = []
    clean: list[dict[str, Any]] = []
    for i, row in enumerate(rows, start=1):
        category = str(row.get("category") or "").strip()
        kind = str(row.get("kind") or "").strip()
        dept = str(row.get("department") or "").strip()
        area_code = str(row.get("area") or "").strip().upper()
        try:
            priority = int(row.get("priority") or i * 10)
        except (TypeError, ValueError):
            problems.append(Problem(row=i, field="priority", reason=_("not a whole number")))
            continue
        if category and category not in known_categories:
            problems.append(Problem(row=i, field="category", reason=_("unknown category %(c)s") % {"c": category}))
        if kind and kind not in Kind.values:
            problems.append(Problem(row=i, field="kind", reason=_("unknown kind %(k)s") % {"k": kind}))
        if dept not in departments:
            problems.append(Problem(row=i, field="department", reason=_("unknown department %(d)s") % {"d": dept or "-"}))
        area = None
        if area_code:
            area = Area.objects.filter(code=area_code).first()
            if area is None:
                problems.append(Problem(row=i, field="area", reason=_("unknown area %(a)s") % {"a": area_code}))
        if dept in departments:
            clean.append({"priority": priority, "category": category, "kind": kind, "area": area, "department": departments[dept]})
    return clean, problems


@transaction.atomic
def routing_table_publish(*, rows: Sequence[Mapping[str, Any]], note: str, actor: Any, now: datetime) -> RoutingVersion:
    """Store ``rows`` ({priority, category, kind, area, department}) as a new active version."""
    clean, problems = _validate(rows)
    if problems:
        raise DomainError(_("The routing table was not saved."), problems=problems)
    number = (RoutingVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    RoutingVersion.objects.filter(is_active=True).update(is_active=False)
    version = RoutingVersion.objects.create(
        number=number, note=note[:300], created_at=now, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        activated_at=now, is_active=True,
    )
    RoutingRule.objects.bulk_create([RoutingRule(version=version, **row) for row in clean])
    record(actor=actor, action="intake.routing_published", obj=version, now=now, data={"rules": len(clean), "note": note[:300]})
    return version


@transaction.atomic
def routing_version_activate(*, version: RoutingVersion, actor: Any, now: datetime) -> RoutingVersion:
    """Activate a draft made in the admin (or re-activate an old version as a new copy)."""
    if not version.is_draft:
        rows = [
            {"priority": r.priority, "category": r.category, "kind": r.kind, "area": r.area.code if r.area else "",
             "department": r.department.slug}
            for r in version.rules.select_related("area", "department")
        ]
        return routing_table_publish(rows=rows, note=_("copy of v%(n)s") % {"n": version.number}, actor=actor, now=now)
    RoutingVersion.objects.filter(is_active=True).update(is_active=False)
    version.is_active = True
    version.activated_at = now
    version.save(update_fields=["is_active", "activated_at"])
    record(actor=actor, action="intake.routing_activated", obj=version, now=now)
    return version


def rows_of(version: RoutingVersion | None) -> list[dict[str, Any]]:
    if version is None:
        return []
    return [
        {"priority": r.priority, "category": r.category, "kind": r.kind, "area": r.area.code if r.area else "",
         "department": r.department.slug}
        for r in version.rules.select_related("area", "department").order_by("priority", "id")
    ]


def default_rows(*, aliases: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One rule per main category from the taxonomy, subcategory exceptions first.

    "overig" gets no rule on purpose: it lands in the visible no-owner queue.
    """
    aliases = aliases or {}
    rows: list[dict[str, Any]] = []
    priority = 10
    for main in taxonomy.TAXONOMY:
        if main.slug == "overig":
            continue
        for sub in main.subcategories:
            if sub.department and sub.department != main.department:
                rows.append({"priority": priority, "category": sub.slug, "kind": "", "area": "",
                             "department": aliases.get(sub.department, sub.department)})
                priority += 10
    for main in taxonomy.TAXONOMY:
        if main.slug == "overig":
            continue
        rows.append({"priority": priority, "category": main.slug, "kind": "", "area": "",
                     "department": aliases.get(main.department, main.department)})
        priority += 10
    return rows


#: Taxonomy department slugs that a municipality calls differently (the Oss demo has VTH).
DEFAULT_ALIASES = {"handhaving": "vth"}


@transaction.atomic
def routing_table_ensure_default(*, now: datetime, actor: Any = None, aliases: Mapping[str, str] | None = None) -> RoutingVersion:
    """The active table, or a first version from the taxonomy (creating missing departments)."""
    from wijkwijs.accounts.services import department_ensure

    current = active_version()
    if current is not None:
        return current
    aliases = DEFAULT_ALIASES if aliases is None else aliases
    rows = default_rows(aliases=aliases)
    for slug in sorted({r["department"] for r in rows}):
        if not Department.objects.filter(slug=slug).exists():
            name = taxonomy.DEPARTMENTS.get(slug, (slug, slug))[0]
            department_ensure(slug=slug, name=name, email=f"{slug}@gemeente.example", now=now)
    return routing_table_publish(rows=rows, note=_("Default table from the taxonomy"), actor=actor, now=now)
