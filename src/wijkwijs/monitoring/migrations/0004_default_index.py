"""Ship the default index definition (the objective CBS index of docs/monitoring-index.md)."""

from django.db import migrations


def add_default(apps, schema_editor):  # type: ignore[no-untyped-def]
    from wijkwijs.monitoring.index import default_config

    IndexDefinition = apps.get_model("monitoring", "IndexDefinition")
    IndexIndicator = apps.get_model("monitoring", "IndexIndicator")
    if IndexDefinition.objects.filter(slug="basis").exists():
        return
    config = default_config()
    definition = IndexDefinition.objects.create(
        slug="basis",
        name=config.name,
        description=(
            "Objective index on CBS Kerncijfers wijken en buurten: needs the full 85984NED table "
            "(income, benefits, education, care, housing, facilities). Shipped default; edit freely."
        ),
        is_default=True,
        method=config.method,
        center=config.center,
        scale=config.scale,
        weight_objective=config.part_weights["objective"],
        weight_subjective=config.part_weights["subjective"],
        theme_weights={},
        min_coverage=config.min_coverage,
        min_population=int(config.min_population),
    )
    IndexIndicator.objects.bulk_create(
        IndexIndicator(definition=definition, key=s.key, theme=s.theme, part=s.part, polarity=s.polarity, weight=s.weight, position=n)
        for n, s in enumerate(config.indicators)
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_index_definitions")]
    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
