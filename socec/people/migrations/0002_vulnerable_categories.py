from django.db import migrations


def load(apps, schema_editor):
    from socec.people.categories import CATEGORIES

    VulnerableCategory = apps.get_model("people", "VulnerableCategory")
    for order, (code, ro, en, proof) in enumerate(CATEGORIES, start=1):
        VulnerableCategory.objects.update_or_create(
            code=code, defaults={"name_ro": ro, "name_en": en, "proof_documents": proof, "order": order})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
