"""Romania's development regions (NUTS-2) and counties: facts, from SIRUTA (INS) and Law 315/2004."""

REGIONS = [
    # code, name, SIRUTA REGIUNE number
    ("RO11", "Nord-Vest", 6),
    ("RO12", "Centru", 7),
    ("RO21", "Nord-Est", 1),
    ("RO22", "Sud-Est", 2),
    ("RO31", "Sud-Muntenia", 3),
    ("RO32", "București-Ilfov", 8),
    ("RO41", "Sud-Vest Oltenia", 4),
    ("RO42", "Vest", 5),
]

COUNTIES = [
    # code (ISO 3166-2:RO suffix), name, region, SIRUTA/CNP county number, SIRUTA code of the county
    ("AB", "Alba", "RO12", 1, 10),
    ("AR", "Arad", "RO42", 2, 29),
    ("AG", "Argeș", "RO31", 3, 38),
    ("BC", "Bacău", "RO21", 4, 47),
    ("BH", "Bihor", "RO11", 5, 56),
    ("BN", "Bistrița-Năsăud", "RO11", 6, 65),
    ("BT", "Botoșani", "RO21", 7, 74),
    ("BV", "Brașov", "RO12", 8, 83),
    ("BR", "Brăila", "RO22", 9, 92),
    ("BZ", "Buzău", "RO22", 10, 109),
    ("CS", "Caraș-Severin", "RO42", 11, 118),
    ("CJ", "Cluj", "RO11", 12, 127),
    ("CT", "Constanța", "RO22", 13, 136),
    ("CV", "Covasna", "RO12", 14, 145),
    ("DB", "Dâmbovița", "RO31", 15, 154),
    ("DJ", "Dolj", "RO41", 16, 163),
    ("GL", "Galați", "RO22", 17, 172),
    ("GJ", "Gorj", "RO41", 18, 181),
    ("HR", "Harghita", "RO12", 19, 190),
    ("HD", "Hunedoara", "RO42", 20, 207),
    ("IL", "Ialomița", "RO31", 21, 216),
    ("IS", "Iași", "RO21", 22, 225),
    ("IF", "Ilfov", "RO32", 23, 234),
    ("MM", "Maramureș", "RO11", 24, 243),
    ("MH", "Mehedinți", "RO41", 25, 252),
    ("MS", "Mureș", "RO12", 26, 261),
    ("NT", "Neamț", "RO21", 27, 270),
    ("OT", "Olt", "RO41", 28, 289),
    ("PH", "Prahova", "RO31", 29, 298),
    ("SM", "Satu Mare", "RO11", 30, 305),
    ("SJ", "Sălaj", "RO11", 31, 314),
    ("SB", "Sibiu", "RO12", 32, 323),
    ("SV", "Suceava", "RO21", 33, 332),
    ("TR", "Teleorman", "RO31", 34, 341),
    ("TM", "Timiș", "RO42", 35, 350),
    ("TL", "Tulcea", "RO22", 36, 369),
    ("VS", "Vaslui", "RO21", 37, 378),
    ("VL", "Vâlcea", "RO41", 38, 387),
    ("VN", "Vrancea", "RO22", 39, 396),
    ("B", "București", "RO32", 40, 403),
    ("CL", "Călărași", "RO31", 51, 519),
    ("GR", "Giurgiu", "RO31", 52, 528),
]

_LOWER_PARTICLES = {"de", "din", "lui", "la", "pe", "cu", "sub", "peste", "după", "între", "în", "și"}


def display_name(official: str) -> str:
    """'VALEA LUI MIHAI' -> 'Valea lui Mihai'; cedilla diacritics become comma-below ones."""
    text = official.translate(str.maketrans("ŞşŢţ", "ȘșȚț"))
    for prefix in ("JUDEȚUL ", "MUNICIPIUL ", "ORAȘ "):
        text = text.removeprefix(prefix)

    def word(w: str, first: bool) -> str:
        lw = w.lower()
        if lw in _LOWER_PARTICLES and not first:
            return lw
        return "-".join(".".join(p[:1].upper() + p[1:] for p in part.split(".")) for part in lw.split("-"))

    return " ".join(word(w, i == 0) for i, w in enumerate(text.split()))
