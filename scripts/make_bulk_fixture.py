#!/usr/bin/env python3
"""Writes tests/fixtures/bulk/sample01/<Type>.ndjson: sample 01 as a FHIR bulk-data export (one
NDJSON file per resource type, relative references instead of urn:uuid), so the batch tests can
check that the bulk form converts to the same 837 as the Bundle form."""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
bundle = json.loads((ROOT / "samples/01-scig-95min-office/input.json").read_text())
by_url = {e["fullUrl"]: f'{e["resource"]["resourceType"]}/{e["resource"]["id"]}'
          for e in bundle["entry"]}


def relink(value):
    if isinstance(value, dict):
        return {k: (by_url.get(v, v) if k == "reference" else relink(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [relink(v) for v in value]
    return value


out = ROOT / "tests/fixtures/bulk/sample01"
out.mkdir(parents=True, exist_ok=True)
files = {}
for entry in bundle["entry"]:
    resource = relink(entry["resource"])
    files.setdefault(resource["resourceType"], []).append(json.dumps(resource, separators=(",", ":")))
for rtype, lines in files.items():
    (out / f"{rtype}.ndjson").write_text("\n".join(lines) + "\n")
