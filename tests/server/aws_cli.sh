#!/usr/bin/env bash
# The real AWS CLI against `capsim serve` (issue 11): create-table, put-item, get-item, query, scan,
# update-table, describe-table, delete-table with --endpoint-url and dummy credentials.
# Usage: aws_cli.sh CAPSIM. Exit 77 (skipped) when the aws command is not installed, unless
# CAPSIM_REQUIRE_CLIENTS=1 (scripts/quickstart.sh test sets it): then a missing client fails.
set -euo pipefail

capsim=${1:?usage: aws_cli.sh CAPSIM}
if ! command -v aws > /dev/null; then
    echo "aws_cli.sh: the AWS CLI (aws) is not installed; skipped"
    [[ ${CAPSIM_REQUIRE_CLIENTS:-0} == 1 ]] && exit 1
    exit 77
fi

work=$(mktemp -d)
server_pid=
cleanup()
{
    if [[ -n $server_pid ]]; then
        kill -TERM "$server_pid" 2> /dev/null || true
        wait "$server_pid" 2> /dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

fail()
{
    echo "aws_cli.sh: FAIL: $*" >&2
    exit 1
}

# The default mode: every request is SigV4-verified against the built-in key pair.
"$capsim" serve --port 0 --db "$work/engine.sqlite" > "$work/out" 2> "$work/err" &
server_pid=$!
for _ in $(seq 1 200); do
    grep -q 'listening on' "$work/out" 2> /dev/null && break
    kill -0 "$server_pid" 2> /dev/null || fail "capsim serve exited: $(cat "$work/err")"
    sleep 0.05
done
endpoint=$(sed -n 's/^capsim serve: listening on \(http:\/\/.*\)$/\1/p' "$work/out")
[[ -n $endpoint ]] || fail "no 'listening on' line: $(cat "$work/out")"

export AWS_ACCESS_KEY_ID=capsim AWS_SECRET_ACCESS_KEY=capsim-local-secret AWS_DEFAULT_REGION=us-east-1
export AWS_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=
ddb()
{
    aws dynamodb --endpoint-url "$endpoint" --output json "$@"
}
# A field of the JSON on stdin, by a Python expression on `r`.
field()
{
    python3 -c "import json,sys; r=json.load(sys.stdin); print($1)"
}

ddb create-table --table-name Music \
    --attribute-definitions AttributeName=Artist,AttributeType=S AttributeName=SongTitle,AttributeType=S \
    --key-schema AttributeName=Artist,KeyType=HASH AttributeName=SongTitle,KeyType=RANGE \
    --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 > "$work/create.json"
[[ $(field "r['TableDescription']['TableName']" < "$work/create.json") == Music ]] || fail "create-table: $(cat "$work/create.json")"

for song in "Call Me Today" "Happy Day" "Somewhere Down The Road"; do
    ddb put-item --table-name Music \
        --item "{\"Artist\":{\"S\":\"No One You Know\"},\"SongTitle\":{\"S\":\"$song\"},\"Year\":{\"N\":\"2020\"}}"
done
ddb put-item --table-name Music --item '{"Artist":{"S":"Acme Band"},"SongTitle":{"S":"PartiQL Rocks"}}' \
    --return-consumed-capacity TOTAL > "$work/put.json"
[[ $(field "r['ConsumedCapacity']['CapacityUnits']" < "$work/put.json") == 1.0 ]] || fail "put-item units: $(cat "$work/put.json")"

ddb get-item --table-name Music --consistent-read \
    --key '{"Artist":{"S":"No One You Know"},"SongTitle":{"S":"Happy Day"}}' > "$work/get.json"
[[ $(field "r['Item']['Year']['N']" < "$work/get.json") == 2020 ]] || fail "get-item: $(cat "$work/get.json")"

ddb query --table-name Music --key-condition-expression "Artist = :a AND begins_with(SongTitle, :t)" \
    --expression-attribute-values '{":a":{"S":"No One You Know"},":t":{"S":"S"}}' > "$work/query.json"
[[ $(field "r['Count']" < "$work/query.json") == 1 ]] || fail "query: $(cat "$work/query.json")"
[[ $(field "r['Items'][0]['SongTitle']['S']" < "$work/query.json") == "Somewhere Down The Road" ]] || fail "query item"

# The CLI paginates scan itself: a page size of 1 makes it follow LastEvaluatedKey three times.
ddb scan --table-name Music --page-size 1 > "$work/scan.json"
[[ $(field "len(r['Items'])" < "$work/scan.json") == 4 ]] || fail "scan: $(cat "$work/scan.json")"

ddb update-table --table-name Music --provisioned-throughput ReadCapacityUnits=10,WriteCapacityUnits=10 > "$work/update.json"
[[ $(field "r['TableDescription']['TableName']" < "$work/update.json") == Music ]] || fail "update-table: $(cat "$work/update.json")"
ddb describe-table --table-name Music > "$work/describe.json"
[[ $(field "r['Table']['ProvisionedThroughput']['ReadCapacityUnits']" < "$work/describe.json") == 10 ]] \
    || fail "describe-table after update: $(cat "$work/describe.json")"
[[ $(field "r['Table']['ItemCount']" < "$work/describe.json") =~ ^[0-9]+$ ]] || fail "describe-table ItemCount"

# A DynamoDB error reaches the CLI as such (exit 254/255 with the error type in its message).
if ddb describe-table --table-name NoSuchTable 2> "$work/missing.err"; then
    fail "describe-table of a missing table succeeded"
fi
grep -q ResourceNotFoundException "$work/missing.err" || fail "missing table error: $(cat "$work/missing.err")"

# A wrong secret: the CLI's signature does not match and the request runs nothing.
if AWS_SECRET_ACCESS_KEY=not-the-secret ddb delete-table --table-name Music 2> "$work/badsig.err"; then
    fail "a request signed with the wrong secret succeeded"
fi
grep -q InvalidSignatureException "$work/badsig.err" || fail "wrong secret: $(cat "$work/badsig.err")"
if AWS_ACCESS_KEY_ID=AKIDUNKNOWN ddb list-tables 2> "$work/badkey.err"; then
    fail "a request signed with an unknown access key succeeded"
fi
grep -q UnrecognizedClientException "$work/badkey.err" || fail "unknown key: $(cat "$work/badkey.err")"

ddb delete-table --table-name Music > "$work/delete.json"
[[ $(field "r['TableDescription']['TableName']" < "$work/delete.json") == Music ]] || fail "delete-table: $(cat "$work/delete.json")"
[[ $(ddb list-tables | field "len(r['TableNames'])") == 0 ]] || fail "list-tables after delete"

echo "aws_cli.sh: all AWS CLI calls passed against $endpoint"
