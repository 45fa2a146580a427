from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "wijkwijs.intake"
    label = "intake"
    verbose_name = _("Intake: signals, initiatives and advice")

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from wijkwijs.core import nav, periodic
        from wijkwijs.intake import tasks

        periodic.register(
            "intake.escalate_overdue", tasks.escalate_overdue,
            lambda: timedelta(minutes=int(getattr(settings, "INTAKE_ESCALATION_EVERY_MINUTES", 15))),
        )
        periodic.register("intake.anonymise_expired_contacts", tasks.anonymise_expired_contacts, lambda: timedelta(days=1))
        # the dashboard is exact without it (dirty days are read from the items), only slower
        periodic.register("intake.refresh_throughput", tasks.refresh_throughput, lambda: timedelta(minutes=5))

        nav.register(nav.NavItem(label=_("Report"), url_name="intake:submit", order=30, sections=("intake:submit", "intake:status")))
        nav.register(
            nav.NavItem(label=_("Work queue"), url_name="intake:queue", order=31, perm="intake.view_queue",
                        sections=("intake:queue", "intake:item", "intake:escalated", "intake:routing", "intake:dashboard"))
        )
