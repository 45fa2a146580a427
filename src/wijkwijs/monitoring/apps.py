from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "wijkwijs.monitoring"
    label = "monitoring"
    verbose_name = _("Area monitor")

    def ready(self) -> None:
        from wijkwijs.core import nav
        from wijkwijs.monitoring import panels  # noqa: F401  (registers the area page panels)

        nav.register(nav.NavItem(label=_("Monitor"), url_name="monitoring:map", order=20, sections=("monitoring:",)))  # uploads: in the section navigation
