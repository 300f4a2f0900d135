#!/usr/bin/env python3
"""An independent reader of capsim's exports (reference A9, Part C 10.1), written from the
reference's layout and formats, not from capsim's importer. Python 3 standard library only.

Usage: export_reader.py CAPSIM

Makes a table with `capsim call` (every attribute type, deep nesting, 38-digit numbers, empty
strings and binaries, escapes, names Ion must quote), enables PITR, exports it in DYNAMODB_JSON
and in ION under a prefix, moves the clock past the export's 150 s, and checks against the
table as Scan reads it: `_started`, manifest-summary.json (fields in order, compact, times),
manifest-files.json (md5Checksum, etag, keys, item counts), the .checksum files, data file names
(base32 of SHA-256(ExportArn || 8-byte big-endian ordinal)), the gzip header, and every item.
Exits 0 when everything matches, 1 with the mismatches otherwise.
"""

import base64
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal

START = 1796378400  # 2026-12-04T10:00:00Z
TABLE = "Reader"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/" + TABLE
FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
    return condition


def call(capsim, db, now, operation, request):
    proc = subprocess.run(
        [capsim, "call", "--db", db, "--compact", "--now", str(now), operation, "-"],
        input=json.dumps(request).encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise SystemExit("capsim call %s failed (%d): %s %s" % (operation, proc.returncode,
                                                               proc.stdout.decode(), proc.stderr.decode()))
    return json.loads(proc.stdout.decode())


# ---- the items ----

def items():
    out = [
        {"pk": {"S": "a"}, "sk": {"N": "1"}, "n": {"N": "12345678901234567890123456789012345678"},
         "small": {"N": "-0.000000000000000000000000000000000000001"}, "hundred": {"N": "600"}},
        {"pk": {"S": "b"}, "sk": {"N": "-2.5"}, "bin": {"B": "AAEC/w=="}, "empty": {"S": ""},
         "emptyBin": {"B": ""}, "t": {"BOOL": True}, "f": {"BOOL": False}, "z": {"NULL": True}},
        {"pk": {"S": "c"}, "sk": {"N": "0"}, "ss": {"SS": ["x", "y", ""]}, "ns": {"NS": ["1", "2.5", "-3e10", "0.005"]},
         "bs": {"BS": ["AQ==", "Ag=="]}},
        {"pk": {"S": "d"}, "sk": {"N": "1e3"}, "deep": {"M": {"l": {"L": [
            {"M": {"m": {"M": {"x": {"L": [{"N": "1"}, {"S": ""}, {"B": "AA=="}, {"L": []}, {"M": {}}]}}}}},
            {"SS": ["q"]}]}}}},
        {"pk": {"S": "e \u00e9\u4e2d\n"}, "sk": {"N": "7"}, "u": {"S": "\u0001\t\"\\\u007f\u00ff"},
         "odd name": {"S": "v"}, "null": {"N": "0"}, "$1": {"N": "-0.5"}, "\u00e9t\u00e9": {"S": "\u2603"},
         "B": {"S": "upper first"}, "a": {"S": "lower"}},
    ]
    for i in range(40):
        out.append({"pk": {"S": "gen%02d" % i}, "sk": {"N": str(i * 37 - 500)}, "v": {"S": "x" * (i % 7)},
                    "m": {"M": {"k%d" % (i % 3): {"N": "%d.%d" % (i, i % 10)}}}})
    return out


# ---- a canonical, comparable form of DynamoDB values ----

def canon(kind, value):
    if kind == "S":
        return ("S", value)
    if kind == "N":
        return ("N", Decimal(value).normalize() if Decimal(value) != 0 else Decimal(0))
    if kind == "B":
        return ("B", base64.b64decode(value) if isinstance(value, str) else value)
    if kind == "BOOL":
        return ("BOOL", bool(value))
    if kind == "NULL":
        return ("NULL", True)
    if kind in ("SS", "NS", "BS"):
        return (kind, frozenset(canon(kind[0], v)[1] for v in value))
    if kind == "L":
        return ("L", tuple(canon_attr(v) for v in value))
    if kind == "M":
        return ("M", canon_item(value))
    raise ValueError("unknown type " + kind)


def canon_attr(attr):
    ((kind, value),) = attr.items()
    return canon(kind, value)


def canon_item(item):
    return tuple(sorted((name, canon_attr(v)) for name, v in item.items()))


# ---- DYNAMODB_JSON: the exact text A9 prescribes ----

def json_string(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def json_attr_text(attr):
    ((kind, value),) = attr.items()
    if kind in ("S", "N", "B"):
        inner = json_string(value)
    elif kind == "BOOL":
        inner = "true" if value else "false"
    elif kind == "NULL":
        inner = "true"
    elif kind in ("SS", "NS", "BS"):
        inner = "[" + ",".join(json_string(v) for v in value) + "]"
    elif kind == "L":
        inner = "[" + ",".join(json_attr_text(v) for v in value) + "]"
    else:
        inner = json_item_text(value)
    return "{" + json_string(kind) + ":" + inner + "}"


def json_item_text(item):
    names = sorted(item, key=lambda n: n.encode("utf-8"))
    return "{" + ",".join(json_string(n) + ":" + json_attr_text(item[n]) for n in names) + "}"


# ---- ION: the subset an export writes ----

class IonReader:
    BARE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
    NUMBER = re.compile(r"-?[0-9][0-9.]*(?:[dDeE][-+]?[0-9]+)?")

    def __init__(self, text):
        self.s = text
        self.i = 0

    def peek(self, n=1):
        return self.s[self.i:self.i + n]

    def expect(self, token):
        if not self.s.startswith(token, self.i):
            raise ValueError("expected %r at %d: %r" % (token, self.i, self.s[self.i:self.i + 20]))
        self.i += len(token)

    def quoted(self, quote):
        self.expect(quote)
        out = []
        while True:
            ch = self.s[self.i]
            self.i += 1
            if ch == quote:
                return "".join(out)
            if ch != "\\":
                out.append(ch)
                continue
            e = self.s[self.i]
            self.i += 1
            simple = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "/": "/", "0": "\0",
                      "b": "\b", "f": "\f", "v": "\v", "a": "\a"}
            if e in simple:
                out.append(simple[e])
            elif e == "x":
                out.append(chr(int(self.s[self.i:self.i + 2], 16)))
                self.i += 2
            elif e == "u":
                out.append(chr(int(self.s[self.i:self.i + 4], 16)))
                self.i += 4
            elif e == "U":
                out.append(chr(int(self.s[self.i:self.i + 8], 16)))
                self.i += 8
            else:
                raise ValueError("unknown escape \\" + e)

    def name(self):
        if self.peek() == "'":
            return self.quoted("'")
        if self.peek() == '"':
            return self.quoted('"')
        m = self.BARE.match(self.s, self.i)
        if not m:
            raise ValueError("expected a field name at %d" % self.i)
        self.i = m.end()
        return m.group(0)

    def struct(self):
        self.expect("{")
        out = {}
        if self.peek() == "}":
            self.i += 1
            return out
        while True:
            n = self.name()
            self.expect(":")
            out[n] = self.value()
            if self.peek() == ",":
                self.i += 1
                continue
            self.expect("}")
            return out

    def sequence(self):
        self.expect("[")
        out = []
        if self.peek() == "]":
            self.i += 1
            return out
        while True:
            out.append(self.value())
            if self.peek() == ",":
                self.i += 1
                continue
            self.expect("]")
            return out

    def number(self):
        m = self.NUMBER.match(self.s, self.i)
        if not m:
            raise ValueError("expected a number at %d" % self.i)
        self.i = m.end()
        return Decimal(m.group(0).replace("d", "e").replace("D", "e"))

    def value(self):
        """A value as canon() gives it."""
        c = self.peek()
        if self.s.startswith("{{", self.i):
            end = self.s.index("}}", self.i)
            data = base64.b64decode(self.s[self.i + 2:end].strip())
            self.i = end + 2
            return ("B", data)
        if c == "{":
            return ("M", tuple(sorted(self.struct().items())))
        if c == "[":
            return ("L", tuple(self.sequence()))
        if c == '"':
            return ("S", self.quoted('"'))
        for word, v in (("true", ("BOOL", True)), ("false", ("BOOL", False)), ("null", ("NULL", True))):
            if self.s.startswith(word, self.i) and not self.BARE.match(self.s[self.i + len(word):self.i + len(word) + 1] or " "):
                self.i += len(word)
                return v
        for kind in ("SS", "NS", "BS"):
            ann = "$dynamodb_%s::" % kind
            if self.s.startswith(ann, self.i):
                self.i += len(ann)
                return (kind, frozenset(v for _, v in self.sequence()))
        n = self.number()
        return ("N", n.normalize() if n != 0 else Decimal(0))

    def line(self):
        self.expect("$ion_1_0 ")
        top = self.struct()
        if self.i != len(self.s):
            raise ValueError("trailing text at %d" % self.i)
        return top


def normalized_number(value):
    return value.normalize() if value != 0 else Decimal(0)


def ion_item(line):
    top = IonReader(line).line()
    if set(top) != {"Item"}:
        raise ValueError("an Ion line is {Item:{...}}")
    kind, fields = top["Item"]
    if kind != "M":
        raise ValueError("Item is a struct")
    return fields


# ---- the checks ----

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SUMMARY_FIELDS = ["version", "exportArn", "startTime", "endTime", "tableArn", "tableId", "exportTime", "s3Bucket",
                  "s3Prefix", "s3SseAlgorithm", "s3SseKmsKeyId", "manifestFilesS3Key", "billedSizeBytes", "itemCount",
                  "outputFormat"]


def data_file_name(export_arn, ordinal):
    digest = hashlib.sha256(export_arn.encode() + ordinal.to_bytes(8, "big")).digest()[:16]
    return base64.b32encode(digest).decode().lower().rstrip("=")


def read_object(root, bucket, key):
    with open(os.path.join(root, bucket, key), "rb") as f:
        return f.read()


def check_export(root, description, fmt, expected):
    arn = description["ExportArn"]
    export_id = arn.rsplit("/", 1)[1]
    check(re.fullmatch(r"\d{14}-[0-9a-f]{8}", export_id) is not None, fmt + ": ExportId " + export_id)
    check(description["ExportStatus"] == "COMPLETED", fmt + ": status " + description["ExportStatus"])
    folder = "exports/run1/AWSDynamoDB/" + export_id
    check(description.get("ExportManifest") == folder + "/manifest-summary.json", fmt + ": ExportManifest")
    check(read_object(root, "bk", folder + "/_started") == b"", fmt + ": _started is empty")

    summary_bytes = read_object(root, "bk", folder + "/manifest-summary.json")
    check(read_object(root, "bk", folder + "/manifest-summary.checksum").decode() == hashlib.md5(summary_bytes).hexdigest(),
          fmt + ": manifest-summary.checksum")
    pairs = json.loads(summary_bytes.decode(), object_pairs_hook=lambda p: p)
    check([k for k, _ in pairs] == SUMMARY_FIELDS, fmt + ": summary fields in order: %s" % [k for k, _ in pairs])
    summary = dict(pairs)
    check(json.dumps(summary, separators=(",", ":"), ensure_ascii=False).encode() == summary_bytes,
          fmt + ": summary is compact")
    check(summary["version"] == "2020-06-30", fmt + ": version")
    check(summary["exportArn"] == arn and summary["tableArn"] == TABLE_ARN, fmt + ": ARNs")
    check(summary["tableId"] == description["TableId"], fmt + ": tableId")
    for t in ("startTime", "endTime", "exportTime"):
        check(ISO.match(summary[t] or "") is not None, fmt + ": " + t + " " + str(summary[t]))
    check(summary["s3Bucket"] == "bk" and summary["s3Prefix"] == "exports/run1/", fmt + ": bucket and prefix")
    check(summary["s3SseAlgorithm"] is None and summary["s3SseKmsKeyId"] is None, fmt + ": absent is null")
    check(summary["manifestFilesS3Key"] == folder + "/manifest-files.json", fmt + ": manifestFilesS3Key")
    check(summary["billedSizeBytes"] == description["BilledSizeBytes"], fmt + ": billedSizeBytes")
    check(summary["itemCount"] == len(expected) == description["ItemCount"], fmt + ": itemCount")
    check(summary["outputFormat"] == fmt, fmt + ": outputFormat")

    files_bytes = read_object(root, "bk", folder + "/manifest-files.json")
    check(read_object(root, "bk", folder + "/manifest-files.checksum").decode() == hashlib.md5(files_bytes).hexdigest(),
          fmt + ": manifest-files.checksum")
    lines = files_bytes.decode().split("\n")
    check(lines[-1] == "", fmt + ": manifest-files.json ends with a newline")
    extension = ".json.gz" if fmt == "DYNAMODB_JSON" else ".ion.gz"
    found = []
    total = 0
    for ordinal, text in enumerate(lines[:-1]):
        entry_pairs = json.loads(text, object_pairs_hook=lambda p: p)
        check([k for k, _ in entry_pairs] == ["itemCount", "md5Checksum", "etag", "dataFileS3Key"],
              fmt + ": manifest-files fields")
        entry = dict(entry_pairs)
        key = entry["dataFileS3Key"]
        check(key == folder + "/data/" + data_file_name(arn, ordinal) + extension, fmt + ": data file name " + key)
        obj = read_object(root, "bk", key)
        raw_md5 = hashlib.md5(obj).digest()
        check(entry["md5Checksum"] == base64.b64encode(raw_md5).decode(), fmt + ": md5Checksum of " + key)
        check(entry["etag"] == hashlib.md5(raw_md5).hexdigest() + "-1", fmt + ": etag of " + key)
        # gzip: magic, deflate, no flags (no name), mtime 0, OS 255.
        check(obj[:8] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00" and obj[9] == 255, fmt + ": gzip header of " + key)
        content = gzip.decompress(obj).decode("utf-8")
        data_lines = content.split("\n")
        check(data_lines[-1] == "", fmt + ": data file ends with a newline")
        data_lines = data_lines[:-1]
        check(len(data_lines) == entry["itemCount"], fmt + ": itemCount of " + key)
        total += entry["itemCount"]
        for line in data_lines:
            if fmt == "DYNAMODB_JSON":
                parsed = json.loads(line)
                check(list(parsed) == ["Item"], fmt + ": a line is {\"Item\":...}")
                item = parsed["Item"]
                check(line == '{"Item":' + json_item_text(item) + "}", fmt + ": canonical line " + line)
                found.append(canon_item(item))
            else:
                try:
                    found.append(tuple(sorted(ion_item(line))))
                except ValueError as e:
                    check(False, fmt + ": Ion line %r: %s" % (line, e))
    files = sorted(os.listdir(os.path.join(root, "bk", folder, "data")))
    check(len(files) == len(lines) - 1, fmt + ": one data file per manifest line")
    check(total == len(expected), fmt + ": total items %d, table %d" % (total, len(expected)))
    check(sorted(found, key=repr) == sorted(expected, key=repr), fmt + ": items differ from the table's")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    capsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        db = os.path.join(work, "reader.sqlite")
        root = db + ".s3"
        os.makedirs(os.path.join(root, "bk"))
        call(capsim, db, START, "CreateTable", {
            "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]})
        call(capsim, db, START, "UpdateContinuousBackups", {
            "TableName": TABLE, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})
        batch = items()
        for i in range(0, len(batch), 25):
            call(capsim, db, START + 1, "BatchWriteItem",
                 {"RequestItems": {TABLE: [{"PutRequest": {"Item": it}} for it in batch[i:i + 25]]}})
        scanned = call(capsim, db, START + 2, "Scan", {"TableName": TABLE})
        check(scanned["Count"] == len(batch), "Scan reads every item")
        expected = [canon_item(it) for it in scanned["Items"]]
        check(sorted(expected, key=repr) == sorted((canon_item(it) for it in batch), key=repr), "Scan = the items put")

        exports = {}
        for n, fmt in enumerate(("DYNAMODB_JSON", "ION")):
            r = call(capsim, db, START + 60 + n, "ExportTableToPointInTime", {
                "TableArn": TABLE_ARN, "S3Bucket": "bk", "S3Prefix": "exports/run1/", "ExportFormat": fmt})
            check(r["ExportDescription"]["ExportStatus"] == "IN_PROGRESS", fmt + ": IN_PROGRESS at the request")
            exports[fmt] = r["ExportDescription"]["ExportArn"]
        for fmt, arn in exports.items():
            d = call(capsim, db, START + 300, "DescribeExport", {"ExportArn": arn})["ExportDescription"]
            check_export(root, d, fmt, expected)
    if FAILURES:
        print("export_reader: %d mismatches" % len(FAILURES))
        for f in FAILURES:
            print("  " + f)
        return 1
    print("export_reader: both exports match the table (%d items)" % len(items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
