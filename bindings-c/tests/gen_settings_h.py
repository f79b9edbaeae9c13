#!/usr/bin/env python3
"""Turns tests/vectors/settings.json into a C header for test_settings.c (C has no JSON
parser in its standard library): each case's options as setter calls, its TIM_* variables, and
the expected effective settings or refused field.

    gen_settings_h.py tests/vectors/settings.json OUT.h

Fails (exit 1) when a case uses a setting the C API has no setter for, so a setting added to
core's table without a C setter breaks bindings-c/test.sh.
"""
import json
import sys

# How each setting of core's table is set through the C API: the setter's argument type.
# async_usersig_provider has no C form (a C callback is synchronous); cases that need it are
# marked `needs` in the vectors and skipped by name.
C_SETTERS = {
    "sdkappid": "OP_U64",
    "secret_key": "OP_STRING",
    "usersig": "OP_STRING",
    "usersig_provider": "OP_PROVIDER",
    "identifier": "OP_STRING",
    "region": "OP_STRING",
    "base_url": "OP_STRING",
    "timeout": "OP_DOUBLE",
    "max_retries": "OP_U32",
    "rate_limit": "OP_DOUBLE",  # "off" / null: OP_RATE_LIMIT_OFF
    "usersig_lifetime": "OP_DOUBLE",
    "max_response_bytes": "OP_U64",
    "allow_insecure_http": "OP_BOOL",
    "max_in_flight": "OP_U32",
    "rate_limit_redis_url": "OP_STRING",
    "fleet_size": "OP_U32",
    "redis_fallback": "OP_FALLBACK",
}
NOT_IN_C = {"async_usersig_provider"}


def c_str(text):
    out = '"'
    for ch in text:
        if ch in '"\\':
            out += "\\" + ch
        elif 32 <= ord(ch) < 127:
            out += ch
        else:
            out += "".join(f"\\x{b:02x}\"\"" for b in ch.encode("utf-8"))
    return out + '"'


def number(value):
    return repr(float(value))


def main():
    src, dst = sys.argv[1], sys.argv[2]
    cases = json.load(open(src, encoding="utf-8"))["cases"]
    lines = ["/* Generated from tests/vectors/settings.json by gen_settings_h.py. Do not edit. */", ""]
    variables = set()
    entries = []
    for i, case in enumerate(cases):
        needs = sorted(set(case.get("needs", [])) & NOT_IN_C)
        ops = []
        for name, value in case.get("options", {}).items():
            if name in NOT_IN_C:
                if not needs:
                    sys.exit(f"case {case['name']!r} sets {name}, which C cannot express, without `needs`")
                continue
            kind = C_SETTERS.get(name)
            if kind is None:
                sys.exit(f"case {case['name']!r}: the C API has no setter for the setting {name!r}")
            text, num = "NULL", "0"
            if name == "rate_limit" and (value is None or value == "off"):
                kind = "OP_RATE_LIMIT_OFF"
            elif value is None:
                continue  # null: unset
            elif kind in ("OP_STRING", "OP_PROVIDER", "OP_FALLBACK"):
                text = c_str(value)
            elif kind == "OP_BOOL":
                num = "1" if value else "0"
            elif kind in ("OP_U64", "OP_U32"):
                if not isinstance(value, int) or value < 0 or value >= (1 << (64 if kind == "OP_U64" else 32)):
                    sys.exit(f"case {case['name']!r}: {name} = {value!r} does not fit the C setter's type")
                text = c_str(str(value))
            else:
                num = number(value)
            ops.append(f'{{"{name}", {kind}, {text}, {num}}}')
        env = []
        for var, value in case.get("env", {}).items():
            variables.add(var)
            env += [c_str(var), c_str(value)]
        want = []
        for key, value in case.get("settings", {}).items():
            if value is None:
                want.append(f'{{"{key}", WANT_NULL, NULL, 0}}')
            elif isinstance(value, bool):
                want.append(f'{{"{key}", WANT_BOOL, NULL, {1 if value else 0}}}')
            elif isinstance(value, (int, float)):
                want.append(f'{{"{key}", WANT_NUMBER, NULL, {number(value)}}}')
            else:
                want.append(f'{{"{key}", WANT_STRING, {c_str(value)}, 0}}')
        for part, items, ctype in (("ops", ops, "const settings_op"), ("env", env, "const char *const"),
                                   ("want", want, "const settings_want")):
            if items:
                lines.append(f"static {ctype} case{i}_{part}[] = {{{', '.join(items)}}};")
        error = case.get("error", {}).get("field")
        entries.append("    {" + ", ".join([
            c_str(case["name"]),
            "true" if "env" in case else "false",
            f"case{i}_ops" if ops else "NULL", str(len(ops)),
            f"case{i}_env" if env else "NULL", str(len(env) // 2),
            f"case{i}_want" if want else "NULL", str(len(want)),
            c_str(error) if error else "NULL",
            c_str(needs[0]) if needs else "NULL",
        ]) + "},")
    lines += ["", "static const settings_case SETTINGS_CASES[] = {"] + entries + ["};", ""]
    lines.append(f"#define SETTINGS_CASES_LEN {len(cases)}")
    lines.append("/* Every TIM_* variable a case sets: cleared before each environment case. */")
    lines.append("static const char *const SETTINGS_VARIABLES[] = {" + ", ".join(c_str(v) for v in sorted(variables)) + "};")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
