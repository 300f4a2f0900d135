#!/usr/bin/env python3
"""boto3 against `capsim serve` (issue 11), as an application uses it: a session signed with the
built-in key pair, create-table and the table_exists waiter, a batch_writer of 100 items, get, a
paginated query, TransactWriteItems, a conditional put failing with
ConditionalCheckFailedException, delete-table; a provisioned table driven past its capacity until
boto3's own retries give up with ProvisionedThroughputExceededException; and a second server with
--auth FILE: a principal allowed only its own items (dynamodb:LeadingKeys = ${aws:username}),
denied by action, by resource and by LeadingKeys, an explicit deny winning, a wrong secret and an
unknown key refused. Usage: boto3_client.py CAPSIM.
Exit 77 (skipped) when boto3 is not installed, unless CAPSIM_REQUIRE_CLIENTS=1 (scripts/quickstart.sh
test sets it): then a missing client fails."""

import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import boto3
    from boto3.dynamodb.conditions import Key
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:
    print("boto3_client.py: boto3 is not installed; skipped")
    sys.exit(1 if os.environ.get("CAPSIM_REQUIRE_CLIENTS") == "1" else 77)


def check(condition, message):
    if not condition:
        print("boto3_client.py: FAIL: " + message, file=sys.stderr)
        sys.exit(1)


def start(capsim, args):
    server = subprocess.Popen([capsim, "serve", "--port", "0"] + args,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    match = re.match(r"^capsim serve: listening on (http://\S+)$", line)
    if match is None:
        server.kill()
        check(False, "no 'listening on' line: %r %s" % (line, server.stderr.read()))
    return server, match.group(1)


def stop(server):
    server.terminate()
    server.wait(timeout=30)
    check(server.returncode == 0, "capsim serve exit code %d after SIGTERM" % server.returncode)


def main():
    capsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        server, endpoint = start(capsim, ["--db", os.path.join(work, "engine.sqlite")])
        try:
            run(endpoint)
            throttled(endpoint)
        finally:
            stop(server)
        policies = os.path.join(work, "auth.json")
        with open(policies, "w") as f:
            json.dump(AUTH_FILE, f)
        server, endpoint = start(capsim, ["--auth", policies])
        try:
            access(endpoint)
        finally:
            stop(server)
    print("boto3_client.py: all boto3 calls passed")


def run(endpoint):
    # The built-in key pair `capsim serve` prints at start: every request is signed and verified.
    session = boto3.session.Session(aws_access_key_id="capsim", aws_secret_access_key="capsim-local-secret",
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


def throttled(endpoint):
    """A 1 WCU table written flat out: its burst (300 s of capacity) absorbs the first writes, then
    boto3's standard retries (3 attempts, backoff) meet ProvisionedThroughputExceededException until
    they give up, and the error reaches the application."""
    session = boto3.session.Session(aws_access_key_id="capsim", aws_secret_access_key="capsim-local-secret",
                                    region_name="us-east-1")
    client = session.client("dynamodb", endpoint_url=endpoint,
                            config=Config(retries={"total_max_attempts": 3, "mode": "standard"}))
    client.create_table(TableName="Tiny", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    client.get_waiter("table_exists").wait(TableName="Tiny", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    written = 0
    refused = None
    for i in range(3000):
        try:
            client.put_item(TableName="Tiny", Item={"id": {"S": "k%d" % i}, "pad": {"S": "x" * 900}})
            written += 1
        except client.exceptions.ProvisionedThroughputExceededException as error:
            refused = error
            break
    check(refused is not None, "3000 writes to a 1 WCU table were never throttled")
    attempts = refused.response["ResponseMetadata"].get("RetryAttempts", 0)
    check(attempts == 2, "boto3 retried %d times before giving up (standard mode: 2)" % attempts)
    check(written >= 300, "the burst absorbed only %d writes" % written)
    count = client.scan(TableName="Tiny", Select="COUNT", ConsistentRead=True)["Count"]
    check(count == written, "the table holds %d items, %d writes were acknowledged" % (count, written))
    print("boto3_client.py: Tiny (1 WCU) took %d writes, then ProvisionedThroughputExceededException after %d retries"
          % (written, attempts))
    client.delete_table(TableName="Tiny")


ACCOUNT = "123456789012"
AUTH_FILE = {
    "accountId": ACCOUNT,
    "region": "us-east-1",
    "principals": [
        {"name": "admin", "accessKeyId": "AKIAADMIN0000000", "secretAccessKey": "admin-secret",
         "policies": [{"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}]},
        {"name": "alice", "accessKeyId": "AKIAALICE0000000", "secretAccessKey": "alice-secret",
         "policies": [{"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
              "Resource": "arn:aws:dynamodb:*:%s:table/Notes" % ACCOUNT,
              "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}},
             {"Effect": "Allow", "Action": "dynamodb:DescribeTable", "Resource": "*"},
             {"Effect": "Deny", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:*:*:table/Secrets"}]}]},
    ],
}


def access(endpoint):
    """IAM-style policies from --auth FILE, through boto3's real SigV4 signing."""
    def client_for(key, secret):
        session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
        return session.client("dynamodb", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))

    def refused(call, error_code, text=None):
        try:
            call()
        except ClientError as error:
            code = error.response["Error"]["Code"]
            message = error.response["Error"].get("Message", "")
            check(code == error_code, "expected %s, got %s: %s" % (error_code, code, message))
            check(text is None or text in message, "%s message %r lacks %r" % (code, message, text))
            return
        check(False, "expected %s, the call succeeded" % error_code)

    admin = client_for("AKIAADMIN0000000", "admin-secret")
    for name in ("Notes", "Secrets"):
        admin.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "user", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "user", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        admin.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    admin.put_item(TableName="Notes", Item={"user": {"S": "bob"}, "text": {"S": "bob's"}})

    alice = client_for("AKIAALICE0000000", "alice-secret")
    alice.put_item(TableName="Notes", Item={"user": {"S": "alice"}, "text": {"S": "mine"}})
    check(alice.get_item(TableName="Notes", Key={"user": {"S": "alice"}})["Item"]["text"]["S"] == "mine",
          "alice reads her own item")
    check(alice.describe_table(TableName="Notes")["Table"]["TableName"] == "Notes", "alice describes Notes")
    alice_arn = "arn:aws:iam::%s:user/alice" % ACCOUNT
    notes_arn = "arn:aws:dynamodb:us-east-1:%s:table/Notes" % ACCOUNT
    # Denied by LeadingKeys: bob's item.
    refused(lambda: alice.get_item(TableName="Notes", Key={"user": {"S": "bob"}}), "AccessDeniedException",
            "User: %s is not authorized to perform: dynamodb:GetItem on resource: %s" % (alice_arn, notes_arn))
    # Denied by action: DeleteItem is not allowed.
    refused(lambda: alice.delete_item(TableName="Notes", Key={"user": {"S": "alice"}}), "AccessDeniedException",
            "dynamodb:DeleteItem")
    # Denied by resource: another table.
    refused(lambda: alice.list_tables(), "AccessDeniedException", "dynamodb:ListTables")
    # An explicit deny wins over the Allow on DescribeTable *.
    refused(lambda: alice.describe_table(TableName="Secrets"), "AccessDeniedException", "explicit deny")
    # Nothing denied ran: bob's item is untouched and alice's is still there.
    check(admin.get_item(TableName="Notes", Key={"user": {"S": "bob"}})["Item"]["text"]["S"] == "bob's", "bob's item")
    check("Item" in admin.get_item(TableName="Notes", Key={"user": {"S": "alice"}}), "alice's item was deleted")
    # Authentication failures.
    refused(lambda: client_for("AKIAALICE0000000", "wrong-secret").list_tables(), "InvalidSignatureException")
    refused(lambda: client_for("AKIAUNKNOWN00000", "x").list_tables(), "UnrecognizedClientException")


if __name__ == "__main__":
    main()
