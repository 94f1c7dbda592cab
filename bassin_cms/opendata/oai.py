"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html):
the six verbs over the public resources, Dublin Core (oai_dc), sets per kind
and per theme, resumption tokens, and the protocol's error codes."""

import base64
import binascii
import datetime as dt
import json
import threading
import xml.etree.ElementTree as ET

from bassin_cms.params import MAX_ID
from bassin_cms.workflow.security import aware

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
for prefix, uri in (("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI)):
    ET.register_namespace(prefix, uri)
_serializing = threading.Lock()


def serialize(root, default_namespace):
    """The document as UTF-8 bytes, ``default_namespace`` unprefixed.

    ElementTree keeps its prefixes in one process-wide registry and cannot
    give a default namespace per call to documents with unqualified
    attributes; the feeds and the sitemap used to register theirs on every
    request, after which every OAI answer came out with ns0: names. Each
    document now registers its own under a lock, for its serialisation only."""
    with _serializing:
        ET.register_namespace("", default_namespace)
        try:
            return ET.tostring(root, encoding="utf-8")
        finally:
            ET._namespace_map.pop(default_namespace, None)


PAGE_SIZE = 100
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def _q(uri, name):
    return f"{{{uri}}}{name}"


def datestamp(value):
    return aware(value).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(value, end=False):
    """'2023-12-05' or '2023-12-05T10:00:00Z' -> aware datetime (a day is
    taken whole: 'until' a day includes all of it)."""
    try:
        if len(value) == 10:
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
            return day + dt.timedelta(days=1, microseconds=-1) if end else day
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        raise OAIError("badArgument", f"Date non valide : {value!r} (AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ssZ).") from None


TOKEN_KEYS = frozenset({"offset", "from", "until", "set"})


def encode_token(state):
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_token(token):
    try:
        state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        # A token is the client's to send back, so anyone can forge one: only
        # the shape this module writes is read (an int offset, text or nothing).
        if not isinstance(state, dict) or set(state) - TOKEN_KEYS or "offset" not in state:
            raise ValueError
        offset = state["offset"]
        if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_ID:
            raise ValueError
        if any(state.get(key) is not None and not isinstance(state[key], str) for key in TOKEN_KEYS - {"offset"}):
            raise ValueError
        return state
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise OAIError("badResumptionToken", "Jeton de reprise inconnu ou périmé.") from None


class Repository:
    """Answers one OAI-PMH request: ``respond(params)`` -> XML bytes."""

    def __init__(self, request, catalogue):
        self.request = request
        self.catalogue = catalogue
        self.base_url = request.route_url("oai")
        self.host = request.host.split(":")[0]

    # --- envelope -----------------------------------------------------------
    def respond(self, params, repeated=False):
        root = ET.Element(_q(OAI, "OAI-PMH"))
        root.set(_q(XSI, "schemaLocation"), f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
        ET.SubElement(root, _q(OAI, "responseDate")).text = datestamp(dt.datetime.now(dt.UTC))
        request_element = ET.SubElement(root, _q(OAI, "request"))
        request_element.text = self.base_url
        verb = params.get("verb")
        try:
            if repeated:
                raise OAIError("badArgument", "Un argument est répété.")
            if verb not in VERBS:
                raise OAIError("badVerb", "Verbe absent ou inconnu." if verb else "Verbe absent.")
            self._check_arguments(verb, params)
            for key, value in params.items():  # echoed only when the request is valid
                request_element.set(key, value)
            getattr(self, verb)(root, params)
        except OAIError as error:
            ET.SubElement(root, _q(OAI, "error"), code=error.code).text = error.message
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + serialize(root, OAI)

    def _check_arguments(self, verb, params):
        required, optional = VERBS[verb]
        given = set(params) - {"verb"}
        if "resumptionToken" in given and given != {"resumptionToken"}:
            raise OAIError("badArgument", "resumptionToken est exclusif : aucun autre argument avec lui.")
        if given - required - optional:
            raise OAIError("badArgument", f"Argument(s) non permis : {', '.join(sorted(given - required - optional))}.")
        if "resumptionToken" not in given and required - given:
            raise OAIError("badArgument", f"Argument(s) manquant(s) : {', '.join(sorted(required - given))}.")

    def _prefix(self, prefix):
        if prefix != "oai_dc":
            raise OAIError("cannotDisseminateFormat", "Seul le format oai_dc est proposé.")

    def _record_id(self, resource):
        return f"oai:{self.host}:{resource.shortid}"

    def _resource(self, identifier):
        prefix = f"oai:{self.host}:"
        resource = self.catalogue.by_shortid(identifier[len(prefix) :]) if identifier.startswith(prefix) else None
        if resource is None:
            raise OAIError("idDoesNotExist", "Identifiant inconnu dans ce dépôt.")
        return resource

    # --- verbs --------------------------------------------------------------
    def Identify(self, root, params):
        identify = ET.SubElement(root, _q(OAI, "Identify"))
        earliest = self.catalogue.earliest_datestamp() or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        for name, value in (
            ("repositoryName", "Centre de ressources de la Mission Bassin Minier Nord-Pas de Calais"),
            ("baseURL", self.base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", self.request.registry.settings.get("bassin.admin_email", "contact@missionbassinminier.org")),
            ("earliestDatestamp", datestamp(earliest)),
            ("deletedRecord", "no"),
            ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ):
            ET.SubElement(identify, _q(OAI, name)).text = value

    def ListMetadataFormats(self, root, params):
        if "identifier" in params:
            self._resource(params["identifier"])
        formats = ET.SubElement(root, _q(OAI, "ListMetadataFormats"))
        fmt = ET.SubElement(formats, _q(OAI, "metadataFormat"))
        for name, value in (
            ("metadataPrefix", "oai_dc"),
            ("schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
            ("metadataNamespace", OAI_DC),
        ):
            ET.SubElement(fmt, _q(OAI, name)).text = value

    def ListSets(self, root, params):
        if "resumptionToken" in params:
            raise OAIError("badResumptionToken", "La liste des ensembles tient en une réponse.")
        sets = ET.SubElement(root, _q(OAI, "ListSets"))
        for spec, name in self.catalogue.sets():
            item = ET.SubElement(sets, _q(OAI, "set"))
            ET.SubElement(item, _q(OAI, "setSpec")).text = spec
            ET.SubElement(item, _q(OAI, "setName")).text = name

    def GetRecord(self, root, params):
        self._prefix(params["metadataPrefix"])
        resource = self._resource(params["identifier"])
        self._record(ET.SubElement(root, _q(OAI, "GetRecord")), resource)

    def ListIdentifiers(self, root, params):
        self._list(root, params, headers_only=True)

    def ListRecords(self, root, params):
        self._list(root, params, headers_only=False)

    def _list(self, root, params, headers_only):
        if "resumptionToken" in params:
            state = decode_token(params["resumptionToken"])
        else:
            self._prefix(params["metadataPrefix"])
            state = {"offset": 0, "from": params.get("from"), "until": params.get("until"), "set": params.get("set")}
        since = parse_datestamp(state["from"]) if state.get("from") else None
        until = parse_datestamp(state["until"], end=True) if state.get("until") else None
        if since and until and since > until:
            raise OAIError("badArgument", "from est postérieur à until.")
        if state.get("from") and state.get("until") and len(state["from"]) != len(state["until"]):
            raise OAIError("badArgument", "from et until n'ont pas la même granularité.")
        kind = vocabulary = code = None
        if state.get("set"):
            family, _, code = state["set"].partition(":")
            if family == "kind" and code:
                kind = code
            elif family == "theme" and code:
                vocabulary = "theme"
            else:
                raise OAIError("badArgument", f"Ensemble inconnu : {state['set']!r} (kind:… ou theme:…).")
        statement = self.catalogue.query(since=since, until=until, kind=kind, vocabulary=vocabulary, code=code)
        total = self.catalogue.count(statement)
        if state["offset"] and state["offset"] >= total:
            raise OAIError("badResumptionToken", "Jeton de reprise au-delà de la fin de la liste.")
        resources = self.catalogue.page(statement, state["offset"], PAGE_SIZE)
        if not resources and not total:
            raise OAIError("noRecordsMatch", "Aucun enregistrement ne correspond à cette demande.")
        listing = ET.SubElement(root, _q(OAI, "ListIdentifiers" if headers_only else "ListRecords"))
        for resource in resources:
            if headers_only:
                self._header(listing, resource)
            else:
                self._record(listing, resource)
        following = state["offset"] + PAGE_SIZE
        if following < total or state["offset"]:
            token = ET.SubElement(
                listing, _q(OAI, "resumptionToken"), completeListSize=str(total), cursor=str(state["offset"])
            )
            token.text = encode_token(dict(state, offset=following)) if following < total else ""

    def _header(self, parent, resource):
        header = ET.SubElement(parent, _q(OAI, "header"))
        ET.SubElement(header, _q(OAI, "identifier")).text = self._record_id(resource)
        ET.SubElement(header, _q(OAI, "datestamp")).text = datestamp(resource.modified)
        if resource.kind is not None:
            ET.SubElement(header, _q(OAI, "setSpec")).text = f"kind:{resource.kind.code}"
        for term in resource.terms:
            if term.vocabulary == "theme":
                ET.SubElement(header, _q(OAI, "setSpec")).text = f"theme:{term.code}"
        return header

    def _record(self, parent, resource):
        record = ET.SubElement(parent, _q(OAI, "record"))
        self._header(record, resource)
        metadata = ET.SubElement(record, _q(OAI, "metadata"))
        dc = ET.SubElement(metadata, _q(OAI_DC, "dc"))
        dc.set(_q(XSI, "schemaLocation"), f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
        for element, values in self.catalogue.dublin_core(resource).items():
            for value in values:
                ET.SubElement(dc, _q(DC, element)).text = value
