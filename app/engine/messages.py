"""Bilingual texts of the engine: validation problems, answer errors and result reasons.

Every template exists in Indonesian (``id``, the default) and English (``en``) and is filled
with ``str.format`` parameters. A parameter may itself be bilingual (a ``Bi``); lists are
joined with commas. Templates say how to fix the problem, not only what is wrong.
"""
from __future__ import annotations

from typing import Any, NamedTuple


class Bi(NamedTuple):
    """A value that reads differently per language (used as a template parameter)."""

    id: str
    en: str


PROBLEMS: dict[str, Bi] = {
    # -- reading the file ---------------------------------------------------------------
    "too_large": Bi(
        "Berkas terlalu besar: {size} KiB, sedangkan batasnya {limit} KiB. Perpendek teksnya "
        "atau pecah menjadi beberapa kuesioner.",
        "The file is too large: {size} KiB, while the limit is {limit} KiB. Shorten the texts "
        "or split it into several questionnaires."),
    "not_utf8": Bi(
        "Berkas tidak dapat dibaca sebagai teks UTF-8. Simpan ulang berkas dengan pengodean UTF-8.",
        "The file cannot be read as UTF-8 text. Save it again with the UTF-8 encoding."),
    "yaml_syntax": Bi(
        "Penulisan YAML tidak dapat dibaca di sini ({detail}). Periksa indentasi, titik dua, dan tanda kutip di "
        "sekitar baris ini.",
        "The YAML cannot be read here ({detail}). Check the indentation, colons and quotes around this line."),
    "yaml_alias": Bi(
        "Anchor (&nama) dan alias (*nama) tidak diizinkan. Tuliskan isinya secara lengkap di setiap tempat.",
        "Anchors (&name) and aliases (*name) are not allowed. Write the content out in full at each place."),
    "yaml_tag": Bi(
        "Tag {tag} tidak diizinkan. Hapus tag tersebut; format ini sendiri yang menentukan jenis setiap nilai.",
        "The tag {tag} is not allowed. Remove it; the format itself decides the type of every value."),
    "not_a_mapping": Bi(
        "Isi berkas harus berupa pemetaan kunci di tingkat teratas (format, id, title, …), bukan {found}.",
        "The file must hold a mapping of keys at the top level (format, id, title, …), not {found}."),
    # -- shape --------------------------------------------------------------------------
    "unknown_key": Bi(
        "Kunci '{key}' tidak dikenal di sini. Hapus atau perbaiki ejaannya; kunci yang diizinkan: {allowed}.",
        "The key '{key}' is not known here. Remove it or correct its spelling; allowed keys: {allowed}."),
    "key_not_allowed": Bi(
        "Kunci '{key}' tidak berlaku untuk butir berjenis {type}. Hapus kunci ini.",
        "The key '{key}' does not apply to an item of type {type}. Remove it."),
    "missing_key": Bi(
        "Kunci '{key}' belum ada. Tambahkan '{key}' di sini.",
        "The key '{key}' is missing. Add '{key}' here."),
    "duplicate_key": Bi(
        "Kunci '{key}' ditulis dua kali (pertama di baris {first_line}). Hapus salah satunya.",
        "The key '{key}' is written twice (first on line {first_line}). Remove one of them."),
    "wrong_type": Bi(
        "Nilai ini harus berupa {expected}, tetapi yang tertulis adalah {found}.",
        "This value must be {expected}, but {found} is written."),
    "empty_value": Bi(
        "Nilai ini kosong. Tuliskan {expected} di sini.",
        "This value is empty. Write {expected} here."),
    "leading_zero": Bi(
        "Angka '{value}' diawali angka nol. Tulis tanpa nol di depan, yaitu {fixed}.",
        "The number '{value}' starts with a zero. Write it without the leading zero: {fixed}."),
    "out_of_range": Bi(
        "Nilai {value} di luar rentang yang diizinkan: nilainya harus {range}.",
        "The value {value} is outside the allowed range: it must be {range}."),
    "bad_slug": Bi(
        "'{value}' bukan id yang sah. Gunakan hanya huruf kecil a–z, angka, dan tanda hubung "
        "tunggal di antaranya, paling banyak 64 karakter (contoh: krisis-hoaks).",
        "'{value}' is not a valid id. Use only lowercase letters a–z, digits and single hyphens "
        "between them, at most 64 characters (e.g. krisis-hoaks)."),
    "not_in_list": Bi(
        "'{value}' bukan pilihan yang sah. Gunakan salah satu dari: {allowed}.",
        "'{value}' is not a valid choice. Use one of: {allowed}."),
    "list_too_short": Bi(
        "Daftar ini berisi {count} entri, padahal minimal {min}. Tambahkan entri.",
        "This list has {count} entries but needs at least {min}. Add entries."),
    "list_too_long": Bi(
        "Daftar ini berisi {count} entri, padahal maksimal {max}. Hapus entri yang berlebih.",
        "This list has {count} entries but allows at most {max}. Remove the extra entries."),
    "too_few_options": Bi(
        "Butir ini memerlukan minimal 2 pilihan jawaban; di sini ada {count}. Tambahkan pilihan.",
        "This item needs at least 2 answer options; it has {count}. Add options."),
    "anchors_count": Bi(
        "Butir rating memerlukan 2 sampai 7 jangkar (satu untuk setiap titik skala, dari yang "
        "terendah); di sini ada {count}.",
        "A rating item needs 2 to 7 anchors (one per scale point, lowest first); it has {count}."),
    "scale_size": Bi(
        "Skala harus berisi 2 sampai 9 tingkat; di sini ada {count}.",
        "The scale must have 2 to 9 levels; it has {count}."),
    "missing_translation": Bi(
        "Teks bahasa {lang_name} ('{lang}') kosong atau tidak ada. Tambahkan teksnya.",
        "The {lang_name} text ('{lang}') is empty or missing. Add it."),
    # -- meaning ------------------------------------------------------------------------
    "unsupported_format": Bi(
        "Versi format {value} tidak dikenal. Tulis 'format: 1'.",
        "Format version {value} is unknown. Write 'format: 1'."),
    "scale_numbering": Bi(
        "Tingkat ke-{position} dalam skala harus bernomor {expected}, bukan {value}. Beri nomor 1, 2, 3, … berurutan.",
        "Entry {position} of the scale must be level {expected}, not {value}. Number the levels 1, 2, 3, … in order."),
    "thresholds_count": Bi(
        "Dengan {levels} tingkat, jumlah ambang harus {expected} (satu untuk setiap tingkat "
        "mulai tingkat 2); di sini ada {count}.",
        "With {levels} levels the number of thresholds must be {expected} (one for each level "
        "from level 2 up); there are {count}."),
    "thresholds_not_increasing": Bi(
        "Ambang {value} tidak lebih besar dari ambang sebelumnya ({previous}). Ambang harus terus "
        "naik, misalnya [30, 50, 70, 85].",
        "The threshold {value} is not greater than the one before it ({previous}). Thresholds "
        "must strictly increase, e.g. [30, 50, 70, 85]."),
    "key_not_in_model": Bi(
        "Kunci '{key}' tidak berlaku untuk model penskoran '{type}' (scoring.model; 'thresholds' bila tidak ditulis), "
        "tetapi untuk model '{owner}'. Hapus kunci ini, atau tulis 'model: {owner}'.",
        "The key '{key}' does not apply to the scoring model '{type}' (scoring.model; 'thresholds' when it is not "
        "written) but to the model '{owner}'. Remove it, or write 'model: {owner}'."),
    "anchored_scale_size": Bi(
        "Dengan model anchored setiap tingkat dijelaskan oleh satu jangkar butir rating, dan butir rating paling "
        "banyak memiliki 7 jangkar; skala ini berisi {count} tingkat. Gunakan paling banyak 7 tingkat.",
        "Under the anchored model each level is described by one anchor of a rating item, and a rating item has at "
        "most 7 anchors; this scale has {count} levels. Use at most 7 levels."),
    "anchors_not_levels": Bi(
        "Dengan model anchored jangkar ke-k menjelaskan perilaku tingkat k, sehingga butir rating '{item}' memerlukan "
        "tepat {levels} jangkar (satu untuk setiap tingkat skala, dari yang terendah); di sini ada {count}. Tanpa itu "
        "ada tingkat yang tidak dapat dicapai dengan jawaban apa pun.",
        "Under the anchored model anchor k describes the behaviour of level k, so the rating item '{item}' needs "
        "exactly {levels} anchors (one per scale level, lowest first); it has {count}. Otherwise some level could not "
        "be reached by any answer."),
    "no_rating_items": Bi(
        "Domain '{domain}' tidak berisi butir rating, sehingga dengan model anchored tidak punya tingkat penilaian "
        "diri. Tambahkan setidaknya satu butir rating dengan satu jangkar untuk setiap tingkat.",
        "Domain '{domain}' has no rating item, so under the anchored model it has no self-rated level. Add at least "
        "one rating item with one anchor per level."),
    "no_scenario_items": Bi(
        "Domain '{domain}' tidak berisi butir skenario (choice atau multi), sehingga dengan model anchored penilaian "
        "dirinya tidak pernah diperiksa. Tambahkan setidaknya satu butir choice atau multi.",
        "Domain '{domain}' has no scenario item (choice or multi), so under the anchored model its self-rating is "
        "never checked. Add at least one choice or multi item."),
    "scenario_check_always": Bi(
        "Pemeriksaan skenario dengan below {value} berlaku juga bila semua skenario dijawab benar (skor 1), sehingga "
        "jawaban yang benar pun menurunkan tingkat. Gunakan angka kurang dari 1, misalnya 0.5.",
        "A scenario check with below {value} applies even when every scenario is answered right (score 1), so right "
        "answers would lower the level too. Use a number less than 1, e.g. 0.5."),
    "lower_by_out_of_range": Bi(
        "lower_by bernilai {value}, padahal harus bilangan bulat 1 sampai {max}: 0 atau kurang tidak menurunkan (atau "
        "malah menaikkan) tingkat, dan lebih dari {max} akan menurunkan tingkat tertinggi ({top}) ke bawah tingkat 1.",
        "lower_by is {value} but must be a whole number from 1 to {max}: 0 or less would not lower the level (or would "
        "raise it), and more than {max} would take the top level ({top}) below level 1."),
    "scenario_check_order": Bi(
        "Tahap pemeriksaan skenario harus berurutan dari yang paling ringan: setiap tahap memerlukan below yang lebih "
        "kecil dan lower_by yang lebih besar daripada tahap sebelumnya. Tahap ini (below {below}, lower_by {lower_by}) "
        "menyusul tahap dengan below {previous_below} dan lower_by {previous_lower_by}. Contoh: [{{below: 0.5, "
        "lower_by: 1}}, {{below: 0.25, lower_by: 2}}].",
        "The scenario check tiers must run from the mildest: each tier needs a smaller below and a larger lower_by "
        "than the tier before it. This tier (below {below}, lower_by {lower_by}) follows one with below "
        "{previous_below} and lower_by {previous_lower_by}. E.g. [{{below: 0.5, lower_by: 1}}, {{below: 0.25, "
        "lower_by: 2}}]."),
    "cap_applies_always": Bi(
        "Dengan model anchored batas berlaku bila skor butir sama dengan atau kurang dari below; below {value} berlaku "
        "untuk setiap jawaban, juga jawaban terbaik. Gunakan angka kurang dari 1, misalnya 0.5.",
        "Under the anchored model a cap applies when the item's score is at or below below; below {value} applies to "
        "every answer, the best one too. Use a number less than 1, e.g. 0.5."),
    "too_many_domains": Bi(
        "Kuesioner ini berisi {count} domain, padahal paling banyak {max} (agar laporan tetap "
        "mudah dibaca). Gabungkan domain yang berdekatan atau pecah menjadi beberapa kuesioner.",
        "This questionnaire has {count} domains, while at most {max} are allowed (so that the "
        "reports stay readable). Merge related domains or split it into several questionnaires."),
    "domain_levels_count": Bi(
        "Domain ini memerlukan tepat {expected} deskripsi tingkat (satu untuk setiap tingkat skala, berurutan); di "
        "sini ada {count}.",
        "This domain needs exactly {expected} level descriptions (one per scale level, in order); it has {count}."),
    "duplicate_id": Bi(
        "Id '{value}' sudah dipakai oleh {kind} lain (baris {first_line}). Beri id yang berbeda.",
        "The id '{value}' is already used by another {kind} (line {first_line}). Give it a different id."),
    "unknown_domain": Bi(
        "Domain '{value}' tidak ada. Gunakan salah satu id domain: {known}.",
        "There is no domain '{value}'. Use one of the domain ids: {known}."),
    "unknown_item": Bi(
        "Butir '{value}' tidak ada dalam kuesioner ini. Periksa ejaan id butir.",
        "There is no item '{value}' in this questionnaire. Check the spelling of the item id."),
    "unknown_position": Bi("Jabatan '{value}' tidak ada. Gunakan salah satu id jabatan: {known}.",
                           "There is no position '{value}'. Use one of the position ids: {known}."),
    "no_items_for_position": Bi(
        "Domain '{domain}' tidak punya {what} untuk jabatan '{position}', sehingga jabatan itu tidak pernah diberi "
        "tingkat di domain ini. Tambahkan '{position}' ke positions butir semacam itu, atau butir tanpa positions.",
        "Domain '{domain}' has no {what} for the position '{position}', so that position never gets a level in it. "
        "Add '{position}' to the positions of such an item, or add one without positions."),
    "cap_item_type": Bi(
        "Batas (cap) hanya dapat dipasang pada butir berjenis choice atau multi, sedangkan '{item}' berjenis {type}. "
        "Pilih butir skenario.",
        "A cap can only name an item of type choice or multi, but '{item}' is of type {type}. Name a scenario item."),
    "level_out_of_range": Bi(
        "{field} bernilai {value}, padahal harus antara {low} dan {high} (tingkat pada skala).",
        "{field} is {value} but must be between {low} and {high} (a level of the scale)."),
    "module_levels_order": Bi(
        "to_level ({to_level}) harus lebih besar dari from_level ({from_level}); modul harus menaikkan tingkat.",
        "to_level ({to_level}) must be greater than from_level ({from_level}); a module must raise the level."),
    "no_positive_score": Bi(
        "Tidak ada pilihan dengan skor lebih dari 0. Beri skor positif pada setidaknya satu jawaban yang benar.",
        "No option has a score above 0. Give at least one right answer a positive score."),
    "no_scored_items": Bi(
        "Domain '{domain}' hanya berisi butir teks sehingga tidak dapat diberi tingkat. Tambahkan "
        "setidaknya satu butir rating, choice, atau multi.",
        "Domain '{domain}' holds only text items, so it can never get a level. Add at least one "
        "rating, choice or multi item."),
    "missing_target": Bi(
        "Jabatan '{position}' belum punya target untuk domain '{domain}'. Tambahkan '{domain}: <tingkat>' di bawah "
        "targets.",
        "Position '{position}' has no target for domain '{domain}'. Add '{domain}: <level>' under targets."),
    "target_above_scale": Bi(
        "Target {value} melebihi tingkat tertinggi skala ({top}). Gunakan angka 1 sampai {top}.",
        "The target {value} is above the top level of the scale ({top}). Use a number from 1 to {top}."),
    "target_below_scale": Bi(
        "Target {value} terlalu rendah. Gunakan angka 1 sampai {top}.",
        "The target {value} is too low. Use a number from 1 to {top}."),
    "gap_not_closable": Bi(
        "Tidak ada modul domain '{domain}' yang menaikkan tingkat {level} ke {next}, padahal ada jabatan yang "
        "menargetkan tingkat {target}. Tambahkan modul dengan from_level ≤ {level} dan to_level > {level}.",
        "No module of domain '{domain}' lifts level {level} to {next}, yet a position targets level {target}. Add a "
        "module with from_level ≤ {level} and to_level > {level}."),
    # -- the catalogue's price of each mode (modes) ------------------------------------------
    "unknown_mode": Bi(
        "Moda '{mode}' tidak dikenal. Di bawah modes tulis hanya moda pelatihan yang dikenal: {allowed}.",
        "The mode '{mode}' is not known. Under modes write only the known training modes: {allowed}."),
    "mode_unknown_key": Bi(
        "Kunci '{key}' tidak dikenal untuk moda '{mode}'. Hapus atau perbaiki ejaannya; kunci yang diizinkan: "
        "{allowed}.",
        "The key '{key}' is not known for the mode '{mode}'. Remove it or correct its spelling; allowed keys: "
        "{allowed}."),
    "mode_missing_key": Bi(
        "Moda '{mode}' belum punya '{key}'. Tambahkan '{key}' (route, cost_per, dan cost wajib ditulis).",
        "The mode '{mode}' has no '{key}'. Add '{key}' (route, cost_per and cost are required)."),
    "mode_route": Bi(
        "Jalur (route) moda '{mode}' tertulis {value}. Tulis classical (klasikal: pelatihan di kelas) atau "
        "non-classical (nonklasikal: coaching, mentoring, e-learning, pengembangan diri), jalur pengembangan "
        "kompetensi menurut Peraturan LAN No. 10 Tahun 2018.",
        "The route of the mode '{mode}' is {value}. Write classical (training in a class) or non-classical "
        "(coaching, mentoring, e-learning, self-development), the competency-development routes of Peraturan "
        "LAN No. 10 Tahun 2018."),
    "mode_cost_per": Bi(
        "Dasar biaya (cost_per) moda '{mode}' tertulis {value}. Tulis participant (biaya per peserta) atau "
        "class (biaya per kelas).",
        "The cost basis (cost_per) of the mode '{mode}' is {value}. Write participant (a cost per participant) "
        "or class (a cost per class)."),
    "mode_cost": Bi(
        "Biaya (cost) moda '{mode}' tertulis {value}, padahal harus rupiah berupa bilangan bulat 0 sampai {max}, "
        "tanpa titik pemisah ribuan dan tanpa tanda kutip (contoh: 45000000).",
        "The cost of the mode '{mode}' is {value}, but it must be rupiah as a whole number from 0 to {max}, "
        "without thousands separators or quotes (e.g. 45000000)."),
    "mode_class_size": Bi(
        "Ukuran kelas (class_size) moda '{mode}' tertulis {value}, padahal harus bilangan bulat 1 sampai {max} "
        "(peserta per kelas, contoh: 30).",
        "The class size (class_size) of the mode '{mode}' is {value}, but it must be a whole number from 1 to "
        "{max} (participants per class, e.g. 30)."),
    "mode_class_size_missing": Bi(
        "Moda '{mode}' dibiayai per kelas (cost_per: class) tetapi belum punya class_size. Tambahkan class_size "
        "(peserta per kelas, contoh: 30), atau tulis cost_per: participant.",
        "The mode '{mode}' is costed per class (cost_per: class) but has no class_size. Add class_size "
        "(participants per class, e.g. 30), or write cost_per: participant."),
}

KINDS: dict[str, Bi] = {
    "mapping": Bi("pemetaan (kunci: nilai)", "a mapping (key: value)"),
    "list": Bi("daftar (baris yang diawali '-')", "a list (lines starting with '-')"),
    "text": Bi("teks", "text"),
    "integer": Bi("bilangan bulat", "a whole number"),
    "number": Bi("angka", "a number"),
    "boolean": Bi("true atau false", "true or false"),
    "bilingual": Bi("teks dwibahasa {id: …, en: …}", "a bilingual text {id: …, en: …}"),
    "slug": Bi("id (huruf kecil, angka, tanda hubung)", "an id (lowercase letters, digits, hyphens)"),
    "choice": Bi("salah satu pilihan yang tersedia", "one of the allowed choices"),
    "nothing": Bi("nilai kosong", "an empty value"),
}

ID_KINDS: dict[str, Bi] = {
    "domain": Bi("domain", "domain"),
    "item": Bi("butir", "item"),
    "option": Bi("pilihan", "option"),
    "position": Bi("jabatan", "position"),
    "module": Bi("modul", "module"),
}

LANGUAGE_NAMES: dict[str, Bi] = {
    "id": Bi("Indonesia", "Indonesian"),
    "en": Bi("Inggris", "English"),
}

ANSWERS: dict[str, Bi] = {
    "not_rating": Bi("Pilih salah satu nilai dari 1 sampai {max}.",
                     "Choose one value from 1 to {max}."),
    "not_choice": Bi("Pilih salah satu jawaban yang tersedia.",
                     "Choose one of the answers offered."),
    "unknown_option": Bi("Pilihan '{value}' tidak tersedia untuk pertanyaan ini.",
                         "The option '{value}' is not offered for this question."),
    "not_multi": Bi("Jawaban harus berupa daftar pilihan (boleh kosong).",
                    "The answer must be a list of options (it may be empty)."),
    "duplicate_pick": Bi("Pilihan '{value}' dipilih lebih dari sekali.",
                         "The option '{value}' is picked more than once."),
    "not_text": Bi("Jawaban harus berupa teks.", "The answer must be text."),
    "too_long": Bi("Teks terlalu panjang: {length} karakter, maksimal {max}. Persingkat teksnya.",
                   "The text is too long: {length} characters, at most {max}. Shorten it."),
    "unknown_item": Bi("Pertanyaan '{item}' tidak ada dalam kuesioner ini.",
                       "There is no question '{item}' in this questionnaire."),
    "wrong_domain": Bi("Pertanyaan '{item}' bukan bagian dari domain '{domain}'.",
                       "Question '{item}' does not belong to domain '{domain}'."),
}

RESULTS: dict[str, Bi] = {
    "insufficient": Bi(
        "Terlalu sedikit jawaban: {answered} dari {scored} butir dijawab, padahal perlu "
        "setidaknya {needed}. Domain ini belum diberi tingkat.",
        "Too few answers: {answered} of {scored} items answered, at least {needed} needed. "
        "This domain gets no level yet."),
    "cap": Bi(
        "Tingkat dibatasi paling tinggi {max_level} karena jawaban pada “{item}”.",
        "The level is capped at {max_level} because of the answer to “{item}”."),
    "pulled_down": Bi(
        "Menurunkan skor: “{item}” (skor butir {score}%).",
        "Pulled the score down: “{item}” (item score {score}%)."),
    "no_self_rating": Bi(
        "Belum ada penilaian diri (butir rating) yang dijawab di domain ini, padahal tingkatnya "
        "berasal dari penilaian diri. Domain ini belum diberi tingkat.",
        "No self-rating (rating item) is answered in this domain, and its level comes from the "
        "self-rating. This domain gets no level yet."),
    "no_scenario": Bi(
        "Belum ada skenario (butir choice atau multi) yang dijawab di domain ini, sehingga "
        "penilaian diri belum dapat diperiksa. Domain ini belum diberi tingkat.",
        "No scenario (choice or multi item) is answered in this domain, so the self-rating cannot "
        "be checked. This domain gets no level yet."),
    "self_rated": Bi(
        "Tingkat menurut penilaian diri: {level} ({name}), yaitu rata-rata berbobot jawaban "
        "penilaian diri ({mean}) dibulatkan {rounding}.",
        "Self-rated level: {level} ({name}), the weighted mean of the self-ratings ({mean}) "
        "rounded {rounding}."),
    "scenario_kept": Bi(
        "Skor skenario {score}%: penilaian diri terkonfirmasi, tingkat tidak diturunkan "
        "(diturunkan bila skor skenario {below}% atau kurang).",
        "Scenario score {score}%: the self-rating holds, the level is not lowered (it would be "
        "at a scenario score of {below}% or less)."),
    "scenario_lowered": Bi(
        "Skor skenario {score}% ({below}% atau kurang): tingkat diturunkan {lowered} dari "
        "{from_level} ke {to_level}.",
        "Scenario score {score}% ({below}% or less): the level is lowered by {lowered}, from "
        "{from_level} to {to_level}."),
    "scenario_at_floor": Bi(
        "Skor skenario {score}% ({below}% atau kurang) menurunkan tingkat, tetapi tingkat 1 "
        "adalah yang terendah.",
        "Scenario score {score}% ({below}% or less) lowers the level, but level 1 is the "
        "lowest."),
    "scenario_shortfall": Bi(
        "Menurunkan skor skenario: “{item}” (skor butir {score}%).",
        "Lowered the scenario score: “{item}” (item score {score}%)."),
    "unclosable": Bi(
        "Belum ada modul pelatihan yang menaikkan domain '{domain}' dari tingkat {level} ke "
        "target {target}.",
        "No training module lifts domain '{domain}' from level {level} to the target {target}."),
}


ROUNDING_WORDS: dict[str, Bi] = {
    "half_down": Bi("setengah ke bawah", "half down"),
    "down": Bi("ke bawah", "down"),
}


def describe_range(low: Any = None, high: Any = None, *,
                   low_open: bool = False, high_open: bool = False) -> Bi:
    """A bilingual phrase such as 'greater than 0 and at most 100'."""
    parts_id, parts_en = [], []
    if low is not None:
        parts_id.append(f"lebih dari {low}" if low_open else f"paling kecil {low}")
        parts_en.append(f"greater than {low}" if low_open else f"at least {low}")
    if high is not None:
        parts_id.append(f"kurang dari {high}" if high_open else f"paling besar {high}")
        parts_en.append(f"less than {high}" if high_open else f"at most {high}")
    return Bi(" dan ".join(parts_id), " and ".join(parts_en))


def _param(value: Any, lang: str) -> str:
    if isinstance(value, Bi):
        return value.id if lang == "id" else value.en
    if isinstance(value, (list, tuple)):
        return ", ".join(_param(v, lang) for v in value)
    return str(value)


def render(table: dict[str, Bi], code: str, **params: Any) -> Bi:
    """Fill the template ``code`` of ``table`` in both languages."""
    template = table[code]
    return Bi(
        template.id.format(**{k: _param(v, "id") for k, v in params.items()}),
        template.en.format(**{k: _param(v, "en") for k, v in params.items()}),
    )
