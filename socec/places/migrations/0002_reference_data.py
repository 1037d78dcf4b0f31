from django.db import migrations


def load(apps, schema_editor):
    from socec.places.loaders import load_builtin

    load_builtin(apps.get_model("places", "Region"), apps.get_model("places", "County"),
                 apps.get_model("places", "Locality"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
