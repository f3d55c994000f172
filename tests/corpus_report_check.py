#!/usr/bin/env python3
"""Checks one `fhir837 convert` run over third-party data against the data itself (issue 9 §1).

usage: corpus_report_check.py REPORT_JSON INPUT...

1. Every input file (each file under a directory argument) is named in report.json.
2. No SC-infusion line (96369, 96370, 96371) comes from an event whose data has no subcutaneous
   route: the route is read here from the input files, independently of fhir837's route table.
Prints one line per finding and exits 1 when there is any.
"""
import gzip
import json
import os
import sys
import xml.etree.ElementTree as ET

SC_INFUSION_CODES = {"96369", "96370", "96371"}
# SNOMED CT 34206005 "Subcutaneous route", 263887005 "Subcutaneous infusion route"; HL7 v2 table
# 0162 "SC"; NCI Thesaurus C38299 "Subcutaneous route of administration".
SC_CODINGS = {("http://snomed.info/sct", "34206005"), ("http://snomed.info/sct", "263887005"),
              ("http://terminology.hl7.org/CodeSystem/v2-0162", "SC")}
SC_WORDS = {"sc", "sq", "subq", "subcut", "subcutaneous", "subcutaneous route", "c38299"}
SC_CPT = {"96369", "96370", "96371"}
FHIR_NS = "{http://hl7.org/fhir}"


def input_files(args):
    for arg in args:
        if os.path.isdir(arg):
            for root, _dirs, files in os.walk(arg):
                for name in sorted(files):
                    yield arg, os.path.join(root, name)
        else:
            yield None, arg


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def json_resources(node):
    """Every resource inside a parsed JSON value (Bundle entries, contained, nested)."""
    if isinstance(node, dict):
        if isinstance(node.get("resourceType"), str):
            yield node
        for value in node.values():
            yield from json_resources(value)
    elif isinstance(node, list):
        for value in node:
            yield from json_resources(value)


def xml_to_json_like(element):
    """Enough of FHIR XML for routes and codes: {resourceType, id, dosage.route, code}."""
    def local(tag):
        return tag[len(FHIR_NS):] if tag.startswith(FHIR_NS) else tag

    def convert(el):
        out = {}
        if "value" in el.attrib:
            return el.attrib["value"]
        for child in el:
            key = local(child.tag)
            if key == "resource":
                inner = list(child)
                if inner:
                    out.setdefault("resource", []).append(resource_of(inner[0]))
                continue
            out.setdefault(key, []).append(convert(child))
        return {k: (v[0] if len(v) == 1 and k not in ("coding",) else v) for k, v in out.items()}

    def resource_of(el):
        res = convert(el)
        if isinstance(res, dict):
            res["resourceType"] = local(el.tag)
        return res

    return resource_of(element)


def resources_in(path):
    try:
        text = read_text(path)
    except OSError:
        return
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<"):
        try:
            yield from json_resources(xml_to_json_like(ET.fromstring(stripped)))
        except ET.ParseError:
            return
        return
    try:
        yield from json_resources(json.loads(stripped))
        return
    except ValueError:
        pass
    for line in text.splitlines():
        try:
            yield from json_resources(json.loads(line))
        except ValueError:
            continue


def codings(concept):
    if not isinstance(concept, dict):
        return []
    found = concept.get("coding", [])
    return found if isinstance(found, list) else [found]


def is_sc_route(route):
    if not isinstance(route, dict):
        return False
    words = {str(route.get("text", "")).strip().lower()}
    for c in codings(route):
        if not isinstance(c, dict):
            continue
        if (c.get("system"), c.get("code")) in SC_CODINGS:
            return True
        words.add(str(c.get("code", "")).strip().lower())
        words.add(str(c.get("display", "")).strip().lower())
    return bool(words & SC_WORDS) or any("subcutaneous" in w for w in words)


def has_sc_evidence(resource):
    kind = resource.get("resourceType")
    if kind == "MedicationAdministration":
        dosage = resource.get("dosage")
        return isinstance(dosage, dict) and is_sc_route(dosage.get("route"))
    if kind == "Procedure":
        code = resource.get("code")
        if any(isinstance(c, dict) and str(c.get("code")) in SC_CPT for c in codings(code)):
            return True
        text = json.dumps(code).lower()
        return "subcutaneous" in text
    return False


def string_values(node, out):
    if isinstance(node, str):
        out.add(node)
    elif isinstance(node, dict):
        for v in node.values():
            string_values(v, out)
    elif isinstance(node, list):
        for v in node:
            string_values(v, out)


def main(argv):
    report_path, args = argv[1], argv[2:]
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    findings = []

    named = set()
    string_values(report, named)
    files = list(input_files(args))
    for base, path in files:
        candidates = {path, os.path.abspath(path)}
        if base is not None:
            candidates.add(os.path.relpath(path, base))
        if not candidates & named:
            findings.append(f"input not named in report.json: {path}")

    sc_lines = []
    for claim in report.get("claims", []):
        for line in claim.get("lines", []):
            if str(line.get("code")) in SC_INFUSION_CODES:
                sc_lines.append((claim.get("claim_id"), line.get("code"), line.get("source", "")))
    if sc_lines:
        events = {}
        for _base, path in files:
            for r in resources_in(path):
                if r.get("resourceType") in ("MedicationAdministration", "Procedure"):
                    key = f"{r['resourceType']}/{r.get('id')}"
                    events[key] = events.get(key, False) or has_sc_evidence(r)
        for claim_id, code, source in sc_lines:
            if source not in events:
                findings.append(f"claim {claim_id}: {code} from {source}, not found in the inputs")
            elif not events[source]:
                findings.append(f"claim {claim_id}: {code} from {source}, whose data has no "
                                "subcutaneous route")
    for finding in findings:
        print(finding)
    print(f"sc-infusion-lines={len(sc_lines)} inputs={len(files)}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
