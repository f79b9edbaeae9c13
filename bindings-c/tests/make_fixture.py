"""The C tests' emulator fixture: the demo fixture plus a 250-member public group, a 250-member
community group and a group the tests modify. Used by bindings-c/test.sh and tests/leak-sweep.sh.

Usage: make_fixture.py DEMO_FIXTURE OUT
"""
import json, sys
fixture = json.load(open(sys.argv[1]))
def members(n, owner_first=True):
    out = []
    for i in range(n):
        m = {"Member_Account": "user%04d" % i, "JoinTime": 1700000000 + i,
             "NameCard": "User %d" % i,
             "AppMemberDefinedData": [{"Key": "Index", "Value": str(i)}]}
        if i == 0:
            m["Role"] = "Owner"
        elif i < 3:
            m["Role"] = "Admin"
        out.append(m)
    return out
fixture["Groups"] += [
    {"GroupId": "@TGS#2BIGPUBLIC", "Type": "Public", "Name": "Big public group", "MaxMemberNum": 6000,
     "MemberList": members(250)},
    {"GroupId": "@TGS#_big", "Type": "Community", "Name": "Big community", "MaxMemberNum": 6000,
     "MemberList": members(250)},
    {"GroupId": "@TGS#2MODIFYME", "Type": "Public", "Name": "Modified by the C tests",
     "MemberList": [{"Member_Account": "bob", "Role": "Owner", "JoinTime": 1600000000}]},
]
json.dump(fixture, open(sys.argv[2], "w"), indent=1)
