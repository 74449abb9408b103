#!/usr/bin/env python3
"""An independent check of the test vectors, written from docs/verification.md alone (standard library
only). Run from this directory: python3 check_vectors.py. The Java build does not run it."""
import base64
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


def verify_multi_inclusion(size, leaves, proof, root):
    """docs/verification.md 4.1 (the recursion of research-export.md, "Multi-leaf inclusion proof").
    leaves: {leaf index: leaf hash}."""
    indexes = sorted(leaves)
    taken = iter(proof)
    used = [0]

    def mth_of(lo, hi):
        inside = [i for i in indexes if lo <= i < hi]
        if not inside:
            used[0] += 1
            return next(taken)
        if hi - lo == 1:
            return leaves[lo]
        k = 1
        while k * 2 < hi - lo:
            k *= 2
        left = mth_of(lo, lo + k)
        return node(left, mth_of(lo + k, hi))

    return mth_of(0, size) == root and used[0] == len(proof)


def entry(operation, ref, content_hash, salt):
    ref = ref.encode()
    return bytes([1, {"create": 1, "update": 2, "delete": 3}[operation]]) + len(ref).to_bytes(2, "big") + ref \
        + content_hash + salt


# Ed25519 (RFC 8032 section 5.1), verification and public key derivation only, for tlog.json.
ED_P = 2 ** 255 - 19
ED_L = 2 ** 252 + 27742317777372353535851937790883648493
ED_D = -121665 * pow(121666, ED_P - 2, ED_P) % ED_P
ED_I = pow(2, (ED_P - 1) // 4, ED_P)


def ed_x(y, sign):
    xx = (y * y - 1) * pow(ED_D * y * y + 1, ED_P - 2, ED_P) % ED_P
    x = pow(xx, (ED_P + 3) // 8, ED_P)
    if (x * x - xx) % ED_P:
        x = x * ED_I % ED_P
    if (x * x - xx) % ED_P:
        raise ValueError("not a point")
    if x & 1 != sign:
        x = ED_P - x
    return x


def ed_add(p, q):
    a = (p[1] - p[0]) * (q[1] - q[0]) % ED_P
    b = (p[1] + p[0]) * (q[1] + q[0]) % ED_P
    c = p[3] * 2 * ED_D * q[3] % ED_P
    d = p[2] * 2 * q[2] % ED_P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % ED_P, g * h % ED_P, f * g % ED_P, e * h % ED_P)


def ed_mul(s, p):
    q = (0, 1, 1, 0)
    while s:
        if s & 1:
            q = ed_add(q, p)
        p = ed_add(p, p)
        s >>= 1
    return q


def ed_encode(p):
    zi = pow(p[2], ED_P - 2, ED_P)
    x, y = p[0] * zi % ED_P, p[1] * zi % ED_P
    return (y | (x & 1) << 255).to_bytes(32, "little")


def ed_decode(b):
    y = int.from_bytes(b, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    if y >= ED_P:
        raise ValueError("not a point")
    x = ed_x(y, sign)
    return (x, y, 1, x * y % ED_P)


ED_B = (ed_x(4 * pow(5, ED_P - 2, ED_P) % ED_P, 0), 4 * pow(5, ED_P - 2, ED_P) % ED_P, 1, 0)
ED_B = (ED_B[0], ED_B[1], 1, ED_B[0] * ED_B[1] % ED_P)


def ed_public_key(seed):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little") & ((1 << 254) - 8) | (1 << 254)
    return ed_encode(ed_mul(a, ED_B))


def ed_verify(public_key, message, signature):
    if len(signature) != 64 or int.from_bytes(signature[32:], "little") >= ED_L:
        return False
    r, a = ed_decode(signature[:32]), ed_decode(public_key)
    h = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % ED_L
    return ed_encode(ed_mul(int.from_bytes(signature[32:], "little"), ED_B)) == ed_encode(ed_add(r, ed_mul(h, a)))


def note_key_id(name, alg, public_key):
    return sha256(name.encode() + b"\n" + bytes([alg]) + public_key)[:4]


def split_note(note):
    """(text, [(name, key id, signature bytes)]) of a signed note (c2sp.org/signed-note)."""
    split = note.rindex("\n\n")
    text, lines = note[:split + 1], note[split + 2:].splitlines()
    sigs = []
    for line in lines:
        assert line.startswith("\u2014 ")
        name, b64 = line[2:].split(" ")
        raw = base64.b64decode(b64, validate=True)
        sigs.append((name, raw[:4], raw[4:]))
    return text, sigs


def check_tlog(tree_leaves):
    v = json.load(open("tlog.json", encoding="utf-8"))
    log_key, witness_key = v["logKey"], v["witnessKey"]
    public = bytes.fromhex(log_key["publicKey"])
    assert ed_public_key(bytes.fromhex(log_key["seed"])) == public
    key_id = note_key_id(log_key["name"], 1, public)
    assert key_id.hex() == log_key["keyId"]
    assert log_key["verifierKey"] == "%s+%s+%s" % (log_key["name"], key_id.hex(),
                                                   base64.b64encode(b"\x01" + public).decode())
    # Checkpoint: origin, size, base64 root of the tree.json leaves, signed by the log key.
    size = len(tree_leaves)
    root = mth(tree_leaves)
    text = "%s\n%d\n%s\n" % (log_key["name"], size, base64.b64encode(root).decode())
    assert v["checkpoint"]["text"] == text
    note_text, sigs = split_note(v["checkpoint"]["signedNote"])
    assert note_text == text and len(sigs) == 1 and sigs[0][:2] == (log_key["name"], key_id)
    assert ed_verify(public, text.encode(), sigs[0][2])
    assert not ed_verify(public, text.replace("\n7\n", "\n8\n").encode(), sigs[0][2])
    # Tiles: level 0 holds the leaf hashes; the entry bundle the uint16-length-prefixed leaf entries.
    tiles = v["tiles"]
    assert bytes.fromhex(tiles["tile/0/000.p/%d" % size]) == b"".join(tree_leaves)
    bundle, entries = bytes.fromhex(tiles["tile/entries/000.p/%d" % size]), []
    while bundle:
        n = int.from_bytes(bundle[:2], "big")
        entries.append(bundle[2:2 + n])
        bundle = bundle[2 + n:]
    assert [sha256(b"\x00" + e) for e in entries] == tree_leaves
    # Cosignature (c2sp.org/tlog-cosignature): key ID with 0x04, signed "cosignature/v1\ntime T\n" + text.
    witness_public = bytes.fromhex(witness_key["publicKey"])
    assert ed_public_key(bytes.fromhex(witness_key["seed"])) == witness_public
    witness_id = note_key_id(witness_key["name"], 4, witness_public)
    assert witness_key["verifierKey"] == "%s+%s+%s" % (witness_key["name"], witness_id.hex(),
                                                       base64.b64encode(b"\x04" + witness_public).decode())
    cosigned_text, cosigs = split_note(v["cosigned"]["signedNote"])
    assert cosigned_text == text and len(cosigs) == 2 and cosigs[1][:2] == (witness_key["name"], witness_id)
    timestamp = int.from_bytes(cosigs[1][2][:8], "big")
    assert timestamp == v["cosigned"]["timestamp"]
    assert ed_verify(witness_public, ("cosignature/v1\ntime %d\n" % timestamp).encode() + text.encode(), cosigs[1][2][8:])
    # tlog-proof: header, extra (the leaf entry), index, path, blank line, the signed checkpoint.
    proof = v["tlogProof"]["text"]
    head, checkpoint_note = proof.split("\n\n", 1)
    assert checkpoint_note == v["checkpoint"]["signedNote"]
    lines = head.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1" and lines[1].startswith("extra ") and lines[2].startswith("index ")
    leaf_entry, index = base64.b64decode(lines[1][6:]), int(lines[2][6:])
    assert index == v["tlogProof"]["leafIndex"] and sha256(b"\x00" + leaf_entry) == tree_leaves[index]
    assert verify_inclusion(index, size, tree_leaves[index], [base64.b64decode(h) for h in lines[3:]], root)


HEX64 = set("0123456789abcdef")
BATCH_ROOT = "https://fhir-anchor.org/fhir/StructureDefinition/batch-root"
BATCH_SIZE = "https://fhir-anchor.org/fhir/StructureDefinition/batch-size"
LOG_RECORD = "https://fhir-anchor.org/fhir/CodeSystem/log-record"


def hash32(value):
    if not isinstance(value, str) or len(value) != 64 or not set(value) <= HEX64:
        raise ValueError("not 64 lowercase hex: %r" % (value,))
    return bytes.fromhex(value)


def check_leaf(served, claims):
    """Steps 1 to 3 of section 5 (create or update). Returns (status, leaf hash)."""
    resource = load(served)
    content_hash = sha256(canonical(resource).encode())
    if content_hash != hash32(claims["contentHash"]):
        return "CONTENT_HASH_MISMATCH", None
    if "%s/%s/_history/%s" % (resource["resourceType"], resource["id"], resource["meta"]["versionId"]) \
            != claims["resource"]:
        return "RESOURCE_MISMATCH", None
    leaf_hash = sha256(b"\x00" + entry(claims["operation"], claims["resource"], content_hash, hash32(claims["salt"])))
    if leaf_hash != hash32(claims["leafHash"]):
        return "LEAF_HASH_MISMATCH", None
    return None, leaf_hash


def batch_statement(record):
    """Section 4.2 step 2: (root, size) of a batch record, or None if it is not one."""
    if record.get("resourceType") != "Basic":
        return None
    codings = record.get("code", {}).get("coding", [])
    if not any(c.get("system") == LOG_RECORD and c.get("code") == "audit-batch" for c in codings):
        return None
    extensions = record.get("extension", [])
    roots = [e for e in extensions if e.get("url") == BATCH_ROOT]
    sizes = [e for e in extensions if e.get("url") == BATCH_SIZE]
    if len(roots) != 1 or len(sizes) != 1:
        return None
    root, size = roots[0].get("valueString"), sizes[0].get("valueInteger")
    if not isinstance(root, str) or len(root) != 64 or not set(root) <= HEX64:
        return None
    if not isinstance(size, Lexeme) or not size.isdigit() or size.startswith("0"):
        return None
    return bytes.fromhex(root), int(size)


def verify_batched(served, proof_text, anchored_root):
    """docs/verification.md section 4.2, steps 1 to 4; anchored_root(tree size) -> root or None."""
    proof = load(proof_text)
    if proof["format"] != "fhir-anchor-batched-proof/1" or proof["batchProof"]["format"] != "fhir-anchor-proof/1":
        return "MALFORMED_PROOF"
    status, leaf_hash = check_leaf(served, proof)
    if status:
        return status
    statement = batch_statement(proof["batchRecord"])
    if statement is None:
        return "MALFORMED_PROOF"
    root, size = statement
    if size != int(proof["batchSize"]):
        return "INCLUSION_FAILED"
    if not verify_inclusion(int(proof["batchIndex"]), size, leaf_hash, [hash32(h) for h in proof["batchPath"]], root):
        return "INCLUSION_FAILED"
    record_proof = proof["batchProof"]
    status, record_leaf = check_leaf(canonical(proof["batchRecord"]), record_proof)
    if status:
        return "record " + status
    if not verify_inclusion(int(record_proof["leafIndex"]), int(record_proof["treeSize"]), record_leaf,
                            [hash32(h) for h in record_proof["auditPath"]], hash32(record_proof["rootHash"])):
        return "record INCLUSION_FAILED"
    anchored = anchored_root(int(record_proof["treeSize"]))
    if anchored is None:
        return "record NOT_ANCHORED"
    if anchored != hash32(record_proof["rootHash"]):
        return "record ANCHORED_ROOT_MISMATCH"
    return "VERIFIED"


def check_batched(log_leaves):
    """batched-proof.json: log_leaves are the 8 leaves of proof.json, which the batch record's leaf follows."""
    vector = json.load(open("batched-proof.json", encoding="utf-8"))
    members = vector["members"]
    member_leaves = []
    for i, member in enumerate(members):
        assert member["batchIndex"] == i and member["operation"] == "create"
        status, leaf_hash = check_leaf(member["served"], member)
        assert status is None, status
        assert entry("create", member["resource"], hash32(member["contentHash"]), hash32(member["salt"])).hex() \
            == member["leafEntry"]
        member_leaves.append(leaf_hash)
    batch_root = mth(member_leaves)
    assert batch_root.hex() == vector["batchRoot"]
    for i, member in enumerate(members):
        assert verify_inclusion(i, len(members), member_leaves[i], [hash32(h) for h in member["batchPath"]], batch_root)
    record = load(vector["batchRecord"])
    assert batch_statement(record) == (batch_root, len(members))
    leaf = vector["recordLeaf"]
    status, record_leaf = check_leaf(vector["batchRecord"], leaf)
    assert status is None, status
    assert leaf["leafIndex"] == len(log_leaves) and vector["treeSize"] == len(log_leaves) + 1
    assert mth(log_leaves + [record_leaf]).hex() == vector["anchoredRoot"]

    text = vector["proofJson"]
    proof = load(text)
    assert canonical(proof) == text and proof == load(json.dumps(vector["proof"]))
    assert proof["batchRecord"] == record
    chain = {vector["treeSize"]: bytes.fromhex(vector["anchoredRoot"])}
    assert verify_batched(members[vector["member"]]["served"], text, chain.get) == "VERIFIED"
    for i, member in enumerate(members):
        if i != vector["member"]:
            assert verify_batched(member["served"], text, chain.get) == "CONTENT_HASH_MISMATCH"
    assert verify_batched(members[vector["member"]]["served"], text, {}.get) == "record NOT_ANCHORED"
    # The record's root or size changed: the member's inclusion fails first (step 3); both sizes changed where
    # the path still fits (member 2 of 5 has the same path in a tree of 6): the record's hash fails (step 4).
    root_hex = vector["batchRoot"]
    other_root = text.replace(root_hex, sha256(bytes.fromhex(root_hex)).hex())
    assert verify_batched(members[vector["member"]]["served"], other_root, chain.get) == "INCLUSION_FAILED"
    one_more = text.replace('"valueInteger":5', '"valueInteger":6')
    assert verify_batched(members[vector["member"]]["served"], one_more, chain.get) == "INCLUSION_FAILED"
    assert verify_batched(members[vector["member"]]["served"], one_more.replace('"batchSize":5', '"batchSize":6'),
                          chain.get) == "record CONTENT_HASH_MISMATCH"
    not_basic = text.replace('"resourceType":"Basic"', '"resourceType":"Provenance"')
    assert verify_batched(members[vector["member"]]["served"], not_basic, chain.get) == "MALFORMED_PROOF"


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
    check_tlog(leaves)

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

    vector = json.load(open("multiproof.json", encoding="utf-8"))
    proof = load(vector["proofJson"])
    assert canonical(proof) == vector["proofJson"]
    assert proof["format"] == "fhir-anchor-multiproof/1"
    assert [v["leafIndex"] for v in proof["versions"]] == sorted({v["leafIndex"] for v in proof["versions"]})
    leaves = {}
    for version in proof["versions"]:
        served = vector["served"][version["resource"]]
        if version["operation"] == "delete":
            assert served is None
            content_hash = bytes(32)
        else:
            resource = load(served)
            content_hash = sha256(canonical(resource).encode())
            assert "%s/%s/_history/%s" % (resource["resourceType"], resource["id"], resource["meta"]["versionId"]) \
                == version["resource"]
        assert content_hash.hex() == version["contentHash"]
        leaf_hash = sha256(b"\x00" + entry(version["operation"], version["resource"], content_hash,
                                          bytes.fromhex(version["salt"])))
        assert leaf_hash.hex() == version["leafHash"]
        leaves[int(version["leafIndex"])] = leaf_hash
    assert verify_multi_inclusion(int(proof["treeSize"]), leaves, [bytes.fromhex(h) for h in proof["hashes"]],
                                  bytes.fromhex(proof["rootHash"]))
    assert proof["rootHash"] == vector["anchoredRoot"]

    # batched-proof.json follows the 8 leaves of proof.json: tree.json's 7 with resource-and-leaf.json's
    # Patient/example/_history/2 at index 4.
    eight = [sha256(b"\x00" + bytes.fromhex(leaf["leafEntry"])) for leaf in tree["leaves"]]
    patient = json.load(open("resource-and-leaf.json", encoding="utf-8"))["versions"][0]
    eight.insert(4, bytes.fromhex(patient["leafHash"]))
    assert mth(eight).hex() == json.load(open("proof.json", encoding="utf-8"))["anchoredRoot"]
    check_batched(eight)

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
