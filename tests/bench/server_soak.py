#!/usr/bin/env python3
"""Memory soak of `capsim serve` (issue 11): memory stays flat over a long run with many connections.

    python3 server_soak.py CAPSIM_BINARY [--seconds 600] [--connections 100] [--keys 20000] [--json]

Starts `capsim serve` on a database file in a temporary folder (default authentication: every
request SigV4-signed with the built-in local key and verified), creates a provisioned table with a
GSI, fills it with --keys items, then drives it from --connections keep-alive connections (one
thread each) for --seconds with a mix of PutItem, GetItem, UpdateItem, DeleteItem, Query on the
table and the index, BatchWriteItem, BatchGetItem, TransactWriteItems and Scan pages over the same
bounded key space (so the data stops growing once filled), every 50th request reopening its
connection (connection churn). The capacity is set so that part of the traffic is throttled (the
refusal path is soaked too). The server's resident memory (VmRSS) is sampled every 5 s.

Flat means: the peak RSS of the last quarter of the run is at most the peak of the first quarter
after warm-up plus 10 % + 8 MB (SQLite's page cache and the allocator settle in the first minutes;
a leak of a few hundred bytes per request grows far beyond that over millions of requests).
The server is then stopped with SIGTERM and must exit 0; when capsim is built with AddressSanitizer
(cmake -DCAPSIM_SANITIZE=address,undefined), LeakSanitizer runs at that exit and any report it or
UBSan prints fails the soak.

Prints the samples and a summary (one JSON object with --json); exit 0 when flat and clean, 1 when
not.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TABLE = "Soak"
CREDENTIALS = Credentials("capsim", "capsim-local-secret")
REGION = "us-east-1"


def start_server(binary, db_path, stderr_path):
    stderr = open(stderr_path, "w")
    process = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--db", db_path],
        stdout=subprocess.PIPE, stderr=stderr, text=True)
    line = process.stdout.readline()
    match = re.match(r"capsim serve: listening on http://([^:]+):(\d+)", line)
    if not match:
        process.kill()
        raise RuntimeError("capsim serve did not start: %r" % line)
    # Keep reading stdout so the server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process, match.group(1), int(match.group(2))


class Client:
    """One keep-alive connection sending signed DynamoDB JSON requests."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.url = "http://%s:%d/" % (host, port)
        self.connection = None
        self.calls = 0

    def call(self, operation, body):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        payload = json.dumps(body)
        request = AWSRequest(method="POST", url=self.url, data=payload, headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810." + operation,
        })
        SigV4Auth(CREDENTIALS, "dynamodb", REGION).add_auth(request)
        self.connection.request("POST", "/", body=payload, headers=dict(request.headers.items()))
        response = self.connection.getresponse()
        data = response.read()
        self.calls += 1
        if self.calls % 50 == 0:
            self.connection.close()
            self.connection = None
        return response.status, json.loads(data) if data else {}


def key(i):
    return {"pk": {"S": "k%d" % i}, "sk": {"N": str(i % 7)}}


def item(i, rng):
    value = key(i)
    value["g"] = {"S": "g%d" % (i % 97)}
    value["p"] = {"S": "x" * rng.randint(100, 2000)}
    return value


def one_request(client, rng, keys):
    i = rng.randrange(keys)
    choice = rng.random()
    if choice < 0.25:
        return client.call("PutItem", {"TableName": TABLE, "Item": item(i, rng)})
    if choice < 0.50:
        return client.call("GetItem", {"TableName": TABLE, "Key": key(i), "ConsistentRead": rng.random() < 0.5})
    if choice < 0.62:
        return client.call("UpdateItem", {"TableName": TABLE, "Key": key(i),
                                          "UpdateExpression": "SET c = if_not_exists(c, :z) + :one",
                                          "ExpressionAttributeValues": {":z": {"N": "0"}, ":one": {"N": "1"}},
                                          "ReturnValues": "UPDATED_NEW"})
    if choice < 0.67:
        return client.call("DeleteItem", {"TableName": TABLE, "Key": key(i)})
    if choice < 0.75:
        return client.call("Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p",
                                     "ExpressionAttributeValues": {":p": {"S": "k%d" % i}}})
    if choice < 0.80:
        return client.call("Query", {"TableName": TABLE, "IndexName": "byG", "Limit": 20,
                                     "KeyConditionExpression": "g = :g",
                                     "ExpressionAttributeValues": {":g": {"S": "g%d" % (i % 97)}}})
    if choice < 0.87:
        picked = rng.sample(range(keys), 10)
        return client.call("BatchWriteItem", {"RequestItems": {TABLE: [
            {"PutRequest": {"Item": item(j, rng)}} for j in picked]}})
    if choice < 0.94:
        picked = rng.sample(range(keys), 20)
        return client.call("BatchGetItem", {"RequestItems": {TABLE: {"Keys": [key(j) for j in picked]}}})
    if choice < 0.98:
        a, b = rng.sample(range(keys), 2)
        return client.call("TransactWriteItems", {"TransactItems": [
            {"Put": {"TableName": TABLE, "Item": item(a, rng)}},
            {"Update": {"TableName": TABLE, "Key": key(b), "UpdateExpression": "SET t = :t",
                        "ExpressionAttributeValues": {":t": {"N": str(rng.randrange(1000))}}}}]})
    start = key(i)
    return client.call("Scan", {"TableName": TABLE, "Limit": 25, "ExclusiveStartKey": start})


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--keys", type=int, default=20000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="capsim-soak-")
    stderr_path = os.path.join(folder, "serve.stderr")
    process, host, port = start_server(args.binary, os.path.join(folder, "soak.db"), stderr_path)
    try:
        setup = Client(host, port)
        status, answer = setup.call("CreateTable", {
            "TableName": TABLE,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"},
                                     {"AttributeName": "g", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "GlobalSecondaryIndexes": [{"IndexName": "byG",
                                        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                        "Projection": {"ProjectionType": "KEYS_ONLY"},
                                        "ProvisionedThroughput": {"ReadCapacityUnits": 2000,
                                                                  "WriteCapacityUnits": 2000}}],
            # Enough for most of the traffic, not all: the throttling path is soaked too.
            "ProvisionedThroughput": {"ReadCapacityUnits": 1500, "WriteCapacityUnits": 1200}})
        if status != 200:
            raise RuntimeError("CreateTable failed: %s" % answer)
        rng = random.Random(1)
        for start in range(0, args.keys, 25):
            body = {"RequestItems": {TABLE: [{"PutRequest": {"Item": item(j, rng)}}
                                             for j in range(start, min(args.keys, start + 25))]}}
            while True:
                status, answer = setup.call("BatchWriteItem", body)
                left = answer.get("UnprocessedItems", {}).get(TABLE) if status == 200 else None
                if status == 200 and not left:
                    break
                if left:
                    body = {"RequestItems": {TABLE: left}}
                time.sleep(0.05)

        stop = threading.Event()
        counts = {"requests": 0, "throttled": 0, "errors": 0}
        counts_lock = threading.Lock()

        def worker(seed):
            local = {"requests": 0, "throttled": 0, "errors": 0}
            client = Client(host, port)
            worker_rng = random.Random(seed)
            while not stop.is_set():
                try:
                    status, answer = one_request(client, worker_rng, args.keys)
                except (OSError, http.client.HTTPException):
                    local["errors"] += 1
                    client.connection = None
                    continue
                local["requests"] += 1
                if status != 200:
                    kind = answer.get("__type", "")
                    if "ProvisionedThroughputExceeded" in kind or "Throttling" in kind:
                        local["throttled"] += 1
                    elif "ConditionalCheckFailed" not in kind and "TransactionCanceled" not in kind:
                        local["errors"] += 1
            with counts_lock:
                for name, value in local.items():
                    counts[name] += value

        threads = [threading.Thread(target=worker, args=(100 + n,)) for n in range(args.connections)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        samples = []
        while time.monotonic() - started < args.seconds:
            time.sleep(min(5.0, max(0.0, args.seconds - (time.monotonic() - started))))
            if process.poll() is not None:
                raise RuntimeError("capsim serve died during the soak (exit %s)" % process.returncode)
            samples.append((round(time.monotonic() - started, 1), rss_kb(process.pid)))
            if not args.json:
                print("t=%6.1fs rss=%7.1f MB" % (samples[-1][0], samples[-1][1] / 1024.0), flush=True)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            exit_code = process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            exit_code = "killed after 120 s"
    with open(stderr_path) as stderr:
        sanitizer = [line.rstrip() for line in stderr
                     if "Sanitizer" in line or "runtime error:" in line]

    quarter = max(1, len(samples) // 4)
    # Warm-up: the first quarter of the samples; compare its peak with the last quarter's.
    early_peak = max(rss for _, rss in samples[:quarter]) if samples else 0
    late_peak = max(rss for _, rss in samples[-quarter:]) if samples else 0
    allowed = early_peak * 1.10 + 8 * 1024
    flat = bool(samples) and late_peak <= allowed
    summary = {
        "seconds": round(elapsed, 1),
        "connections": args.connections,
        "requests": counts["requests"],
        "requestsPerSecond": round(counts["requests"] / elapsed, 1) if elapsed else 0,
        "throttled": counts["throttled"],
        "errors": counts["errors"],
        "rssFirstQuarterPeakMB": round(early_peak / 1024.0, 1),
        "rssLastQuarterPeakMB": round(late_peak / 1024.0, 1),
        "rssAllowedMB": round(allowed / 1024.0, 1),
        "flat": flat,
        "serverExit": exit_code,
        "sanitizerReports": len(sanitizer),
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(json.dumps(summary, indent=2))
    for line in sanitizer[:40]:
        print(line, file=sys.stderr)
    ok = flat and exit_code == 0 and not sanitizer and counts["errors"] == 0 and counts["requests"] > 0
    if not ok:
        print("server_soak: FAILED (%s)" % ", ".join(
            reason for reason, bad in (("memory grew", not flat), ("server exit %s" % exit_code, exit_code != 0),
                                       ("sanitizer reports", bool(sanitizer)),
                                       ("%d request errors" % counts["errors"], counts["errors"] != 0))
            if bad), file=sys.stderr)
        print("server_soak: server stderr kept in %s" % stderr_path, file=sys.stderr)
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
