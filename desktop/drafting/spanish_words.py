"""The Spanish words the first-person converter knows: its verbs (with the forms it conjugates
between the third and the first person) and the word classes it reads a sentence with.

Data and the small functions that build it; :mod:`desktop.drafting.first_person_es` is the
converter that uses them. A word missing here makes the converter mark a sentence, never guess.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Final

@dataclass(frozen=True)
class _EsVerb:
    """The forms of one Spanish verb the converter needs (3rd person present -> past forms)."""

    p3s: str
    p3p: str
    f1s: str  # preterite
    f1p: str
    f3s: str
    f3p: str
    i3s: str  # imperfect (the same form for "yo")
    i3p: str
    i1p: str
    stative: bool = False  # a state (tener, ser, estar…) rather than an event
    p1s: str = ""  # present, first person ("salgo"); filled in by _es_verbs
    p1p: str = ""


def _es_regular(
    inf: str, pres: str | None = None, pret3: str | None = None, stative: bool = False
) -> _EsVerb:
    """Forms of a regular verb (with the -car/-gar/-zar spelling changes of the preterite).

    ``pres`` is the stem of the present ('empiez' for empezar), ``pret3`` the stem of the
    3rd-person preterite ('pid' for pedir).
    """
    stem, ending = inf[:-2], inf[-2:]
    present = pres or stem
    third = pret3 or stem
    if ending == "ar":
        first = {"c": stem[:-1] + "qu", "g": stem[:-1] + "gu", "z": stem[:-1] + "c"}.get(stem[-1:], stem)
        return _EsVerb(
            present + "a", present + "an", first + "é", stem + "amos", third + "ó", third + "aron",
            stem + "aba", stem + "aban", stem + "ábamos", stative,
        )  # fmt: skip
    vowel = third[-1:] in "aeio" or third[-1:] == "u" and third[-2:-1] not in ("g", "q")
    return _EsVerb(
        present + "e", present + "en", stem + "í", stem + "imos",
        third + ("yó" if vowel else "ió"), third + ("yeron" if vowel else "ieron"),
        stem + "ía", stem + "ían", stem + "íamos", stative,
    )  # fmt: skip


def _es_verbs() -> dict[str, _EsVerb]:
    regular = """
        abandonar acusar amenazar arrestar ayudar buscar caminar capturar casar cruzar declarar dejar
        denunciar disparar enseñar entrar entregar escapar esperar explicar golpear gritar identificar
        insultar intentar interrogar juntar llamar llegar llevar matar mudar mandar olvidar pagar
        pasar preguntar presentar quedar regresar reportar retirar robar secuestrar separar tomar
        trabajar trasladar viajar violar avisar cobrar comprar extorsionar firmar liberar aceptar
        citar quemar apuntar cortar amarrar tocar atacar asesinar obligar vigilar acosar reclutar
        presionar deportar procesar clasificar informar notificar otorgar contestar llorar gastar
        alquilar ahorrar marcar casar
        mirar ocultar quitar rechazar solicitar testificar tratar usar visitar acompañar levantar
        jalar señalar lograr alcanzar cuidar criar estudiar terminar acercar
        aprender comer correr esconder meter prometer responder romper vender suceder ofrecer
        abrir asistir compartir cumplir decidir describir discutir escribir exigir insistir permitir
        recibir salir subir sufrir unir
    """
    verbs = {inf: _es_regular(inf) for inf in regular.split()}
    verbs.update({
        "hablar": _es_regular("hablar", stative=True),
        "vivir": _es_regular("vivir", stative=True),
        "deber": _es_regular("deber", stative=True),
        "temer": _es_regular("temer", stative=True),
        "parecer": _es_regular("parecer", stative=True),
        "necesitar": _es_regular("necesitar", stative=True),
        "empezar": _es_regular("empezar", pres="empiez"),
        "comenzar": _es_regular("comenzar", pres="comienz"),
        "negar": _es_regular("negar", pres="nieg"),
        "cerrar": _es_regular("cerrar", pres="cierr"),
        "encontrar": _es_regular("encontrar", pres="encuentr"),
        "contar": _es_regular("contar", pres="cuent"),
        "soltar": _es_regular("soltar", pres="suelt"),
        "recordar": _es_regular("recordar", pres="recuerd"),
        "perder": _es_regular("perder", pres="pierd"),
        "volver": _es_regular("volver", pres="vuelv"),
        "entender": _es_regular("entender", pres="entiend"),
        "defender": _es_regular("defender", pres="defiend"),
        "mover": _es_regular("mover", pres="muev"),
        "conocer": _es_regular("conocer"),
        "reconocer": _es_regular("reconocer"),
        "nacer": _es_regular("nacer"),
        "aparecer": _es_regular("aparecer"),
        "desaparecer": _es_regular("desaparecer"),
        "creer": _es_regular("creer", stative=True),
        "leer": _es_regular("leer"),
        "caer": _es_regular("caer"),
        "pedir": _es_regular("pedir", pres="pid", pret3="pid"),
        "repetir": _es_regular("repetir", pres="repit", pret3="repit"),
        "seguir": _es_regular("seguir", pres="sigu", pret3="sigu", stative=True),
        "conseguir": _es_regular("conseguir", pres="consigu", pret3="consigu"),
        "perseguir": _es_regular("perseguir", pres="persigu", pret3="persigu"),
        "sentir": _es_regular("sentir", pres="sient", pret3="sint"),
        "advertir": _es_regular("advertir", pres="adviert", pret3="advirt"),
        "mentir": _es_regular("mentir", pres="mient", pret3="mint"),
        "dormir": _es_regular("dormir", pres="duerm", pret3="durm"),
        "morir": _es_regular("morir", pres="muer", pret3="mur"),
        "continuar": _EsVerb("continúa", "continúan", "continué", "continuamos", "continuó",
                             "continuaron", "continuaba", "continuaban", "continuábamos", True),
        "reunir": _EsVerb("reúne", "reúnen", "reuní", "reunimos", "reunió", "reunieron", "reunía",
                          "reunían", "reuníamos"),
        "huir": _EsVerb("huye", "huyen", "huí", "huimos", "huyó", "huyeron", "huía", "huían", "huíamos"),
        "construir": _EsVerb("construye", "construyen", "construí", "construimos", "construyó",
                             "construyeron", "construía", "construían", "construíamos"),
        "oír": _EsVerb("oye", "oyen", "oí", "oímos", "oyó", "oyeron", "oía", "oían", "oíamos"),
        "ser": _EsVerb("es", "son", "fui", "fuimos", "fue", "fueron", "era", "eran", "éramos", True),
        "ir": _EsVerb("va", "van", "fui", "fuimos", "fue", "fueron", "iba", "iban", "íbamos"),
        "estar": _EsVerb("está", "están", "estuve", "estuvimos", "estuvo", "estuvieron", "estaba",
                         "estaban", "estábamos", True),
        "haber": _EsVerb("ha", "han", "hube", "hubimos", "hubo", "hubieron", "había", "habían",
                         "habíamos", True),
        "tener": _EsVerb("tiene", "tienen", "tuve", "tuvimos", "tuvo", "tuvieron", "tenía", "tenían",
                         "teníamos", True),
        "obtener": _EsVerb("obtiene", "obtienen", "obtuve", "obtuvimos", "obtuvo", "obtuvieron",
                           "obtenía", "obtenían", "obteníamos"),
        "retener": _EsVerb("retiene", "retienen", "retuve", "retuvimos", "retuvo", "retuvieron",
                           "retenía", "retenían", "reteníamos"),
        "detener": _EsVerb("detiene", "detienen", "detuve", "detuvimos", "detuvo", "detuvieron",
                           "detenía", "detenían", "deteníamos"),
        "mantener": _EsVerb("mantiene", "mantienen", "mantuve", "mantuvimos", "mantuvo", "mantuvieron",
                            "mantenía", "mantenían", "manteníamos", True),
        "decir": _EsVerb("dice", "dicen", "dije", "dijimos", "dijo", "dijeron", "decía", "decían",
                         "decíamos"),
        "hacer": _EsVerb("hace", "hacen", "hice", "hicimos", "hizo", "hicieron", "hacía", "hacían",
                         "hacíamos"),
        "dar": _EsVerb("da", "dan", "di", "dimos", "dio", "dieron", "daba", "daban", "dábamos"),
        "ver": _EsVerb("ve", "ven", "vi", "vimos", "vio", "vieron", "veía", "veían", "veíamos"),
        "poner": _EsVerb("pone", "ponen", "puse", "pusimos", "puso", "pusieron", "ponía", "ponían",
                         "poníamos"),
        "poder": _EsVerb("puede", "pueden", "pude", "pudimos", "pudo", "pudieron", "podía", "podían",
                         "podíamos", True),
        "querer": _EsVerb("quiere", "quieren", "quise", "quisimos", "quiso", "quisieron", "quería",
                          "querían", "queríamos", True),
        "saber": _EsVerb("sabe", "saben", "supe", "supimos", "supo", "supieron", "sabía", "sabían",
                         "sabíamos", True),
        "venir": _EsVerb("viene", "vienen", "vine", "vinimos", "vino", "vinieron", "venía", "venían",
                         "veníamos"),
        "traer": _EsVerb("trae", "traen", "traje", "trajimos", "trajo", "trajeron", "traía", "traían",
                         "traíamos"),
        "conducir": _EsVerb("conduce", "conducen", "conduje", "condujimos", "condujo", "condujeron",
                            "conducía", "conducían", "conducíamos"),
    })  # fmt: skip
    for inf, verb in verbs.items():
        first, plural = _ES_PRESENT_FIRST.get(inf, (None, None))
        verbs[inf] = dataclasses.replace(
            verb, p1s=first or _es_present_first(inf, verb), p1p=plural or _es_present_plural(inf)
        )
    return verbs


# Present forms of "yo" and "nosotros" that no rule gives.
_ES_PRESENT_FIRST: Final = {
    "tener": ("tengo", None), "obtener": ("obtengo", None), "retener": ("retengo", None),
    "detener": ("detengo", None), "mantener": ("mantengo", None), "decir": ("digo", None),
    "hacer": ("hago", None), "poner": ("pongo", None), "salir": ("salgo", None), "venir": ("vengo", None),
    "traer": ("traigo", None), "caer": ("caigo", None), "oír": ("oigo", "oímos"), "ver": ("veo", None),
    "dar": ("doy", None), "ir": ("voy", "vamos"), "ser": ("soy", "somos"), "estar": ("estoy", None),
    "haber": ("he", "hemos"), "saber": ("sé", None), "poder": ("puedo", None), "querer": ("quiero", None),
    "continuar": ("continúo", None), "reunir": ("reúno", None), "huir": ("huyo", None),
    "construir": ("construyo", None), "conducir": ("conduzco", None),
}  # fmt: skip


def _es_present_first(inf: str, verb: _EsVerb) -> str:
    """'sale' -> 'salgo' is listed; the rest follow the 3rd person's stem: 'empieza' -> 'empiezo',
    'sigue' -> 'sigo', 'exige' -> 'exijo', 'conoce' -> 'conozco'."""
    stem = verb.p3s[:-1]
    if inf.endswith("guir"):
        return stem[:-1] + "o"
    if inf.endswith(("ger", "gir")):
        return stem[:-1] + "jo"
    if re.search(r"[aeiou]c(er|ir)$", inf):
        return stem[:-1] + "zco"
    return stem + "o"


def _es_present_plural(inf: str) -> str:
    return inf[:-2] + {"ar": "amos", "er": "emos", "ir": "imos", "ír": "ímos"}[inf[-2:]]


_ES_VERBS: Final = _es_verbs()
# Present forms that are far more often something else ("para" the preposition, "como").
_ES_NOT_VERBS: Final = {"para", "como", "entre", "sobre", "bajo", "cerca", "solo", "vino", "junta", "marca"}


def _es_index() -> tuple[dict[str, tuple[_EsVerb, str]], dict[str, _EsVerb]]:
    """Present forms -> (verb, 's' or 'p' for singular/plural); 3rd-person preterite -> verb."""
    present: dict[str, tuple[_EsVerb, str]] = {}
    past: dict[str, _EsVerb] = {}
    for verb in _ES_VERBS.values():
        for form, person in ((verb.p3s, "s"), (verb.p3p, "p")):
            if form not in _ES_NOT_VERBS:
                present.setdefault(form, (verb, person))
        past.setdefault(verb.f3s, verb)
    return present, past


_ES_PRESENT, _ES_PAST3 = _es_index()
_ES_PAST3P: Final = {v.f3p for v in _ES_VERBS.values()}
_ES_IMPERFECT: Final = {v.i3s for v in _ES_VERBS.values()}
_ES_PARTICIPLE: Final = re.compile(
    r"(ado|ada|ados|adas|ido|ida|idos|idas|puesto|puesta|muerto|muerta|hecho|hecha|dicho|visto|vista|"
    r"abierto|abierta|escrito|vuelto|roto|rota|preso|presa|suelto|suelta)$"
)

_ES_DETERMINERS: Final = {
    "el", "un", "una", "unos", "unas", "su", "sus", "mi", "mis", "tu", "este", "esta", "ese", "esa",
    "estos", "estas", "esos", "esas", "aquel", "aquella", "nuestro", "nuestra", "al", "del", "cada",
    "otro", "otra", "cualquier", "ningún", "ninguna", "alguna", "algún",
}  # fmt: skip
_ES_PREPOSITIONS: Final = {
    "a", "ante", "bajo", "con", "contra", "de", "desde", "durante", "en", "entre", "hacia", "hasta",
    "mediante", "para", "por", "según", "sin", "sobre", "tras",
}  # fmt: skip
_ES_CLITICS: Final = {"me", "te", "se", "le", "les", "lo", "la", "los", "las", "nos"}
_ES_ADVERBS: Final = {
    "no", "ya", "también", "nunca", "solo", "sólo", "luego", "entonces", "ahí", "allí", "aquí",
    "todavía", "aún", "finalmente", "después", "otra", "vez",
}  # fmt: skip
_ES_COORD: Final = {"y", "e", "o", "u", "ni", "pero", "sino"}
_ES_SUBORD: Final = {"cuando", "porque", "mientras", "aunque", "donde", "dónde", "cómo", "como", "quien",
                     "quienes", "pues", "quién", "quiénes", "qué", "cuándo", "cuál", "cuáles"}  # fmt: skip
# Verbs whose subject is the event itself ("lo que pasó"), never the client.
_ES_EVENTS: Final = {"pasa", "pasó", "sucede", "sucedió", "ocurre", "ocurrió", "pasaba", "sucedía"}
# Predicates that say the client's gender ("detenida", "pandillero"): they must agree with it.
_ES_GENDERED: Final = re.compile(
    r"(ad|id|ert|ech|uest|iert|ich)(o|a)s?$|^(pandiller|marer|sospechos|detenid)(o|a)s?$"
)
# Groups and bodies that act like a person: a singular subject a null-subject verb may have.
_ES_COLLECTIVE: Final = {
    "policía", "pandilla", "patrulla", "familia", "fiscalía", "mara", "gente", "banda", "grupo",
    "ejército", "gobierno", "juez", "jueza", "fiscal", "oficial", "agente", "guardia", "hombre", "mujer",
}  # fmt: skip
_ES_HABER: Final = {"ha", "han", "he", "hemos", "había", "habían", "habíamos", "hubo", "hube"}
# Verbs of saying: a "que" after them reports what someone said.
_ES_SAYING: Final = {
    "dice", "dicen", "dijo", "dijeron", "cuenta", "cuentan", "explica", "explican", "pregunta", "preguntan",
    "advierte", "advierten", "avisa", "avisan", "grita", "gritan", "informa", "informan", "contó", "explicó",
    "advirtió", "digo", "dije", "cuento", "conté", "explico", "expliqué", "pregunto", "pregunté", "advierto",
    "advertí", "aviso", "avisé", "grito", "grité", "informo", "informé",
}  # fmt: skip
_ES_FAMILY: Final = {
    "hijo", "hija", "hijos", "hijas", "madre", "padre", "mamá", "papá", "padres", "familia", "casa",
    "esposo", "esposa", "pareja", "hermano", "hermana", "hermanos", "hermanas", "abuela", "abuelo",
    "tío", "tía", "bebé", "novio", "novia", "compañero", "compañera", "niños", "niñas",
}  # fmt: skip
_ES_PEOPLE: Final = {
    "madre", "mamá", "padre", "papá", "hijo", "hija", "hermano", "hermana", "esposo", "esposa", "pareja",
    "tío", "tía", "abuelo", "abuela", "primo", "prima", "sobrino", "sobrina", "hombre", "mujer", "niño",
    "niña", "muchacho", "muchacha", "vecino", "vecina", "amigo", "amiga", "agente", "oficial", "juez",
    "jueza", "fiscal", "abogado", "abogada", "jefe", "jefa", "dueño", "dueña", "taxista", "soldado",
    "testigo", "novio", "novia", "compañero", "compañera", "señor", "señora", "líder", "él", "ella",
    "alguien", "guardia", "patrón", "patrona",
}  # fmt: skip
_ES_PLACES_WITH_ARTICLE: Final = {
    "el salvador", "el paso", "la ceiba", "la paz", "los angeles", "los ángeles", "las vegas",
    "el progreso", "la libertad", "la unión", "el centro", "la joya", "las cruces", "la esperanza",
}  # fmt: skip
