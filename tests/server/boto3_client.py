#!/usr/bin/env python3
"""boto3 against `capsim serve` (issue 11), as an application uses it: a session with dummy
credentials, create-table and the table_exists waiter, a batch_writer of 100 items, get, a
paginated query, TransactWriteItems, a conditional put failing with
ConditionalCheckFailedException, delete-table. Usage: boto3_client.py CAPSIM.
Exit 77 (skipped) when boto3 is not installed."""

import os
import re
import subprocess
import sys
import tempfile

try:
    import boto3
    from boto3.dynamodb.conditions import Key
    from botocore.config import Config
except ImportError:
    print("boto3_client.py: boto3 is not installed; skipped")
    sys.exit(77)


def check(condition, message):
    if not condition:
        print("boto3_client.py: FAIL: " + message, file=sys.stderr)
        sys.exit(1)


def main():
    capsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        server = subprocess.Popen(
            [capsim, "serve", "--port", "0", "--no-auth", "--db", os.path.join(work, "engine.sqlite")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = server.stdout.readline()
            match = re.match(r"^capsim serve: listening on (http://\S+)$", line)
            check(match is not None, "no 'listening on' line: %r %s" % (line, server.stderr.read() if server.poll() is not None else ""))
            run(match.group(1))
        finally:
            server.terminate()
            server.wait(timeout=30)
        check(server.returncode == 0, "capsim serve exit code %d after SIGTERM" % server.returncode)
    print("boto3_client.py: all boto3 calls passed")


def run(endpoint):
    session = boto3.session.Session(aws_access_key_id="AKIDCAPSIMTEST", aws_secret_access_key="capsim-test-secret",
                                    region_name="us-east-1")
    # No retries: a throttle or a server error must fail the test, not be retried away.
    config = Config(retries={"max_attempts": 1, "mode": "standard"})
    client = session.client("dynamodb", endpoint_url=endpoint, config=config)
    dynamodb = session.resource("dynamodb", endpoint_url=endpoint, config=config)

    client.create_table(
        TableName="Events",
        AttributeDefinitions=[{"AttributeName": "device", "AttributeType": "S"},
                              {"AttributeName": "seq", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "device", "KeyType": "HASH"}, {"AttributeName": "seq", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST")
    client.get_waiter("table_exists").wait(TableName="Events", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    table = dynamodb.Table("Events")
    check(table.table_status == "ACTIVE", "table status %s" % table.table_status)

    with table.batch_writer() as batch:
        for i in range(100):
            batch.put_item(Item={"device": "d%d" % (i % 4), "seq": i, "payload": "x" * 200, "ok": i % 3 == 0})

    item = table.get_item(Key={"device": "d1", "seq": 5}, ConsistentRead=True).get("Item")
    check(item is not None and item["payload"] == "x" * 200 and item["ok"] is False, "get_item: %r" % item)

    paginator = client.get_paginator("query")
    pages = paginator.paginate(TableName="Events", KeyConditionExpression="device = :d",
                               ExpressionAttributeValues={":d": {"S": "d2"}}, PaginationConfig={"PageSize": 7})
    seqs = []
    page_count = 0
    for page in pages:
        page_count += 1
        seqs.extend(int(entry["seq"]["N"]) for entry in page["Items"])
    check(seqs == list(range(2, 100, 4)), "paginated query: %r" % seqs)
    check(page_count >= 4, "paginated query took %d pages of 7 for 25 items" % page_count)
    counted = table.query(KeyConditionExpression=Key("device").eq("d0") & Key("seq").between(10, 20), Select="COUNT")
    check(counted["Count"] == 3, "query count: %r" % counted["Count"])

    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Events", "Item": {"device": {"S": "tx"}, "seq": {"N": "1"}}}},
        {"Update": {"TableName": "Events", "Key": {"device": {"S": "d0"}, "seq": {"N": "0"}},
                    "UpdateExpression": "SET moved = :t", "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
        {"ConditionCheck": {"TableName": "Events", "Key": {"device": {"S": "d1"}, "seq": {"N": "1"}},
                            "ConditionExpression": "attribute_exists(device)"}},
    ])
    check(table.get_item(Key={"device": "tx", "seq": 1}).get("Item") is not None, "transaction's put missing")
    check(table.get_item(Key={"device": "d0", "seq": 0})["Item"].get("moved") is True, "transaction's update missing")
    try:
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": "Events", "Item": {"device": {"S": "tx"}, "seq": {"N": "2"}}}},
            {"ConditionCheck": {"TableName": "Events", "Key": {"device": {"S": "nope"}, "seq": {"N": "1"}},
                                "ConditionExpression": "attribute_exists(device)"}},
        ])
        check(False, "a transaction with a failing condition succeeded")
    except client.exceptions.TransactionCanceledException as error:
        reasons = [reason["Code"] for reason in error.response["CancellationReasons"]]
        check(reasons == ["None", "ConditionalCheckFailed"], "cancellation reasons %r" % reasons)
    check(table.get_item(Key={"device": "tx", "seq": 2}).get("Item") is None, "a cancelled transaction wrote")

    try:
        table.put_item(Item={"device": "d1", "seq": 5, "payload": "overwritten"},
                       ConditionExpression="attribute_not_exists(device)")
        check(False, "a conditional put on an existing item succeeded")
    except client.exceptions.ConditionalCheckFailedException as error:
        check(error.response["ResponseMetadata"]["HTTPStatusCode"] == 400, "status %r" % error.response)
        check(len(error.response["ResponseMetadata"]["RequestId"]) == 52, "request id %r" % error.response)
    check(table.get_item(Key={"device": "d1", "seq": 5})["Item"]["payload"] == "x" * 200, "conditional put wrote")

    table.delete()
    client.get_waiter("table_not_exists").wait(TableName="Events", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    check(client.list_tables()["TableNames"] == [], "tables left after delete")


if __name__ == "__main__":
    main()
