from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwijs.accounts.roles import STAFF_ROLES, Role


class Department(models.Model):
    """An organisational unit that can own work (vakafdeling), e.g. Openbare Ruimte."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    head = models.ForeignKey(
        "accounts.User",
        verbose_name=_("department head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Residents need no account to report or vote; the role says what a
    logged-in person may see and do."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.RESIDENT)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_municipal_staff(self) -> bool:
        return self.role in STAFF_ROLES or self.is_superuser
