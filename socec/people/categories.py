"""Vulnerable-group categories (workbook codes), with the proof documents commonly accepted.

The proof documents follow the methodological norms of Law 219/2015 (HG 585/2016) where
that act names them; where it does not, the document usually asked for by ESF programmes
is given. Programme teams can refine the text in the admin.
"""

CATEGORIES = [
    ("disability", "Persoane cu dizabilități", "Persons with disabilities",
     "Certificat de încadrare în grad de handicap sau certificat de încadrare în grad de invaliditate, în termen "
     "de valabilitate."),
    ("child_protection_leaver", "Tineri peste 18 ani care părăsesc sistemul instituționalizat de protecție a copilului",
     "Young people over 18 leaving institutional child protection",
     "Document eliberat de DGASPC care atestă ieșirea din sistemul de protecție a copilului."),
    ("single_parent_family", "Membri ai familiilor monoparentale", "Members of single-parent families",
     "Declarație pe propria răspundere și acte de stare civilă (certificatele de naștere ale copiilor; hotărâre de "
     "divorț sau certificat de deces, după caz)."),
    ("large_family", "Membri ai familiilor cu peste doi copii", "Members of families with more than two children",
     "Certificatele de naștere ale copiilor și declarație pe propria răspundere privind componența familiei."),
    ("minimum_income", "Beneficiari de venit minim garantat / ajutor social",
     "Beneficiaries of the minimum guaranteed income or social aid",
     "Dispoziția primarului de acordare a venitului minim garantat (ajutorului social) sau adeverință eliberată "
     "de primărie / SPAS."),
    ("domestic_violence_victim", "Victime ale violenței în familie", "Victims of domestic violence",
     "Ordin de protecție, certificat medico-legal sau document eliberat de DGASPC / serviciul public de asistență "
     "socială."),
    ("women_at_risk", "Femei aflate în situații de risc", "Women at risk",
     "Ancheta socială sau document eliberat de serviciul public de asistență socială."),
    ("roma", "Persoane de etnie romă", "Roma people", "Declarație pe propria răspundere (autoidentificare)."),
    ("early_school_leaver", "Persoane care au părăsit timpuriu școala", "Early school leavers",
     "Ultimul act de studii sau adeverință de la unitatea de învățământ; declarație pe propria răspundere."),
    ("ex_detainee", "Persoane care au părăsit penitenciarul", "Former detainees",
     "Biletul de eliberare din penitenciar sau adeverință de la serviciul de probațiune."),
    ("homeless", "Persoane fără adăpost", "Homeless people",
     "Document eliberat de serviciul public de asistență socială sau de un adăpost de noapte."),
    ("refugee_asylum", "Refugiați și solicitanți de azil", "Refugees and asylum seekers",
     "Document eliberat de Inspectoratul General pentru Imigrări (permis de ședere, statut de refugiat sau "
     "protecție subsidiară)."),
    ("addiction", "Persoane dependente de droguri sau alcool", "People with drug or alcohol addiction",
     "Adeverință de la un centru de prevenire, evaluare și consiliere antidrog sau de la medic."),
    ("other", "Alte categorii vulnerabile", "Other vulnerable groups",
     "Ancheta socială sau document justificativ eliberat de o autoritate publică."),
]

CATEGORY_CODES: tuple[str, ...] = tuple(c[0] for c in CATEGORIES)
