"""The demo's fixed facts: what the two press releases say, and the invented but plausible rest.

Sources (shared/seeds): SOCEC.NET (Consiliul Judetean Ilfov and partners, POSDRU 2007-2013,
September 2014 - August 2015, Bucuresti-Ilfov and Sud-Muntenia; 145 persons trained, 11 SES,
80 jobs of which 59 for vulnerable persons) and SES11 (Fundatia Aequilibrium and Media One,
January - December 2015, all 8 regions; 11 SES, 58 jobs of which 47 for vulnerable persons,
the "Caravana economiei sociale" in 16 cities, press/radio/OOH campaigns, a documentary).

Everything not in the seeds (people, SES names and activities, dates of round tables, head
counts, reach) is invented. Places are real SIRUTA codes (UATs, level 2; Bucharest sectors).
"""

import datetime as dt

D = dt.date

# --- Places -------------------------------------------------------------------------------
# siruta: (name, county, area). Area is given here because the built-in SIRUTA data has none
# until `socec load_siruta` runs; once loaded, the locality's own area wins (same values).
PLACES = {
    179132: ("București", "B", "urban"),
    179141: ("București Sectorul 1", "B", "urban"), 179150: ("București Sectorul 2", "B", "urban"),
    179169: ("București Sectorul 3", "B", "urban"), 179178: ("București Sectorul 4", "B", "urban"),
    179187: ("București Sectorul 5", "B", "urban"), 179196: ("București Sectorul 6", "B", "urban"),
    # Ilfov
    100576: ("Buftea", "IF", "urban"), 179551: ("Voluntari", "IF", "urban"), 179481: ("Otopeni", "IF", "urban"),
    179285: ("Chitila", "IF", "urban"), 179533: ("Popești-Leordeni", "IF", "urban"),
    179221: ("Bragadiru", "IF", "urban"),
    105160: ("Snagov", "IF", "rural"), 102160: ("Corbeanca", "IF", "rural"), 101957: ("Ciorogârla", "IF", "rural"),
    105936: ("Vidra", "IF", "rural"), 100834: ("Afumați", "IF", "rural"), 101145: ("Berceni", "IF", "rural"),
    101742: ("Cernica", "IF", "rural"),
    # Călărași
    92569: ("Călărași", "CL", "urban"), 100610: ("Oltenița", "CL", "urban"), 93888: ("Lehliu-Gară", "CL", "urban"),
    103032: ("Fundulea", "CL", "urban"), 101458: ("Budești", "CL", "urban"),
    93487: ("Dragalina", "CL", "rural"), 101804: ("Chirnogi", "CL", "rural"), 104181: ("Mânăstirea", "CL", "rural"),
    102419: ("Curcani", "CL", "rural"),
    # Argeș
    13169: ("Pitești", "AG", "urban"), 13301: ("Mioveni", "AG", "urban"),
    13187: ("Bascov", "AG", "rural"), 13365: ("Mărăcineni", "AG", "rural"), 13935: ("Albota", "AG", "rural"),
    13276: ("Bradu", "AG", "rural"),
    # Dâmbovița
    65342: ("Târgoviște", "DB", "urban"), 65681: ("Găești", "DB", "urban"),
    65431: ("Răzvad", "DB", "rural"), 65501: ("Ulmi", "DB", "rural"), 67407: ("Dragomirești", "DB", "rural"),
    65379: ("Aninoasa", "DB", "rural"),
    # Giurgiu
    100521: ("Giurgiu", "GR", "urban"), 101190: ("Bolintin-Vale", "GR", "urban"), 104136: ("Mihăilești", "GR", "urban"),
    102106: ("Comana", "GR", "rural"), 103639: ("Hotarele", "GR", "rural"), 103238: ("Ghimpați", "GR", "rural"),
    103997: ("Joița", "GR", "rural"),
    # Ialomița
    92658: ("Slobozia", "IL", "urban"), 100683: ("Urziceni", "IL", "urban"), 92701: ("Fetești", "IL", "urban"),
    93735: ("Grivița", "IL", "rural"), 92872: ("Andrășești", "IL", "rural"), 93236: ("Cosâmbești", "IL", "rural"),
    93646: ("Giurgeni", "IL", "rural"),
    # Prahova
    130534: ("Ploiești", "PH", "urban"), 131256: ("Câmpina", "PH", "urban"), 131407: ("Mizil", "PH", "urban"),
    130552: ("Bărcănești", "PH", "rural"), 130678: ("Blejoi", "PH", "rural"), 130712: ("Brazi", "PH", "rural"),
    130847: ("Păulești", "PH", "rural"),
    # Teleorman
    151790: ("Alexandria", "TR", "urban"), 151978: ("Zimnicea", "TR", "urban"),
    151683: ("Turnu Măgurele", "TR", "urban"),
    152902: ("Drăgănești-Vlașca", "TR", "rural"), 151816: ("Nanov", "TR", "rural"),
    151834: ("Poroschia", "TR", "rural"),
    152234: ("Bragadiru", "TR", "rural"),
    # Other regions (SES11 and the caravan)
    54975: ("Cluj-Napoca", "CJ", "urban"), 57706: ("Florești", "CJ", "rural"), 55687: ("Apahida", "CJ", "rural"),
    106318: ("Baia Mare", "MM", "urban"), 26564: ("Oradea", "BH", "urban"), 26582: ("Sânmartin", "BH", "rural"),
    40198: ("Brașov", "BV", "urban"), 41088: ("Hărman", "BV", "rural"), 143450: ("Sibiu", "SB", "urban"),
    95060: ("Iași", "IS", "urban"), 95293: ("Tomești", "IS", "rural"),
    146263: ("Suceava", "SV", "urban"), 146628: ("Rădăuți", "SV", "urban"), 149290: ("Marginea", "SV", "rural"),
    147526: ("Cacica", "SV", "rural"),
    60419: ("Constanța", "CT", "urban"), 61620: ("Cumpăna", "CT", "rural"),
    75098: ("Galați", "GL", "urban"), 75203: ("Tecuci", "GL", "urban"),
    69900: ("Craiova", "DJ", "urban"), 70110: ("Podari", "DJ", "rural"),
    77812: ("Târgu Jiu", "GJ", "urban"), 109773: ("Drobeta-Turnu Severin", "MH", "urban"),
    155243: ("Timișoara", "TM", "urban"), 155314: ("Giroc", "TM", "rural"), 9262: ("Arad", "AR", "urban"),
}


def places_in(county: str, area: str | None = None) -> list[int]:
    return [s for s, (_n, c, a) in PLACES.items() if c == county and (area is None or a == area)]


# --- Names ----------------------------------------------------------------------------------
FIRST_F = ["Maria", "Elena", "Ioana", "Ana", "Mihaela", "Andreea", "Cristina", "Daniela", "Gabriela", "Alina",
           "Florentina", "Georgiana", "Simona", "Ramona", "Mariana", "Nicoleta", "Roxana", "Adriana", "Violeta",
           "Luminița", "Aurelia", "Carmen", "Denisa", "Larisa", "Petruța", "Rodica", "Valentina", "Camelia"]
FIRST_M = ["Ion", "Gheorghe", "Vasile", "Constantin", "Nicolae", "Marian", "Florin", "Mihai", "Andrei",
           "Alexandru", "Ionuț", "Cristian", "Daniel", "Gabriel", "Costel", "Dumitru", "Petre", "Viorel", "Marius",
           "Bogdan", "Cătălin", "Sorin", "Adrian", "Lucian", "Valentin", "Emil", "Ștefan", "Claudiu"]
LAST = ["Popescu", "Ionescu", "Popa", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu",
        "Constantin", "Mihai", "Marin", "Dinu", "Toma", "Barbu", "Nistor", "Florea", "Ene", "Tudor", "Stanciu",
        "Munteanu", "Dobre", "Lazăr", "Voicu", "Neagu", "Vasile", "Zamfir", "Enache", "Oprea", "Preda", "Ilie",
        "Moldovan", "Rusu", "Sandu", "Niculae", "Dragomir", "Anghel", "Badea", "Cojocaru", "Lungu", "Mocanu",
        "Petrescu", "Sârbu", "Tănase", "Ungureanu", "Bălan", "Căldăraru", "Rădulescu", "Iordache"]

# --- Organisations ----------------------------------------------------------------------------
# code: fields for organisation_save (county and locality as codes).
FUNDER = ("AM-POSDRU", {
    "name": "Autoritatea de Management pentru Programul Operational Sectorial Dezvoltarea Resurselor Umane",
    "legal_form": "public_authority", "county": "B", "locality": 179132, "area": "urban",
    "description": "Autoritatea de management a POSDRU 2007-2013 (finantator, Fondul Social European).",
})

SOCEC_NET = {
    "code": "SOCEC.NET",
    "title": "SOCEC.NET – reteaua economiei sociale",
    "programme": "POSDRU 2007-2013",
    "funder": "FSE / POSDRU",
    "start_date": D(2014, 9, 1),
    "end_date": D(2015, 8, 31),
    "regions": ["RO32", "RO31"],
    "description": (
        "Proiect cofinantat din Fondul Social European prin Programul Operational Sectorial Dezvoltarea "
        "Resurselor Umane 2007 – 2013, implementat in perioada septembrie 2014 – august 2015 in regiunile "
        "Bucuresti-Ilfov si Sud-Muntenia. Scopul: promovarea economiei sociale ca instrument flexibil pentru "
        "dezvoltarea economica, crearea de locuri de munca si incurajarea marilor companii, IMM-urilor, "
        "ONG-urilor si administratiei publice sa realizeze investitii in domeniul economiei sociale. "
        "Rezultate asumate: 145 de persoane vulnerabile formate in antreprenoriat social, 11 structuri de "
        "economie sociala, 80 de locuri de munca, dintre care 59 ocupate de persoane din grupuri vulnerabile."),
    "lead": "CJ-IF",
    "targets": {"SE01": 145, "SE03": 11, "SE04": 80, "SE05": 59},
}

SOCEC_NET_PARTNERS = {
    "CJ-IF": {"name": "Consiliul Judetean Ilfov", "legal_form": "public_authority", "county": "IF", "area": "urban"},
    "CJ-CL": {"name": "Consiliul Judetean Calarasi", "legal_form": "public_authority", "county": "CL",
              "locality": 92569, "area": "urban"},
    "CRCA": {"name": "Centrul de Resurse pentru Cetatenie Activa", "legal_form": "association", "county": "B",
             "locality": 179132, "area": "urban"},
    "LAB-SOLIDARITATE": {"name": "Asociatia „Laboratorul de solidaritate”", "legal_form": "association",
                         "county": "B", "locality": 179132, "area": "urban"},
    "VIITORUL-LOR": {"name": "Asociatia „Viitorul lor depinde de tine”", "legal_form": "association",
                     "county": "B", "locality": 179132, "area": "urban"},
}

SES11 = {
    "code": "SES11",
    "title": "Echilibru social prin economie sociala",
    "programme": "",
    "funder": "",
    "start_date": D(2015, 1, 1),
    "end_date": D(2015, 12, 31),
    "regions": ["RO11", "RO12", "RO21", "RO22", "RO31", "RO32", "RO41", "RO42"],
    "description": (
        "Fundatia Aequilibrium si compania Media One au infiintat 11 structuri de economie sociala, cu "
        "activitati de la magazin online la atelier de croitorie, pentru cresterea oportunitatilor de ocupare "
        "ale persoanelor din grupuri vulnerabile. Proiect derulat 12 luni din ianuarie 2015, in toate cele 8 "
        "regiuni de dezvoltare, in mediul urban si rural: 58 de locuri de munca noi, dintre care 47 pentru "
        "persoane din grupuri vulnerabile. Site: http://ses11.ro/"),
    "lead": "AEQUILIBRIUM",
    "targets": {"SE03": 11, "SE04": 58, "SE05": 47},
}

SES11_PARTNERS = {
    "AEQUILIBRIUM": {"name": "Fundatia Aequilibrium", "legal_form": "foundation", "county": "B",
                     "locality": 179132, "area": "urban"},
    "MEDIA-ONE": {"name": "Media One", "legal_form": "company", "county": "B", "locality": 179132,
                  "area": "urban"},
}

# Supported SES: code, name, legal form, CAEN, siruta, founded_on, public, jobs, job titles,
# description, products [(kind, name)].
SOCEC_NET_SES = [
    ("SN-SES01", "Brutaria Solidara Buftea", "association", "1071", 100576, D(2015, 2, 2), True, 9,
     ["brutar", "ajutor brutar", "vanzator", "sofer livrari"],
     "Brutarie sociala: paine si produse de patiserie pentru cantinele sociale si magazinele din Ilfov.",
     [("product", "Paine de casa"), ("product", "Cozonac traditional"), ("service", "Livrari la cantine sociale")]),
    ("SN-SES02", "Cooperativa Gradina Verde Snagov", "cooperative", "0113", 105160, D(2015, 2, 16), True, 8,
     ["lucrator in cultura legumelor", "muncitor necalificat in agricultura", "vanzator"],
     "Legume de sezon cultivate in solarii si vandute prin abonamente saptamanale.",
     [("product", "Cos saptamanal de legume"), ("product", "Rasaduri")]),
    ("SN-SES03", "Atelierul de Croitorie Calarasi", "sheltered_unit", "1413", 92569, D(2015, 1, 26), True, 8,
     ["croitor", "confectioner textile", "calcator"],
     "Unitate protejata: uniforme scolare, echipamente de lucru si retusuri.",
     [("product", "Uniforme scolare"), ("product", "Echipamente de protectie"), ("service", "Retusuri")]),
    ("SN-SES04", "Spalatoria Ecologica Oltenita", "company", "9601", 100610, D(2015, 3, 2), False, 7,
     ["operator spalatorie", "calcator", "curier"], "", []),
    ("SN-SES05", "Asociatia Gospodarii Dragalina", "association", "0150", 93487, D(2015, 3, 16), False, 7,
     ["lucrator in ferma", "ingrijitor animale", "vanzator"], "", []),
    ("SN-SES06", "Asociatia Curatenie pentru Comunitate", "association", "8121", 179169, D(2015, 2, 9), True, 7,
     ["lucrator curatenie", "sef de echipa curatenie"],
     "Servicii de curatenie pentru institutii publice si asociatii de proprietari din Bucuresti.",
     [("service", "Curatenie birouri"), ("service", "Curatenie dupa renovari")]),
    ("SN-SES07", "Cooperativa Mestesugareasca Tesatura Argeseana", "cooperative", "1392", 13187, D(2015, 3, 9),
     False, 7, ["tesator", "confectioner textile"], "", []),
    ("SN-SES08", "Fundatia Catering Social Ploiesti", "foundation", "5629", 130534, D(2015, 2, 23), True, 7,
     ["bucatar", "ajutor bucatar", "sofer livrari"],
     "Catering pentru scoli si centre de zi; o parte din profit finanteaza masa la domiciliu pentru varstnici.",
     [("service", "Catering pentru scoli"), ("service", "Masa la domiciliu pentru varstnici")]),
    ("SN-SES09", "Atelierul de Reciclare Giurgiu", "association", "3832", 100521, D(2015, 4, 6), False, 7,
     ["operator sortare deseuri", "sofer", "manipulant marfa"], "", []),
    ("SN-SES10", "Societatea Agricola Legume din Teleorman", "agricultural_company", "0113", 152234,
     D(2015, 3, 23), False, 7, ["lucrator in cultura legumelor", "tractorist"], "", []),
    ("SN-SES11", "Centrul de Ingrijire la Domiciliu Slobozia", "association", "8810", 92658, D(2015, 4, 13), True,
     6, ["ingrijitor la domiciliu", "asistent personal"],
     "Ingrijire la domiciliu pentru varstnici si persoane cu dizabilitati din Ialomita.",
     [("service", "Ingrijire la domiciliu"), ("service", "Insotire la consultatii medicale")]),
]

SES11_SES = [
    ("S11-SES01", "Magazinul online Echilibru", "company", "4791", 179150, D(2015, 2, 9), True, 6,
     ["operator comenzi online", "gestionar", "curier"],
     "Magazin online pentru produsele realizate de structurile de economie sociala din retea.",
     [("service", "Vanzare online de produse sociale")]),
    ("S11-SES02", "Atelierul de croitorie Timisoara", "sheltered_unit", "1413", 155243, D(2015, 2, 16), True, 6,
     ["croitor", "confectioner textile"],
     "Unitate protejata: confectii la comanda si retusuri.",
     [("product", "Confectii la comanda"), ("service", "Retusuri")]),
    ("S11-SES03", "Brutaria comunitara Floresti", "cooperative", "1071", 57706, D(2015, 3, 2), True, 6,
     ["brutar", "vanzator"], "Paine si produse de patiserie pentru comunitatea din Floresti.",
     [("product", "Paine de casa")]),
    ("S11-SES04", "Spalatoria sociala Brasov", "association", "9601", 40198, D(2015, 3, 9), False, 5,
     ["operator spalatorie", "calcator"], "", []),
    ("S11-SES05", "Tipografia sociala Iasi", "association", "1812", 95060, D(2015, 2, 23), True, 5,
     ["operator tipografie", "legator manual"], "Tiparituri mici pentru ONG-uri si institutii.",
     [("service", "Tipar digital"), ("product", "Agende si calendare")]),
    ("S11-SES06", "Servicii de curatenie Constanta", "company", "8121", 60419, D(2015, 3, 16), False, 5,
     ["lucrator curatenie"], "", []),
    ("S11-SES07", "Ferma de legume Albota", "agricultural_company", "0113", 13935, D(2015, 3, 23), False, 5,
     ["lucrator in cultura legumelor", "muncitor necalificat in agricultura"], "", []),
    ("S11-SES08", "Atelierul de tamplarie Craiova", "sheltered_unit", "3109", 69900, D(2015, 4, 6), True, 5,
     ["tamplar", "ajutor tamplar"], "Unitate protejata: mobilier la comanda si reconditionare.",
     [("product", "Mobilier la comanda")]),
    ("S11-SES09", "Atelierul de covoare Marginea", "cooperative", "1393", 149290, D(2015, 4, 13), True, 5,
     ["tesator covoare", "vanzator"], "Covoare tesute manual dupa modele traditionale bucovinene.",
     [("product", "Covoare tesute manual")]),
    ("S11-SES10", "Catering social Galati", "association", "5629", 75098, D(2015, 4, 20), False, 5,
     ["bucatar", "ajutor bucatar"], "", []),
    ("S11-SES11", "Service calculatoare Oradea", "association", "9511", 26564, D(2015, 5, 4), False, 5,
     ["tehnician calculatoare", "operator introducere date"], "", []),
]

# --- Categories -----------------------------------------------------------------------------
# SOCEC.NET trainees: vulnerable persons of any category (weights are invented).
SOCEC_NET_CATEGORIES = [
    ("minimum_income", 22), ("roma", 18), ("disability", 14), ("single_parent_family", 12), ("large_family", 12),
    ("early_school_leaver", 10), ("women_at_risk", 5), ("child_protection_leaver", 4),
    ("domestic_violence_victim", 3), ("ex_detainee", 2), ("homeless", 2),
]
# SES11: the nine groups named in the seed, and how many of the 47 vulnerable job holders belong to each.
SES11_CATEGORIES = [
    ("disability", 8), ("child_protection_leaver", 4), ("single_parent_family", 6), ("large_family", 6),
    ("minimum_income", 7), ("domestic_violence_victim", 3), ("women_at_risk", 4), ("roma", 6),
    ("early_school_leaver", 3),
]

# --- SOCEC.NET training groups: registering partner, residence counties, seat, first session --
# (partner, number of trainees, counties, siruta of the course, first session)
SOCEC_NET_GROUPS = [
    ("CJ-IF", 40, ["IF"], 100576, D(2014, 10, 4)),
    ("CJ-CL", 36, ["CL"], 92569, D(2014, 10, 18)),
    ("CRCA", 26, ["B", "PH", "DB"], 179132, D(2014, 11, 1)),
    ("LAB-SOLIDARITATE", 26, ["B", "AG", "GR"], 179132, D(2014, 11, 15)),
    ("VIITORUL-LOR", 24, ["TR", "IL", "GR", "AG"], 151790, D(2014, 11, 29)),
]
SOCEC_NET_DROPOUTS = 7  # enrolled 152, completed 145

SOCEC_NET_CONFERENCE = {
    "code": "SN-CONF-01", "kind": "conference",
    "title": "Acționăm responsabil pentru promovarea economiei sociale!",
    "theme": "Dificultati si oportunitati pentru dezvoltarea initiativelor de economie sociala",
    "date": D(2014, 12, 4), "locality": 179132, "county": "B", "area": "urban", "participants": 110,
}
# Ten round tables in the two regions, January - July 2015 (topics invented, following the conference theme).
SOCEC_NET_ROUND_TABLES = [
    (D(2015, 1, 22), 100576, "Cadrul legal al economiei sociale: ce asteptam de la lege"),
    (D(2015, 2, 12), 92569, "Finantarea initiativelor de economie sociala"),
    (D(2015, 3, 5), 179132, "Responsabilitatea sociala a companiilor si economia sociala"),
    (D(2015, 3, 26), 13169, "Achizitii publice rezervate si clauze sociale"),
    (D(2015, 4, 16), 65342, "Parteneriate intre administratia locala si structurile de economie sociala"),
    (D(2015, 5, 7), 100521, "Economia sociala in mediul rural"),
    (D(2015, 5, 28), 92658, "Ocuparea persoanelor vulnerabile in structurile de economie sociala"),
    (D(2015, 6, 11), 130534, "Marketingul produselor si serviciilor sociale"),
    (D(2015, 6, 25), 151790, "Sustenabilitatea structurilor de economie sociala dupa finantare"),
    (D(2015, 7, 9), 179551, "Concluzii: recomandari pentru politicile publice de economie sociala"),
]
SOCEC_NET_CAMPAIGN = {
    "code": "SN-CAMP-01", "channel": "event",
    "title": "Campanie nationala de promovare a economiei sociale si a responsabilitatii sociale (CRCA)",
    "start_date": D(2014, 12, 4), "end_date": D(2015, 8, 31),
}
SOCEC_NET_PUBLICATIONS = [
    {"code": "SN-PUB-01", "kind": "report", "title": "Responsabilitatea sociala in Romania. Probleme si solutii",
     "published_on": None},  # an earlier CRCA report (seed): no date in this project
    {"code": "SN-PUB-02", "kind": "study",
     "title": "Economia sociala in regiunile Bucuresti-Ilfov si Sud-Muntenia: dificultati si oportunitati",
     "published_on": D(2015, 8, 3)},
]

# --- SES11: the caravan (16 cities, May - October 2015) -----------------------------------------
CARAVAN = [
    (D(2015, 5, 12), 179132), (D(2015, 5, 21), 130534), (D(2015, 6, 2), 40198), (D(2015, 6, 11), 143450),
    (D(2015, 6, 23), 54975), (D(2015, 7, 2), 106318), (D(2015, 7, 14), 146263), (D(2015, 7, 23), 95060),
    (D(2015, 8, 4), 75098), (D(2015, 8, 13), 60419), (D(2015, 8, 25), 13169), (D(2015, 9, 8), 69900),
    (D(2015, 9, 17), 77812), (D(2015, 9, 29), 109773), (D(2015, 10, 8), 155243), (D(2015, 10, 20), 9262),
]
SES11_CAMPAIGNS = [
    {"code": "S11-CAMP-PRESA", "channel": "press", "title": "Campanie in presa scrisa: Echilibru social prin "
     "economie sociala", "start_date": D(2015, 3, 2), "end_date": D(2015, 11, 30), "reach": 180000},
    {"code": "S11-CAMP-RADIO", "channel": "radio", "title": "Campanie radio: Echilibru social prin economie sociala",
     "start_date": D(2015, 5, 4), "end_date": D(2015, 10, 31), "reach": 650000},
    {"code": "S11-CAMP-OOH", "channel": "outdoor", "title": "Campanie OOH (afisaj stradal) in orasele caravanei",
     "start_date": D(2015, 5, 11), "end_date": D(2015, 10, 25), "reach": 240000},
]
SES11_PUBLICATIONS = [
    {"code": "S11-FILM", "kind": "film", "title": "Echilibru social prin economie sociala – filmul documentar "
     "al proiectului", "published_on": D(2015, 12, 10)},
]

DEMO_USERS = [
    # username, first name, last name, [(project code, organisation code, role)]
    ("demo.manager", "Demo", "Manager", [("SOCEC.NET", "CJ-IF", "manager")]),
    ("demo.field", "Demo", "Teren", [("SOCEC.NET", "CRCA", "field_worker")]),
    ("demo.monitor", "Demo", "Monitorizare", [("SOCEC.NET", "CJ-IF", "monitoring")]),
    ("demo.partner", "Demo", "Partener", [("SOCEC.NET", "LAB-SOLIDARITATE", "manager")]),
    ("demo.auditor", "Demo", "Auditor", [("SOCEC.NET", "AM-POSDRU", "auditor"), ("SES11", "AM-POSDRU", "auditor")]),
    ("demo.ses11", "Demo", "SES11", [("SES11", "AEQUILIBRIUM", "manager")]),
]
