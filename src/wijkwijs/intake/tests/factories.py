"""factory_boy factories; traits are named after states: ``ItemFactory(overdue=True)``."""

from __future__ import annotations

from datetime import datetime, timedelta

import factory

from wijkwijs.conftest import NOW
from wijkwijs.intake import services
from wijkwijs.intake.models import Item

#: A point in Schadewijk (WK082801), Oss.
SCHADEWIJK = (5.5334, 51.7775)


class ItemFactory(factory.Factory):
    class Meta:
        model = Item

    kind = "signal"
    description = "De lantaarnpaal voor ons huis is al een week kapot, het is erg donker op straat."
    category = "lantaarnpaal-defect"
    lon = SCHADEWIJK[0]
    lat = SCHADEWIJK[1]
    location_text = ""
    email = ""
    name = ""
    now: datetime = NOW
    actor = None
    taken_by = None  # a declaration, not a Param: Params never reach _create

    class Params:
        overdue = factory.Trait(now=NOW - timedelta(days=60))
        unowned = factory.Trait(category="overig")
        with_contact = factory.Trait(name="Jan Jansen", email="jan@example.org")

    @classmethod
    def _create(cls, model_class, *args, taken_by=None, **kwargs):  # type: ignore[no-untyped-def]
        item = services.item_submit(**kwargs)
        if taken_by is not None:
            item = services.item_take(item=item, actor=taken_by, now=kwargs["now"] + timedelta(hours=1))
        item.refresh_from_db()
        return item

    @classmethod
    def _build(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise NotImplementedError("items are made through item_submit; use create()")
