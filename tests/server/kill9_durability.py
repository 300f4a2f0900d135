#!/usr/bin/env python3
"""An acknowledged write survives `kill -9` of `capsim serve` (contracts/cli.md).

    python3 kill9_durability.py CAPSIM_BINARY [--rounds N] [--seed S]

Each round starts `capsim serve` on the same database file, lets several client threads (each on
its own keep-alive connection) write items with PutItem, kills the server with SIGKILL at a random
moment, restarts it and checks with strongly consistent GetItem calls that every write the server
acknowledged (HTTP 200 received by the client) is there with the value written. Writes that were in
flight when the server died may or may not be there; acknowledged ones must. Also checks the database
still opens and accepts writes after every kill. Exit 0 on success, 1 on a lost write.
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

TABLE = "Durable"


def start_server(binary, db_path):
    process = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--no-auth", "--db", db_path],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    match = re.match(r"capsim serve: listening on http://([^:]+):(\d+)", line)
    if not match:
        process.kill()
        raise RuntimeError("capsim serve did not start: %r" % line)
    return process, match.group(1), int(match.group(2))


def call(connection, operation, body):
    connection.request("POST", "/", body=json.dumps(body), headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "DynamoDB_20120810." + operation,
    })
    response = connection.getresponse()
    payload = response.read()
    return response.status, json.loads(payload) if payload else {}


def writer(host, port, prefix, acknowledged, lock, stop):
    """Writes items until the connection dies; records each key whose PutItem answered 200."""
    try:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        sequence = 0
        while not stop.is_set():
            key = "%s-%d" % (prefix, sequence)
            value = "v%d" % random.getrandbits(32)
            status, _ = call(connection, "PutItem", {
                "TableName": TABLE,
                "Item": {"id": {"S": key}, "value": {"S": value}, "pad": {"S": "x" * 200}},
            })
            if status == 200:
                with lock:
                    acknowledged[key] = value
            sequence += 1
    except (OSError, http.client.HTTPException, ValueError):
        pass  # the server was killed: this writer's last request may or may not have landed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    random.seed(args.seed)

    folder = tempfile.mkdtemp(prefix="capsim-kill9-")
    db_path = os.path.join(folder, "engine.sqlite")
    acknowledged = {}
    lock = threading.Lock()

    process, host, port = start_server(args.binary, db_path)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    status, body = call(connection, "CreateTable", {
        "TableName": TABLE,
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
    })
    if status != 200:
        print("kill9: CreateTable failed: %s" % body)
        return 1
    connection.close()

    for round_number in range(args.rounds):
        stop = threading.Event()
        threads = [
            threading.Thread(target=writer, args=(host, port, "r%d-w%d" % (round_number, w), acknowledged, lock, stop))
            for w in range(args.writers)
        ]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(0.05, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        stop.set()
        for thread in threads:
            thread.join()

        process, host, port = start_server(args.binary, db_path)
        connection = http.client.HTTPConnection(host, port, timeout=30)
        with lock:
            expected = dict(acknowledged)
        lost = []
        for key, value in expected.items():
            status, body = call(connection, "GetItem", {"TableName": TABLE, "Key": {"id": {"S": key}}, "ConsistentRead": True})
            if status != 200 or body.get("Item", {}).get("value", {}).get("S") != value:
                lost.append((key, value, status, body))
        connection.close()
        print("kill9: round %d: %d acknowledged writes so far, %d lost" % (round_number + 1, len(expected), len(lost)))
        if lost:
            for key, value, status, body in lost[:5]:
                print("kill9: lost %s=%s: %d %s" % (key, value, status, json.dumps(body)[:200]))
            process.kill()
            return 1

    process.send_signal(signal.SIGTERM)
    code = process.wait()
    if code != 0:
        print("kill9: capsim serve stopped with %d after SIGTERM" % code)
        return 1
    if len(acknowledged) < args.rounds:
        print("kill9: too few acknowledged writes (%d) for the test to mean anything" % len(acknowledged))
        return 1
    print("kill9: %d rounds, %d acknowledged writes, none lost" % (args.rounds, len(acknowledged)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
