#!/usr/bin/env python3
"""Builds tests/vectors/usersig.json with Python's own hmac/zlib/json: an implementation
independent of the Rust core, shaped the way the official SDKs shape their tokens (key order,
spacing, zlib level 0 / 1 / default). Re-run to regenerate; the output is deterministic."""
import base64, hashlib, hmac, json, pathlib, zlib

SDKAPPID = 1400000000
KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
TIME = 1700000000
EXPIRE = 15552000          # the reference README's vector (MAC cases)
EXPIRE_VALID = 2000000000  # tokens stay valid until 2087, so suites with a real clock can use them


def mac(identifier, sdkappid, time, expire, userbuf_b64=None, key=KEY):
    content = f"TLS.identifier:{identifier}\nTLS.sdkappid:{sdkappid}\nTLS.time:{time}\nTLS.expire:{expire}\n"
    if userbuf_b64 is not None:
        content += f"TLS.userbuf:{userbuf_b64}\n"
    return base64.b64encode(hmac.new(key.encode(), content.encode(), hashlib.sha256).digest()).decode()


def token(fields, order, separators, level):
    doc = {k: fields[k] for k in order if k in fields}
    text = json.dumps(doc, separators=separators)
    raw = zlib.compress(text.encode(), level)
    return base64.b64encode(raw).decode().replace("+", "*").replace("/", "-").replace("=", "_")


def fields(identifier, userbuf=None, sdkappid=SDKAPPID, time=TIME, expire=EXPIRE_VALID, key=KEY):
    ub = base64.b64encode(userbuf).decode() if userbuf is not None else None
    f = {"TLS.ver": "2.0", "TLS.identifier": identifier, "TLS.sdkappid": sdkappid,
         "TLS.expire": expire, "TLS.time": time, "TLS.sig": mac(identifier, sdkappid, time, expire, ub, key)}
    if ub is not None:
        f["TLS.userbuf"] = ub
    return f


GO_ORDER = ["TLS.ver", "TLS.identifier", "TLS.sdkappid", "TLS.expire", "TLS.time", "TLS.sig", "TLS.userbuf"]
JAVA_ORDER = ["TLS.ver", "TLS.identifier", "TLS.sdkappid", "TLS.expire", "TLS.time", "TLS.userbuf", "TLS.sig"]
SORTED = sorted(GO_ORDER)
COMPACT, SPACED = (",", ":"), (", ", ": ")

valid = []
for name, order, seps, level in [
    ("go-style, level 0 (stored)", GO_ORDER, COMPACT, 0),
    ("go-style, level 1", GO_ORDER, COMPACT, 1),
    ("java-style, default level", JAVA_ORDER, COMPACT, 6),
    ("python-style spaced, default level", JAVA_ORDER, SPACED, 6),
    ("sorted keys, level 9", SORTED, SPACED, 9),
]:
    for userbuf in (None, b"abc"):
        valid.append({
            "name": f"{name}{', userbuf' if userbuf else ''}",
            "usersig": token(fields("xiaojun", userbuf), order, seps, level),
            "identifier": "xiaojun", "sdkappid": SDKAPPID, "key": KEY, "now": TIME + 1000,
            "userbuf_b64": base64.b64encode(userbuf).decode() if userbuf else None,
            "expect": {"identifier": "xiaojun", "sdkappid": SDKAPPID, "time": TIME, "expire": EXPIRE_VALID},
        })

def bad(name, usersig, error, identifier="xiaojun", sdkappid=SDKAPPID, now=TIME + 1000, userbuf_b64=None):
    return {"name": name, "usersig": usersig, "identifier": identifier, "sdkappid": sdkappid, "key": KEY,
            "now": now, "userbuf_b64": userbuf_b64, "error": error}

good = token(fields("xiaojun"), GO_ORDER, COMPACT, 1)
tampered = fields("xiaojun"); tampered["TLS.expire"] = EXPIRE_VALID + 1
wrong_key = fields("xiaojun", key="another-key")
invalid = [
    bad("identifier mismatch", good, "identifier_mismatch", identifier="bob"),
    bad("sdkappid mismatch", good, "sdkappid_mismatch", sdkappid=1400000001),
    bad("expired (valid for 60 s in 2023)", token(fields("xiaojun", expire=60), GO_ORDER, COMPACT, 1), "expired"),
    bad("userbuf expected but absent", good, "userbuf_mismatch", userbuf_b64="YWJj"),
    bad("userbuf differs", token(fields("xiaojun", b"abc"), GO_ORDER, COMPACT, 1), "userbuf_mismatch", userbuf_b64="YWJk"),
    bad("tampered expire", token(tampered, GO_ORDER, COMPACT, 1), "signature_mismatch"),
    bad("signed with another key", token(wrong_key, GO_ORDER, COMPACT, 1), "signature_mismatch"),
    bad("not base64", "%%%", "malformed"),
    bad("base64 of non-zlib", base64.b64encode(b"hello world").decode(), "malformed"),
    bad("zlib of non-JSON", base64.b64encode(zlib.compress(b"nope")).decode().replace("+", "*").replace("/", "-").replace("=", "_"), "malformed"),
    bad("missing TLS.sig", token({k: v for k, v in fields("xiaojun").items() if k != "TLS.sig"}, GO_ORDER, COMPACT, 1), "malformed"),
    bad("empty", "", "malformed"),
]

doc = {
    "description": "TLSSigAPIv2 vectors shared by every binding's test suite. Verify each `valid` token with "
                   "the clock pinned at `now` and compare the claims; each `invalid` one must fail with `error`. "
                   "`mac` cases pin the HMAC of the reference README. Every case holds with the clock pinned at "
                   "`now` and with the real clock until 2087, so suites that cannot pin the clock run them too.",
    "mac": [
        {"sdkappid": SDKAPPID, "key": KEY, "identifier": "xiaojun", "time": TIME, "expire": EXPIRE,
         "userbuf_b64": None, "sig": "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="},
        {"sdkappid": SDKAPPID, "key": KEY, "identifier": "xiaojun", "time": TIME, "expire": EXPIRE,
         "userbuf_b64": "YWJj", "sig": "QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM="},
    ],
    "valid": valid,
    "invalid": invalid,
}
assert doc["mac"][0]["sig"] == mac("xiaojun", SDKAPPID, TIME, EXPIRE)
assert doc["mac"][1]["sig"] == mac("xiaojun", SDKAPPID, TIME, EXPIRE, "YWJj")
out = pathlib.Path(__file__).with_name("usersig.json")
out.write_text(json.dumps(doc, indent=2) + "\n")
print(f"wrote {out} ({len(valid)} valid, {len(invalid)} invalid)")
