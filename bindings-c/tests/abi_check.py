#!/usr/bin/env python3
"""The C ABI can grow: the library never reads a struct the caller allocated.

Run by test.sh against the INSTALLED header and shared library:

    abi_check.py PREFIX CC

1. Every struct the header defines (its layout visible to C) is handed out by the library:
   the caller only reads it through a pointer the library wrote, so it may gain fields at the
   end. There is no exception: settings, requests and page options are opaque builders
   (`_new`, `_set_*`/`_add_*`, `_free`; issue 17 item 5). A struct the caller could allocate
   and fill (an options- or request-like struct) fails here, with its `sizeof` printed.
2. The objects the library owns are opaque: a program taking `sizeof(T)` of any OPAQUE type
   (`timadmin_client_options`, the requests, `timadmin_page_options`, ...) does not compile.
3. No function takes a pointer to a struct whose layout the caller sees, except the `_free` of
   that struct (given back what the library handed out): so no function reads a struct that a
   program compiled against an older header allocated with fewer fields.
4. The exported symbols (`nm -D`) are exactly the functions the header declares.
Prints what it checked and exits non-zero on the first kind of failure found.
"""
import os
import re
import subprocess
import sys
import tempfile

# Read-only views the library hands out (and elements of their arrays): layout visible, never
# allocated by the caller, freed by the library.
HANDED_OUT = {
    "timadmin_claims",
    "timadmin_get_group_member_info_response",
    "timadmin_get_group_muted_account_response",
    "timadmin_group_member",
    "timadmin_key_value",
    "timadmin_member_page",
    "timadmin_muted_account",
    "timadmin_unverified_claims",
}

# Objects only the library allocates: declared, never defined.
OPAQUE = {
    "timadmin_client",
    "timadmin_client_options",
    "timadmin_error",
    "timadmin_get_group_member_info_request",
    "timadmin_get_group_muted_account_request",
    "timadmin_member_pager",
    "timadmin_modify_group_base_info_request",
    "timadmin_page_options",
    "timadmin_string",
    "timadmin_usersig_sink",
}


def main():
    prefix, cc = sys.argv[1], sys.argv[2]
    header_path = os.path.join(prefix, "include", "timadmin.h")
    header = open(header_path, encoding="utf-8").read()
    failures = []

    defined = set(re.findall(r"^typedef struct (timadmin_\w+) \{", header, re.M))
    declared_only = set(re.findall(r"^typedef struct (timadmin_\w+) \1;", header, re.M))
    caller_sized = defined - HANDED_OUT
    for name in sorted(caller_sized):
        failures.append(f"{name}: a struct whose layout the caller sees (so a program may allocate and fill it) "
                        "that the library does not hand out; make it opaque with _new, setters and _free")
    for name in sorted(OPAQUE - declared_only):
        failures.append(f"{name}: must be an opaque (declared-only) type")
    for name in sorted(HANDED_OUT - defined):
        failures.append(f"{name}: listed here but not defined by the header (update abi_check.py)")

    with tempfile.TemporaryDirectory() as tmp:
        # 1. sizeof every defined struct, from a program compiled against the installed header.
        names = sorted(defined)
        src = os.path.join(tmp, "sizes.c")
        with open(src, "w") as f:
            f.write("#include <stdio.h>\n#include <timadmin.h>\nint main(void) {\n")
            f.write('    printf("pointer %zu\\n", sizeof(void *));\n')
            for n in names:
                f.write(f'    printf("{n} %zu\\n", sizeof({n}));\n')
            f.write("    return 0;\n}\n")
        exe = os.path.join(tmp, "sizes")
        subprocess.run([cc, "-std=c11", "-Wall", "-Werror", f"-I{prefix}/include", src, "-o", exe], check=True)
        sizes = dict(line.split() for line in subprocess.run([exe], check=True, capture_output=True,
                                                               text=True).stdout.splitlines())
        lp64 = sizes.pop("pointer") == "8"
        print(f"LP64: {lp64}")
        for name in sorted(caller_sized):
            print(f"caller-sized {name}: sizeof {sizes[name]}")
        for name in sorted(HANDED_OUT & defined):
            print(f"handed out by the library {name}: sizeof {sizes[name]}")

        # 2. Opaque types: sizeof must not compile.
        for name in sorted(OPAQUE):
            probe = os.path.join(tmp, f"opaque_{name}.c")
            with open(probe, "w") as f:
                f.write(f"#include <timadmin.h>\nint main(void) {{ return (int)sizeof({name}); }}\n")
            result = subprocess.run([cc, "-std=c11", f"-I{prefix}/include", "-c", probe, "-o", probe + ".o"],
                                    capture_output=True, text=True)
            if result.returncode == 0:
                failures.append(f"{name}: sizeof({name}) compiles, so callers can allocate it")
            else:
                print(f"opaque {name}: sizeof does not compile")

    # 3. No function reads a struct whose layout the caller sees (but its own _free).
    functions = {}
    for m in re.finditer(r"^[a-z][\w \*]*?\b(timadmin_\w+)\(([^;]*?)\);", header, re.M | re.S):
        functions[m.group(1)] = m.group(2)
    readers = 0
    for fn, params in sorted(functions.items()):
        for struct in re.findall(r"\b(timadmin_\w+) \*(?!\*)", params):
            if struct in defined and fn != f"{struct}_free":
                readers += 1
                failures.append(f"{fn} takes a {struct} pointer, a struct whose layout the caller sees: "
                                "the library would read what an older program allocated")
    print(f"{len(functions)} functions declared; {readers} read a struct whose layout the caller sees")

    # 4. Exported symbols == declared functions.
    so = os.path.join(prefix, "lib", "libtimadmin.so")
    nm = subprocess.run(["nm", "-D", "--defined-only", so], check=True, capture_output=True, text=True).stdout
    exported = {line.split()[-1] for line in nm.splitlines()
                if len(line.split()) == 3 and line.split()[1] == "T" and line.split()[-1].startswith("timadmin_")}
    for name in sorted(exported - set(functions)):
        failures.append(f"{name}: exported by libtimadmin.so but not declared in timadmin.h")
    for name in sorted(set(functions) - exported):
        failures.append(f"{name}: declared in timadmin.h but not exported by libtimadmin.so")
    print(f"{len(exported)} timadmin_* symbols exported (nm -D)")

    for failure in failures:
        print("ABI FAIL:", failure)
    if failures:
        sys.exit(1)
    print("abi: ok")


if __name__ == "__main__":
    main()
