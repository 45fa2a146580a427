from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "wijkwijs.areas"
    label = "areas"
    verbose_name = _("Area register")

    def ready(self) -> None:
        from wijkwijs.core import nav

        nav.register(nav.NavItem(label=_("Areas"), url_name="areas:home", order=10, sections=("areas:area",)))
        nav.register(nav.NavItem(label=_("Look up"), url_name="areas:lookup", order=90))
        nav.register(
            nav.NavItem(label=_("Clusterings"), url_name="areas:clustering-list", order=80,
                        perm="areas.view_clusterings", sections=("areas:clustering",))
        )
