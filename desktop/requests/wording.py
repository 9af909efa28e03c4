"""The fixed words of the request letters, in English and Spanish.

As for drafted declarations (:mod:`desktop.drafting.locales`), a letter is document content in its
own language, whatever the interface language, so its words are a table of both languages rather
than gettext messages. A Spanish text that agrees with the client's sex has three forms: ``es_f``,
``es_m`` and ``es`` (the neutral "detenido(a)" when the record does not say).

Placeholders in square brackets (:data:`BLANKS`) stand where the record has nothing to fill in; the
command line and the window list them, and nothing fills them in for the attorney.
"""

from __future__ import annotations

import re
from typing import Final

#: A bracketed blank left for the attorney: "[A-number]", "[número de DUI]".
BLANK: Final = re.compile(r"\[[^\[\]\n]{1,80}\]")

W: Final[dict[str, dict[str, str]]] = {
    # -- blanks ------------------------------------------------------------------------------
    "blank_requester": {"en": "[Requester's name]", "es": "[Nombre de quien solicita]"},
    "blank_requester_address": {
        "en": "[Requester's address, telephone and email]",
        "es": "[Dirección, teléfono y correo de quien solicita]",
    },
    "blank_a_number": {"en": "[A-number]", "es": "[número A]"},
    "blank_dob": {"en": "[date of birth]", "es": "[fecha de nacimiento]"},
    "blank_country": {"en": "[country of birth]", "es": "[país de nacimiento]"},
    "blank_address": {"en": "[current address]", "es": "[dirección actual]"},
    "blank_representative": {
        "en": "[name of the relative or representative]",
        "es": "[nombre del familiar o representante]",
    },
    "blank_relationship": {"en": "[relationship]", "es": "[parentesco]"},
    "blank_id_number": {"en": "[{document} number]", "es": "[número de {document}]"},
    "blank_place_date": {"en": "[place and date]", "es": "[lugar y fecha]"},
    "blank_unconfirmed_address": {
        "en": "[Address not confirmed by a source: check it before sending]",
        "es": "[Dirección sin confirmar en una fuente: verifíquela antes de enviar]",
    },
    "none_recorded": {"en": "none recorded", "es": "ninguno registrado"},
    # On the page the client signs, "none" is the client's to say: a blank, not "none recorded".
    "blank_aliases": {"en": "[other names used, or “none”]", "es": "[otros nombres usados, o “ninguno”]"},
    "blank_nationality": {"en": "[nationality]", "es": "[nacionalidad]"},
    # -- FOIA letter -------------------------------------------------------------------------
    "foia_title": {
        "en": "Freedom of Information Act and Privacy Act request",
        "es": "Solicitud conforme a la Ley de Libertad de Información y la Ley de Privacidad",
    },
    "spanish_copy": {
        "en": "",
        "es": "Copia en español para la persona interesada. La solicitud se envía a la agencia en inglés.",
    },
    "re": {"en": "Re:", "es": "Asunto:"},
    "re_line": {"en": "{title}: {name}, {a_number}", "es": "{title}: {name}, {a_number}"},
    "expedite_requested": {
        "en": "EXPEDITED PROCESSING REQUESTED — REQUESTER'S CLIENT IS DETAINED",
        "es": "SE PIDE TRÁMITE ACELERADO: LA PERSONA INTERESADA ESTÁ DETENIDA",
    },
    "dear_foia": {"en": "Dear FOIA Officer:", "es": "Estimado funcionario de FOIA:"},
    "foia_intro": {
        "en": "I represent {name}{in_court}. Under the Freedom of Information Act, 5 U.S.C. § 552, and "
        "the Privacy Act, 5 U.S.C. § 552a, I request copies of all records about my client held by "
        "your agency, including the records listed below.",
        "es": "Represento a {name}{in_court}. Conforme a la Ley de Libertad de Información (5 U.S.C. "
        "§ 552) y la Ley de Privacidad (5 U.S.C. § 552a), solicito copia de todos los registros sobre "
        "mi cliente que estén en poder de su agencia, incluidos los que se enumeran abajo.",
    },
    "in_court": {
        "en": ", who is in removal proceedings before the {court}",
        "es": ", que tiene un proceso de expulsión ante el {court}",
    },
    "subject_heading": {"en": "Subject of the records", "es": "Persona a quien se refieren los registros"},
    "field_name": {"en": "Name as written", "es": "Nombre como se escribe"},
    "field_aliases": {"en": "Other names used", "es": "Otros nombres usados"},
    "field_a_number": {"en": "A-number", "es": "Número A"},
    "field_dob": {"en": "Date of birth", "es": "Fecha de nacimiento"},
    "field_cob": {"en": "Country of birth", "es": "País de nacimiento"},
    "field_nationality": {"en": "Nationality", "es": "Nacionalidad"},
    "field_address": {"en": "Current address", "es": "Dirección actual"},
    "records_heading": {"en": "Records requested", "es": "Registros que se solicitan"},
    "records_allegation": {
        "en": "Every record on which the statement that my client {claim} rests, including any "
        "record received from a foreign government or a task force, and the record that reads: "
        "“{wording}”.",
        "es": "Todo registro en que se apoye la afirmación de que mi cliente {claim}, incluido "
        "cualquier registro recibido de un gobierno extranjero o de un grupo de trabajo, y el registro "
        "que dice: “{wording}”.",
    },
    "records_allegation_no_wording": {
        "en": "Every record on which the statement that my client {claim} rests, including any "
        "record received from a foreign government or a task force.",
        "es": "Todo registro en que se apoye la afirmación de que mi cliente {claim}, incluido "
        "cualquier registro recibido de un gobierno extranjero o de un grupo de trabajo.",
    },
    "claim_gang": {
        "en": "is a member of or associated with {organization}",
        "es": "es miembro de {organization} o tiene vínculos con esa organización",
    },
    "claim_gang_unnamed": {"en": "belongs to a gang", "es": "pertenece a una pandilla"},
    "claim_criminal": {"en": "has a criminal history", "es": "tiene antecedentes penales"},
    "records_allegation_other": {
        "en": "Every record on which the allegation against my client rests, including any record "
        "received from a foreign government or a task force{quote}.",
        "es": "Todo registro en que se apoye el señalamiento contra mi cliente, incluido cualquier "
        "registro recibido de un gobierno extranjero o de un grupo de trabajo{quote}.",
    },
    "quote": {
        "en": ", and the record that reads: “{wording}”",
        "es": ", y el registro que dice: “{wording}”",
    },
    "records_encounters": {
        "en": "The records of my client's encounters with U.S. authorities at or near the border, "
        "including these:",
        "es": "Los registros de los encuentros de mi cliente con autoridades de los EE. UU. en la "
        "frontera o cerca de ella, incluidos estos:",
    },
    "encounter": {"en": "{date}, {place}", "es": "{date}, {place}"},
    "encounter_no_place": {"en": "{date}", "es": "{date}"},
    "expedite_heading": {"en": "Expedited processing", "es": "Trámite acelerado"},
    "expedite_detained": {
        "en": "My client is detained by U.S. Immigration and Customs Enforcement at {facility}{since}. "
        "The government relies on the records requested here to keep my client detained, and my "
        "client needs them to answer that allegation before the immigration court{hearing}. Without "
        "expedited processing my client would lose substantial due process rights ({rule}): the "
        "chance to answer, with the government's own records, the basis of a detention that "
        "continues every day the records are not produced.",
        "es": "Mi cliente está {held} por el Servicio de Inmigración y Control de Aduanas (ICE) en "
        "{facility}{since}. El gobierno se basa en los registros que aquí se solicitan para mantener "
        "a mi cliente {held}, y mi cliente los necesita para responder a ese señalamiento ante el "
        "tribunal de inmigración{hearing}. Sin un trámite acelerado, mi cliente perdería derechos "
        "sustanciales al debido proceso ({rule}): la oportunidad de responder, con los propios "
        "registros del gobierno, al fundamento de una detención que continúa cada día que los "
        "registros no se entregan.",
    },
    "since": {"en": " since {date}", "es": " desde {date}"},
    "hearing": {"en": " (next hearing: {date})", "es": " (próxima audiencia: {date})"},
    "certify_expedite": {
        "en": "I certify that this statement of compelling need is true and correct to the best of my "
        "knowledge and belief (5 U.S.C. § 552(a)(6)(E)(vi)).",
        "es": "Certifico que esta declaración de necesidad apremiante es verdadera y correcta según mi "
        "leal saber y entender (5 U.S.C. § 552(a)(6)(E)(vi)).",
    },
    "fees": {
        "en": "This request is made for my client's own use, not for a commercial purpose. Please "
        "contact me before incurring any fee.",
        "es": "Esta solicitud se hace para uso propio de mi cliente, sin fin comercial. Por favor, "
        "comuníquese conmigo antes de generar cualquier cobro.",
    },
    "format": {
        "en": "Please send the records in electronic form (PDF) to the address above, releasing each "
        "part as it is ready rather than waiting for the whole.",
        "es": "Por favor, envíe los registros en formato electrónico (PDF) a la dirección indicada, "
        "entregando cada parte cuando esté lista en lugar de esperar a tenerlas todas.",
    },
    "consent_enclosed": {
        "en": "My client's verification of identity and consent to release the records to me are on "
        "the enclosed page, signed under penalty of perjury under 28 U.S.C. § 1746{rule}.",
        "es": "La verificación de identidad de mi cliente y su consentimiento para que los registros "
        "se me entreguen van en la página adjunta, firmados bajo pena de perjurio conforme a "
        "28 U.S.C. § 1746{rule}.",
    },
    "consent_rule": {
        "en": ", which {rule} accepts in place of a notarized signature",
        "es": ", que {rule} acepta en lugar de una firma notarizada",
    },
    "sincerely": {"en": "Sincerely,", "es": "Atentamente,"},
    "enclosure": {
        "en": "Enclosure: verification of identity and consent of {name}",
        "es": "Anexo: verificación de identidad y consentimiento de {name}",
    },
    # -- the consent page ----------------------------------------------------------------------
    "consent_title": {
        "en": "Verification of identity and consent to release of records",
        "es": "Verificación de identidad y consentimiento para la entrega de registros",
    },
    "consent_text": {
        "en": "I am the person named above. I consent to the release to {requester} of all records "
        "about me held by {agency}.",
        "es": "Soy la persona nombrada arriba. Doy mi consentimiento para que {agency} entregue a "
        "{requester} todos los registros sobre mí.",
    },
    "perjury": {
        "en": "I declare under penalty of perjury under the laws of the United States of America that "
        "the foregoing is true and correct.",
        "es": "Declaro bajo pena de perjurio, conforme a las leyes de los Estados Unidos de América, "
        "que lo anterior es verdadero y correcto.",
    },
    "executed_on": {
        "en": "Signed on (date): ____________________",
        "es": "Firmado el (fecha): ____________________",
    },
    "signature_of": {"en": "Signature of {name}", "es": "Firma de {name}"},
    "interpreter_title": {"en": "Interpreter's certificate", "es": "Certificado del intérprete"},
    "interpreter_text": {
        "en": "I, ______________________________, am competent to translate between English and "
        "{language}. I read this page to the person named above in {language} before they signed it.",
        "es": "Yo, ______________________________, soy competente para traducir entre el inglés y el "
        "{language}. Leí esta página a la persona nombrada arriba en {language} antes de que la firmara.",
    },
    "signature_line": {"en": "Signature", "es": "Firma"},
    # -- FBI identity history summary --------------------------------------------------------
    "ihs_title": {
        "en": "Request for an Identity History Summary",
        "es": "Solicitud de resumen de historial de identidad",
    },
    "dear_ihs": {
        "en": "To the Criminal Justice Information Services Division:",
        "es": "A la División de Servicios de Información de Justicia Penal:",
    },
    "ihs_intro": {
        "en": "I represent {name}. Under 28 C.F.R. §§ 16.30–16.34, I request my client's Identity "
        "History Summary, or a statement that there is none. Enclosed are my client's fingerprints on "
        "a standard fingerprint card, the applicant information my client signed, and the fee.",
        "es": "Represento a {name}. Conforme a 28 C.F.R. §§ 16.30–16.34, solicito el resumen de "
        "historial de identidad de mi cliente, o la constancia de que no existe. Adjunto las huellas "
        "dactilares de mi cliente en una tarjeta estándar, la información del solicitante firmada por "
        "mi cliente y el pago.",
    },
    "ihs_detained": {
        "en": "My client is detained by U.S. Immigration and Customs Enforcement at {facility}{since}, "
        "and the government relies on an allegation of criminal history to keep my client detained. "
        "A prompt answer is requested.",
        "es": "Mi cliente está {held} por el Servicio de Inmigración y Control de Aduanas (ICE) en "
        "{facility}{since}, y el gobierno se basa en un señalamiento de antecedentes penales para "
        "mantener a mi cliente {held}. Se pide una respuesta pronta.",
    },
    "ihs_send": {
        "en": "Please send the summary to me at the address above.",
        "es": "Por favor, envíeme el resumen a la dirección indicada.",
    },
    # -- clearance letters (Spanish first) ----------------------------------------------------
    "auth_title": {
        "en": "Authorization to apply for criminal-record certificates",
        "es": "Autorización para tramitar constancias de antecedentes",
    },
    "where_detained": {
        "en": "now held in the custody of the United States immigration authorities at {facility}",
        "es": "actualmente {held} bajo custodia de las autoridades migratorias de los Estados Unidos "
        "en {facility}",
    },
    "where_living": {"en": "now living at {address}", "es": "con domicilio actual en {address}"},
    "auth_text": {
        "en": "I, {name}, born {dob} in {country}, holder of {id_document} {id_number}, {where}, authorize "
        "{representative}, my {relationship}, holder of {id_document} {rep_id_number}, to apply in my "
        "name for the following documents, to pay for and receive them, and to sign the papers the "
        "application needs:",
        "es": "Yo, {name}, {born} {dob} en {country}, con {id_document} {id_number}, {where}, "
        "autorizo a {representative}, mi {relationship}, con {id_document} {rep_id_number}, para que "
        "en mi nombre solicite los siguientes documentos, pague su costo, los reciba y firme lo que el "
        "trámite requiera:",
    },
    "auth_item": {"en": "{certificate} (issued by: {issuer})", "es": "{certificate} (emite: {issuer})"},
    "born": {"es_f": "nacida", "es_m": "nacido", "es": "nacido(a)", "en": "born"},
    "held": {"es_f": "detenida", "es_m": "detenido", "es": "detenido(a)", "en": "held"},
    "auth_reason": {
        "en": "I give this authorization because I am detained outside {country} and cannot apply in person.",
        "es": "Otorgo esta autorización porque me encuentro {held} fuera de {country} y no puedo hacer "
        "el trámite en persona.",
    },
    "auth_reason_living": {
        "en": "I give this authorization because I live outside {country} and cannot apply in person.",
        "es": "Otorgo esta autorización porque vivo fuera de {country} y no puedo hacer el trámite en "
        "persona.",
    },
    "place_date": {"en": "Place and date: {value}", "es": "Lugar y fecha: {value}"},
    "request_title": {"en": "Request: {certificate}", "es": "Solicitud: {certificate}"},
    "dear_issuer": {"en": "To: {issuer}", "es": "Señores\n{issuer}\nPresente."},
    "request_text": {
        "en": "I, {representative}, holder of {id_document} {rep_id_number}, acting for {name} under the "
        "enclosed authorization, respectfully ask that the following document be issued in the name of "
        "{name}, born {dob} in {country}, holder of {id_document} {id_number}: {certificate}.",
        "es": "Yo, {representative}, con {id_document} {rep_id_number}, en representación de {name} "
        "según la autorización adjunta, solicito respetuosamente que se extienda a nombre de {name}, "
        "{born} {dob} en {country}, con {id_document} {id_number}, el siguiente documento: "
        "{certificate}.",
    },
    "request_use": {
        "en": "The document will be presented to the United States immigration court in the "
        "proceedings of {name} ({a_number}), who is held at {facility}.",
        "es": "El documento se presentará ante el tribunal de inmigración de los Estados Unidos en el "
        "proceso de {name} ({a_number}), quien se encuentra {held} en {facility}.",
    },
    "request_use_living": {
        "en": "The document will be presented to the United States immigration court in the "
        "proceedings of {name} ({a_number}).",
        "es": "El documento se presentará ante el tribunal de inmigración de los Estados Unidos en el "
        "proceso de {name} ({a_number}).",
    },
    "enclosed": {"en": "Enclosed:", "es": "Se adjunta:"},
    "enclosed_authorization": {"en": "the signed authorization", "es": "la autorización firmada"},
    "enclosed_ids": {
        "en": "copies of both identity documents",
        "es": "copia de los documentos de identidad de ambas personas",
    },
    "how_heading": {
        "en": "For the application (not part of the letter)",
        "es": "Para el trámite (no forma parte de la carta)",
    },
    "how_fact": {"en": "{label}: {value}", "es": "{label}: {value}"},
    "how_source": {
        "en": "Source: {source}, checked on {date}.",
        "es": "Fuente: {source}, consultada el {date}.",
    },
    "how_unconfirmed": {
        "en": "Not confirmed by a source: ask the issuer.",
        "es": "Sin confirmar en una fuente: pregunte a la institución.",
    },
    "label_abroad": {"en": "From abroad", "es": "Desde el extranjero"},
    "label_representative": {"en": "The representative brings", "es": "Quien hace el trámite lleva"},
    "label_cost": {"en": "Cost", "es": "Costo"},
    "label_validity": {"en": "Valid for", "es": "Vigencia"},
    "label_apostille": {"en": "Apostille", "es": "Apostilla"},
    "validity_days": {"en": "{days} days from issue", "es": "{days} días desde su emisión"},
}


def say(key: str, lang: str, sex: str | None = None, **values: str) -> str:
    """The words of ``key`` in ``lang`` (by the client's sex where Spanish agrees), filled in."""
    forms = W[key]
    if lang == "es" and sex in ("f", "m") and f"es_{sex}" in forms:
        text = forms[f"es_{sex}"]
    else:
        text = forms.get(lang) or forms["en"]
    return text.format(**values) if values else text
