"""The roles of the brief's user table. A role is what a person does in area-based working."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    COUNCIL_MEMBER = "council_member", _("Member of a wijkraad or dorpsraad")
    COORDINATOR = "coordinator", _("Area coordinator")
    AREA_MANAGER = "area_manager", _("Area manager")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    MANAGEMENT = "management", _("Management")
    ALDERMAN = "alderman", _("Alderman")
    COUNCIL = "council", _("Municipal council")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles of people who work for the municipality (they see internal information).
STAFF_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.AREA_MANAGER,
        Role.DEPARTMENT_STAFF,
        Role.DEPARTMENT_HEAD,
        Role.MANAGEMENT,
        Role.ALDERMAN,
        Role.ADMINISTRATOR,
    }
)
