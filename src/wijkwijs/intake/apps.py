from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "wijkwijs.intake"
    label = "intake"
    verbose_name = _("Intake: signals, initiatives and advice")

    def ready(self) -> None:
        from wijkwijs.core import nav

        nav.register(nav.NavItem(label=_("Report"), url_name="intake:submit", order=30, sections=("intake:submit", "intake:status")))
        nav.register(
            nav.NavItem(label=_("Work queue"), url_name="intake:queue", order=31, perm="intake.view_queue",
                        sections=("intake:queue", "intake:item", "intake:escalated", "intake:routing", "intake:dashboard"))
        )
