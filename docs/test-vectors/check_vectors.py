#!/usr/bin/env python3
"""An independent check of the test vectors, written from docs/verification.md alone (standard library
only). Run from this directory: python3 check_vectors.py. The Java build does not run it."""
import hashlib
import json


def sha256(b):
    return hashlib.sha256(b).digest()


def node(left, right):
    return sha256(b"\x01" + left + right)


class Lexeme(str):
    """A number kept exactly as written."""


def load(text):
    return json.loads(text, parse_float=Lexeme, parse_int=Lexeme)


ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def string(s):
    return '"' + "".join(ESCAPES.get(c) or ("\\u%04x" % ord(c) if ord(c) < 0x20 else c) for c in s) + '"'


def canonical(v):
    if isinstance(v, dict):
        members = sorted(v.items(), key=lambda kv: kv[0].encode("utf-16-be"))  # UTF-16 code unit order
        return "{" + ",".join(string(k) + ":" + canonical(x) for k, x in members) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, Lexeme):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return string(v)


def mth(leaves):
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(index, size, leaf_hash, path, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m, n, old_root, new_root, path):
    if m == n:
        return not path and old_root == new_root
    if not path:
        return False
    if m & (m - 1) == 0:
        path = [old_root] + path
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


def entry(operation, ref, content_hash, salt):
    ref = ref.encode()
    return bytes([1, {"create": 1, "update": 2, "delete": 3}[operation]]) + len(ref).to_bytes(2, "big") + ref \
        + content_hash + salt


def main():
    vectors = json.load(open("canonical-json.json", encoding="utf-8"))
    for case in vectors["accept"]:
        text = canonical(load(case["input"]))
        assert text == case["canonical"], case["description"]
        assert sha256(text.encode()).hex() == case["sha256"], case["description"]

    for version in json.load(open("resource-and-leaf.json", encoding="utf-8"))["versions"]:
        if version["operation"] == "delete":
            content_hash = bytes(32)
        else:
            text = canonical(load(version["served"]))
            assert text == version["canonical"]
            content_hash = sha256(text.encode())
        assert content_hash.hex() == version["contentHash"]
        e = entry(version["operation"], version["resource"], content_hash, bytes.fromhex(version["salt"]))
        assert e.hex() == version["leafEntry"]
        assert sha256(b"\x00" + e).hex() == version["leafHash"]

    tree = json.load(open("tree.json", encoding="utf-8"))
    leaves = [sha256(b"\x00" + bytes.fromhex(leaf["leafEntry"])) for leaf in tree["leaves"]]
    assert [h.hex() for h in leaves] == [leaf["leafHash"] for leaf in tree["leaves"]]
    for root in tree["roots"]:
        assert mth(leaves[:root["treeSize"]]).hex() == root["rootHash"]
    for p in tree["inclusionProofs"]:
        path = [bytes.fromhex(h) for h in p["auditPath"]]
        assert verify_inclusion(p["leafIndex"], p["treeSize"], leaves[p["leafIndex"]], path, mth(leaves[:p["treeSize"]]))
    for p in tree["consistencyProofs"]:
        path = [bytes.fromhex(h) for h in p["path"]]
        assert verify_consistency(p["oldSize"], p["newSize"], mth(leaves[:p["oldSize"]]), mth(leaves[:p["newSize"]]), path)

    vector = json.load(open("proof.json", encoding="utf-8"))
    proof = load(vector["proofJson"])
    assert canonical(proof) == vector["proofJson"]
    resource = load(vector["served"])
    content_hash = sha256(canonical(resource).encode())
    assert content_hash.hex() == proof["contentHash"]
    assert "%s/%s/_history/%s" % (resource["resourceType"], resource["id"], resource["meta"]["versionId"]) \
        == proof["resource"]
    leaf_hash = sha256(b"\x00" + entry(proof["operation"], proof["resource"], content_hash, bytes.fromhex(proof["salt"])))
    assert leaf_hash.hex() == proof["leafHash"]
    assert verify_inclusion(int(proof["leafIndex"]), int(proof["treeSize"]), leaf_hash,
                            [bytes.fromhex(h) for h in proof["auditPath"]], bytes.fromhex(proof["rootHash"]))
    assert proof["rootHash"] == vector["anchoredRoot"]

    # The deployment statement's signed bytes (the signature itself needs secp256k1 and keccak-256,
    # which the standard library lacks: the Java build checks it).
    deployment = json.load(open("deployment-statement.json", encoding="utf-8"))
    statement = load(deployment["statement"])
    assert statement["signature"] == deployment["signature"]
    del statement["signature"]
    assert canonical(statement) == deployment["signedBytes"]
    print("all test vectors check out")


if __name__ == "__main__":
    main()
