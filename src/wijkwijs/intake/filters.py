"""Filters of the work queues (django-filter)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wijkwijs.accounts.models import Department
from wijkwijs.areas.models import Area
from wijkwijs.intake import taxonomy
from wijkwijs.intake.models import Kind, State
from wijkwijs.intake.selectors import overdue_q


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("all"))
    state = django_filters.ChoiceFilter(label=_("Status"), choices=State.choices, empty_label=_("all open"))
    category = django_filters.ChoiceFilter(
        label=_("Main category"), method="main_category", empty_label=_("all"),
        choices=[(m.slug, m.name_nl) for m in taxonomy.TAXONOMY],
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="owner_department", queryset=Department.objects.order_by("name"),
        to_field_name="slug", empty_label=_("all"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Wijk"), method="in_area", queryset=Area.objects.current().filter(level="WK").order_by("name"),
        to_field_name="code", empty_label=_("all"),
    )
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), method="only_overdue", choices=[("1", _("only overdue"))],
                                          empty_label=_("all"))

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(tracking_code__iexact=value) | Q(description__icontains=value) | Q(subject__icontains=value))

    def main_category(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        subs = [s.slug for m, s in taxonomy.subcategories() if m.slug == value]
        return qs.filter(category__in=subs)

    def in_area(self, qs: QuerySet, name: str, value: Area | None) -> QuerySet:
        return qs.filter(Q(wijk=value) | Q(buurt__parent=value)) if value else qs

    def only_overdue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(overdue_q(self.now)) if value else qs
