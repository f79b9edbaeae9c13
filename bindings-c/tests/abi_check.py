#!/usr/bin/env python3
"""The C ABI can grow: no struct the caller allocates is read by the library, except the
request structs listed below, whose sizes are frozen.

Run by test.sh against the INSTALLED header and shared library:

    abi_check.py PREFIX CC

1. Every struct the header defines (its layout visible to C) is either handed out by the
   library (the caller only reads it through a pointer the library wrote, so it may gain fields
   at the end) or a caller-filled request listed in CALLER_FILLED with its `sizeof` pinned: a
   compiled program passes a struct of that size, so it can never change. Any other defined
   struct fails, e.g. an options-like struct the caller fills (issue 17 item 5): settings belong
   to the opaque `timadmin_client_options` and its setters.
2. The objects the library owns are opaque: a program taking `sizeof(timadmin_client_options)`
   (or of any other OPAQUE type) does not compile.
3. A function may take a pointer to a caller-filled struct only where READERS says so.
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
}

# Request structs the caller fills and the library reads during one call, with their sizeof on
# LP64 platforms. Frozen: a field added to one would make programs compiled against the old
# header pass a shorter struct. Settings never go here.
CALLER_FILLED = {
    "timadmin_get_group_member_info_request": 88,
    "timadmin_get_group_muted_account_request": 16,
    "timadmin_modify_group_base_info_request": 72,
    "timadmin_app_defined_data_update": 16,
    "timadmin_page_options": 56,
}

# The only functions that read a caller-filled struct, and which one.
READERS = {
    "timadmin_client_get_group_member_info": "timadmin_get_group_member_info_request",
    "timadmin_client_get_group_muted_account": "timadmin_get_group_muted_account_request",
    "timadmin_client_modify_group_base_info": "timadmin_modify_group_base_info_request",
    "timadmin_client_for_each_member": "timadmin_page_options",
    "timadmin_client_members": "timadmin_page_options",
}

# Objects only the library allocates: declared, never defined.
OPAQUE = {
    "timadmin_client",
    "timadmin_client_options",
    "timadmin_error",
    "timadmin_member_pager",
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
    # Element structs of caller-filled arrays count as caller-filled (app_defined_data).
    for name in sorted(defined - HANDED_OUT - set(CALLER_FILLED)):
        failures.append(f"{name}: a struct whose layout the caller sees, neither handed out by the library nor a "
                        "frozen request; make it opaque with a constructor, setters and _free")
    for name in sorted(OPAQUE - declared_only):
        failures.append(f"{name}: must be an opaque (declared-only) type")
    for name in sorted((HANDED_OUT | set(CALLER_FILLED)) - defined):
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
        for name, want in sorted(CALLER_FILLED.items()):
            got = int(sizes.get(name, "0"))
            print(f"caller-filled (frozen) {name}: sizeof {got}")
            if lp64 and name in sizes and got != want:
                failures.append(f"{name}: sizeof is {got}, frozen at {want}: a caller-filled struct cannot grow")
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

    # 3. Which functions read a caller-filled struct.
    functions = {}
    for m in re.finditer(r"^[a-z][\w \*]*?\b(timadmin_\w+)\(([^;]*?)\);", header, re.M | re.S):
        functions[m.group(1)] = m.group(2)
    for fn, params in sorted(functions.items()):
        for struct in re.findall(r"struct (timadmin_\w+) \*", params):
            if struct in CALLER_FILLED and READERS.get(fn) != struct:
                failures.append(f"{fn} reads the caller-filled {struct}, which READERS does not allow")
    print(f"{len(functions)} functions declared; {len(READERS)} read a caller-filled request")

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
