#!/usr/bin/env python3
"""`capsim serve`'s memory stays flat under a long load (issue 11, Speed): a bench-labelled soak.

    python3 soak_memory.py CAPSIM_BINARY [--seconds 600] [--connections 100] [--keys 20000]

Starts `capsim serve` on a database file, drives it from CONNECTIONS keep-alive connections (one
thread each) with PutItem and GetItem of ~1 KB items over a bounded key space for SECONDS, and
samples the server's resident memory (VmRSS) every few seconds. The key space is bounded so that
the data and SQLite's page cache (64 MB at most) stop growing early; after the first third of the
run the resident size must stay flat: the largest sample of the last third may exceed the largest
of the middle third by at most 5% + 8 MB. Prints the samples and the request count; exit 0 when
flat and every request answered 200, 1 otherwise. Run it under an ASan/LSan build of capsim to
check for leaks as well (the server exits cleanly on SIGTERM at the end).
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

TABLE = "Soak"


def resident_kb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def call(connection, operation, body):
    connection.request("POST", "/", body=json.dumps(body), headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "DynamoDB_20120810." + operation,
    })
    response = connection.getresponse()
    response.read()
    return response.status


def client(host, port, keys, stop, counts, index):
    rng = random.Random(index)
    padding = "x" * 1000
    connection = http.client.HTTPConnection(host, port, timeout=30)
    while not stop.is_set():
        key = {"pk": {"S": "k%d" % rng.randrange(keys)}}
        if rng.random() < 0.5:
            status = call(connection, "PutItem", {"TableName": TABLE, "Item": dict(key, p={"S": padding})})
        else:
            status = call(connection, "GetItem", {"TableName": TABLE, "Key": key})
        counts[index][0 if status == 200 else 1] += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--keys", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [args.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--no-auth", "--db",
             os.path.join(folder, "soak.sqlite")], stdout=subprocess.PIPE, text=True)
        match = re.match(r"capsim serve: listening on http://([^:]+):(\d+)", server.stdout.readline())
        if not match:
            server.kill()
            print("capsim serve did not start")
            return 1
        host, port = match.group(1), int(match.group(2))
        setup = http.client.HTTPConnection(host, port, timeout=30)
        status = call(setup, "CreateTable", {
            "TableName": TABLE, "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"})
        if status != 200:
            server.kill()
            print("CreateTable answered %d" % status)
            return 1
        stop = threading.Event()
        counts = [[0, 0] for _ in range(args.connections)]
        threads = [threading.Thread(target=client, args=(host, port, args.keys, stop, counts, i), daemon=True)
                   for i in range(args.connections)]
        for thread in threads:
            thread.start()
        samples = []
        interval = max(1.0, args.seconds / 60)
        start = time.monotonic()
        while time.monotonic() - start < args.seconds:
            time.sleep(interval)
            samples.append((time.monotonic() - start, resident_kb(server.pid)))
            print("t=%6.1fs rss=%7d KB requests=%d" % (samples[-1][0], samples[-1][1], sum(c[0] for c in counts)),
                  flush=True)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.send_signal(signal.SIGTERM)
        exit_code = server.wait(timeout=60)
    answered = sum(c[0] for c in counts)
    failed = sum(c[1] for c in counts)
    third = len(samples) // 3
    middle = max(rss for _, rss in samples[third:2 * third] or samples)
    last = max(rss for _, rss in samples[2 * third:] or samples)
    allowed = middle * 1.05 + 8 * 1024
    flat = last <= allowed
    print("%d requests answered 200, %d not; resident size: middle third max %d KB, last third max %d KB "
          "(allowed %d KB): %s; server exit %d"
          % (answered, failed, middle, last, allowed, "flat" if flat else "GROWING", exit_code))
    return 0 if flat and failed == 0 and exit_code == 0 and answered > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
