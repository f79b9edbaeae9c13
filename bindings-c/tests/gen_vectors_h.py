#!/usr/bin/env python3
"""Turns tests/vectors/usersig.json into a C header for test_vectors.c (run by test.sh):
the shared cross-language UserSig vectors, as static arrays."""
import base64
import json
import sys


def c_str(s):
    return "NULL" if s is None else json.dumps(s, ensure_ascii=True)


def c_bytes(b):
    return "{" + ", ".join(str(x) for x in b) + "}" if b else "{0}"


def main(src, dst):
    doc = json.load(open(src, encoding="utf-8"))
    out = ["/* Generated from tests/vectors/usersig.json by gen_vectors_h.py; do not edit. */",
           "#include <stddef.h>", "#include <stdint.h>",
           "typedef struct { const char *name; uint64_t sdkappid; const char *key; const char *identifier;",
           "  const char *usersig; const uint8_t *userbuf; size_t userbuf_len; uint64_t time; uint64_t expire;",
           "  const char *error; } usersig_vector;"]
    for group in ("valid", "invalid"):
        rows = []
        for i, case in enumerate(doc[group]):
            buf = base64.b64decode(case["userbuf_b64"]) if case.get("userbuf_b64") else b""
            var = "NULL"
            if buf:
                var = f"{group}_userbuf_{i}"
                out.append(f"static const uint8_t {var}[] = {c_bytes(buf)};")
            expect = case.get("expect", {})
            rows.append("  {%s, %dULL, %s, %s, %s, %s, %d, %dULL, %dULL, %s}" % (
                c_str(case["name"]), case["sdkappid"], c_str(case["key"]), c_str(case["identifier"]),
                c_str(case["usersig"]), var, len(buf), expect.get("time", 0), expect.get("expire", 0),
                c_str(case.get("error"))))
        out.append(f"static const usersig_vector {group.upper()}_VECTORS[] = {{\n" + ",\n".join(rows) + "\n};")
        out.append(f"#define N_{group.upper()}_VECTORS (sizeof {group.upper()}_VECTORS / sizeof {group.upper()}_VECTORS[0])")
    open(dst, "w", encoding="ascii").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
