#!/usr/bin/env python3
"""Turns the reference patch-metadata.md (merge keys, patch strategies, list types per field of the built-in
kinds, Kubernetes 1.32) into patch-metadata.json, from which harness-core's ModelSchemaFile (tests) writes the
patch metadata of model-schema.txt: the one source of truth for strategic merge patch, server-side apply and the
OpenAPI extensions.

usage: tools/patch_metadata_to_json.py ../shared/reference/patch-metadata.md \
           harness-core/src/test/resources/dev/kubetest/core/schema/patch-metadata.json
"""
import json
import re
import sys


def cell(s):
    s = s.strip()
    return None if s in ("—", "") else s


def main(src, dst):
    section = None
    fields = []
    atomic = []
    in_atomic = False
    for line in open(src, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^## (.+?)(?: \(\d+ rows?\))?$", line)
        if m:
            title = m.group(1)
            in_atomic = title.startswith("Types with")
            section = None
            g = re.match(r"^([a-z0-9.]+/v[0-9a-z]+|core/v1|meta/v1)", title)
            if g and not in_atomic:
                section = g.group(1)
            continue
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if in_atomic and line.startswith("| ") and len(cols) == 3 and cols[1].startswith("`"):
            atomic.append({"group": cols[0].split(" ")[0], "type": cols[1].strip("`")})
            continue
        if not line.startswith("| `"):
            continue
        if section is None and len(cols) == 4 and cols[2].startswith("patchStrategy"):
            fields.append({"group": "apps/v1" if cols[0] == "`DeploymentSpec`" else "policy/v1",
                           "type": cols[0].strip("`"), "field": cols[1].split("·")[0].strip().strip("`"),
                           "strategy": cols[2].replace('patchStrategy:"', "").replace('"', "")})
            continue
        if section is None or len(cols) < 7:
            continue
        type_name = cols[0].strip("`")
        field = cols[1].split("·")[0].strip().strip("`")
        strategy = cell(cols[2])
        key = cell(cols[3])
        list_type = cell(cols[4])
        map_keys = cell(cols[5])
        entry = {"group": section, "type": type_name, "field": field}
        if strategy:
            strategy = strategy.replace('patchStrategy:"', "").replace('"', "")
            entry["strategy"] = strategy
        if key:
            entry["mergeKey"] = key.strip("`")
        if list_type:
            if list_type.startswith("mapType="):
                entry["mapType"] = list_type.split("=")[1]
            elif list_type == "— (map)":
                entry["mapType"] = "granular"
            elif list_type.startswith("+structType="):
                entry["structType"] = list_type.split("=")[1]
            elif list_type.startswith("+listType="):
                pass
            else:
                entry["listType"] = list_type
        if map_keys:
            entry["listMapKeys"] = [k.strip().strip("`") for k in map_keys.split(",")]
        notes = cols[6]
        d = re.search(r"key `([^`]+)` defaults to \"([^\"]*)\"", notes)
        if d:
            entry["keyDefaults"] = {d.group(1): d.group(2)}
        fields.append(entry)
    json.dump({"source": "shared/reference/patch-metadata.md (Kubernetes 1.32)", "fields": fields,
               "atomicStructs": atomic}, open(dst, "w"), indent=1, sort_keys=True)
    print(f"{len(fields)} fields, {len(atomic)} atomic structs -> {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
