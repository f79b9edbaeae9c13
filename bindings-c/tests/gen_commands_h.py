#!/usr/bin/env python3
"""Turns tests/vectors/commands.json (the raw call's command paths) into a C header for
test_call.c (C has no JSON parser in its standard library): each case's path, whether it is
valid, and the field an invalid one is refused with.

    gen_commands_h.py tests/vectors/commands.json OUT.h
"""
import json
import sys


def c_str(text):
    out = '"'
    for ch in text:
        if ch in '"\\':
            out += "\\" + ch
        elif 32 <= ord(ch) < 127:
            out += ch
        else:
            out += "".join(f'\\x{b:02x}""' for b in ch.encode("utf-8"))
    return out + '"'


def main():
    src, dst = sys.argv[1], sys.argv[2]
    cases = json.load(open(src, encoding="utf-8"))["cases"]
    lines = [
        "/* Generated from tests/vectors/commands.json by gen_commands_h.py. Do not edit. */",
        "",
        "typedef struct command_vector {",
        "    const char *command;",
        "    int valid;",
        "    const char *error; /* the refused field, NULL for a valid path */",
        "} command_vector;",
        "",
        "static const command_vector COMMAND_VECTORS[] = {",
    ]
    for case in cases:
        if "\0" in case["command"]:
            sys.exit("a C string cannot hold a NUL: " + repr(case["command"]))
        error = c_str(case["error"]) if not case["valid"] else "NULL"
        lines.append(f"    {{{c_str(case['command'])}, {1 if case['valid'] else 0}, {error}}},")
    lines += ["};", f"#define COMMAND_VECTORS_LEN {len(cases)}", ""]
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
