#!/usr/bin/env python3
"""Writes the FHIR R4 XML form of a FHIR R4 JSON resource (used to keep the JSON and XML forms of
samples/ in step). Handles resources, contained/entry resources, arrays, primitives and the
`_field` primitive extensions; element order is kept as in the JSON, which is what the samples
are written in (FHIR's order)."""
import json
import sys
from xml.sax.saxutils import quoteattr

NS = "http://hl7.org/fhir"


def primitive_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_element(out, name, value, ext, indent):
    pad = "  " * indent
    if isinstance(value, dict) and "resourceType" in value:
        out.append(f"{pad}<{name}>")
        write_resource(out, value, indent + 1)
        out.append(f"{pad}</{name}>")
        return
    if isinstance(value, dict):
        out.append(f"{pad}<{name}>" if value else f"{pad}<{name}/>")
        write_children(out, value, indent + 1)
        if value:
            out.append(f"{pad}</{name}>")
        return
    attrs = ""
    if ext and "id" in ext:
        attrs += f" id={quoteattr(ext['id'])}"
    if value is not None:
        attrs += f" value={quoteattr(primitive_text(value))}"
    if ext and "extension" in ext:
        out.append(f"{pad}<{name}{attrs}>")
        write_children(out, {"extension": ext["extension"]}, indent + 1)
        out.append(f"{pad}</{name}>")
    else:
        out.append(f"{pad}<{name}{attrs}/>")


def write_children(out, obj, indent):
    for key, value in obj.items():
        if key == "resourceType" or key.startswith("_"):
            continue
        ext = obj.get("_" + key)
        if key == "url" and indent > 0 and isinstance(value, str) and "extension" in obj:
            continue  # written as an attribute by the caller
        if isinstance(value, list):
            for i, item in enumerate(value):
                item_ext = ext[i] if isinstance(ext, list) and i < len(ext) else None
                write_item(out, key, item, item_ext, indent)
        else:
            write_item(out, key, value, ext, indent)


def write_item(out, key, value, ext, indent):
    if key == "extension" and isinstance(value, dict):
        pad = "  " * indent
        body = {k: v for k, v in value.items() if k != "url"}
        out.append(f"{pad}<extension url={quoteattr(value['url'])}>")
        write_children(out, body, indent + 1)
        out.append(f"{pad}</extension>")
        return
    if key == "div":
        pad = "  " * indent
        out.append(f"{pad}{value}")
        return
    write_element(out, key, value, ext, indent)


def write_resource(out, resource, indent, root=False):
    pad = "  " * indent
    xmlns = f' xmlns="{NS}"' if root else ""
    out.append(f"{pad}<{resource['resourceType']}{xmlns}>")
    write_children(out, resource, indent + 1)
    out.append(f"{pad}</{resource['resourceType']}>")


def main():
    resource = json.load(open(sys.argv[1]))
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    write_resource(out, resource, 0, root=True)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
