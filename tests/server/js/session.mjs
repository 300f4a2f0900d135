// The AWS SDK for JavaScript v3 against `capsim serve`: the realistic session the boto3 test runs
// (tests/server/boto3_client.py), through @aws-sdk/client-dynamodb and the document client of
// @aws-sdk/lib-dynamodb, unchanged SDK code with only the endpoint and credentials set.
//   node session.mjs CAPSIM_BINARY
// Starts `capsim serve --port 0` on a temporary database (built-in key pair, so every request is
// signed and verified), runs the session, stops the server. Exit 0 on success, 1 on a failed check.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import assert from "node:assert/strict";

import {
    DynamoDBClient,
    CreateTableCommand,
    DescribeTableCommand,
    DeleteTableCommand,
    ListTablesCommand,
    PutItemCommand,
    UpdateTableCommand,
    paginateQuery,
    paginateScan,
    waitUntilTableExists,
    waitUntilTableNotExists,
    ConditionalCheckFailedException,
    ProvisionedThroughputExceededException,
    TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
    DynamoDBDocumentClient,
    BatchWriteCommand,
    GetCommand,
    PutCommand,
    QueryCommand,
    TransactWriteCommand,
    UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

const binary = process.argv[2];
if (!binary) {
    console.error("usage: node session.mjs CAPSIM_BINARY");
    process.exit(2);
}

function startServer(dbPath) {
    return new Promise((resolve, reject) => {
        const child = spawn(binary, ["serve", "--host", "127.0.0.1", "--port", "0", "--db", dbPath], {
            stdio: ["ignore", "pipe", "inherit"],
        });
        child.on("error", reject);
        child.on("exit", (code) => reject(new Error(`capsim serve exited early with ${code}`)));
        const lines = createInterface({ input: child.stdout });
        lines.on("line", (line) => {
            const match = /^capsim serve: listening on (http:\/\/\S+)$/.exec(line);
            if (match) {
                child.removeAllListeners("exit");
                resolve({ child, endpoint: match[1] });
            }
        });
    });
}

function stopServer(child) {
    return new Promise((resolve) => {
        child.on("exit", (code, signal) => resolve({ code, signal }));
        child.kill("SIGTERM");
    });
}

async function session(endpoint) {
    const client = new DynamoDBClient({
        endpoint,
        region: "us-east-1",
        // The built-in key pair `capsim serve` prints at start (README, Server).
        credentials: { accessKeyId: "capsim", secretAccessKey: "capsim-local-secret" },
        maxAttempts: 3,
    });
    const doc = DynamoDBDocumentClient.from(client);
    const table = "Orders";

    // Create the table and wait for it, as applications do.
    const created = await client.send(new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [
            { AttributeName: "customer", AttributeType: "S" },
            { AttributeName: "order", AttributeType: "N" },
        ],
        KeySchema: [
            { AttributeName: "customer", KeyType: "HASH" },
            { AttributeName: "order", KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
    }));
    assert.equal(created.TableDescription.TableName, table);
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: table });
    const tables = await client.send(new ListTablesCommand({}));
    assert.ok(tables.TableNames.includes(table), "ListTables names the new table");

    // 100 items in batches of 25 (BatchWriteItem's limit), unprocessed items retried.
    for (let start = 0; start < 100; start += 25) {
        let requests = [];
        for (let i = start; i < start + 25; ++i) {
            const customer = `c${i % 4}`;
            requests.push({ PutRequest: { Item: { customer, order: i, amount: i * 1.5, tags: new Set(["new"]) } } });
        }
        for (let attempt = 0; requests.length > 0; ++attempt) {
            assert.ok(attempt < 10, "BatchWriteItem kept returning unprocessed items");
            const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
            requests = out.UnprocessedItems?.[table] ?? [];
        }
    }

    // Reads: a strong GetItem with its consumed capacity, a missing item.
    const got = await doc.send(new GetCommand({
        TableName: table, Key: { customer: "c1", order: 5 }, ConsistentRead: true, ReturnConsumedCapacity: "TOTAL",
    }));
    assert.equal(got.Item.amount, 7.5);
    assert.deepEqual([...got.Item.tags], ["new"]);
    assert.equal(got.ConsumedCapacity.CapacityUnits, 1);
    const missing = await doc.send(new GetCommand({ TableName: table, Key: { customer: "nobody", order: 1 } }));
    assert.equal(missing.Item, undefined);

    // Query with the paginator, 5 items a page: customer c2 has 25 orders.
    let pages = 0;
    let orders = [];
    for await (const page of paginateQuery({ client, pageSize: 5 }, {
        TableName: table,
        KeyConditionExpression: "customer = :c",
        ExpressionAttributeValues: { ":c": { S: "c2" } },
    })) {
        ++pages;
        orders.push(...page.Items.map((item) => Number(item.order.N)));
    }
    assert.equal(orders.length, 25);
    assert.ok(pages >= 5, `the paginator followed LastEvaluatedKey (${pages} pages)`);
    assert.deepEqual(orders, [...orders].sort((a, b) => a - b), "a query returns its items in sort-key order");
    // The document client's Query and a filtered Scan with the paginator.
    const big = await doc.send(new QueryCommand({
        TableName: table,
        KeyConditionExpression: "customer = :c AND #o >= :min",
        ExpressionAttributeNames: { "#o": "order" },
        ExpressionAttributeValues: { ":c": "c3", ":min": 50 },
        ScanIndexForward: false,
    }));
    assert.equal(big.Count, 13);
    assert.equal(big.Items[0].order, 99);
    let scanned = 0;
    for await (const page of paginateScan({ client, pageSize: 30 }, {
        TableName: table, FilterExpression: "amount > :t", ExpressionAttributeValues: { ":t": { N: "100" } },
    }))
        scanned += page.Count;
    assert.equal(scanned, 33, "orders 67..99 have a amount above 100");

    // An update returning the new value.
    const updated = await doc.send(new UpdateCommand({
        TableName: table, Key: { customer: "c0", order: 0 },
        UpdateExpression: "SET amount = amount + :d ADD tags :t",
        ExpressionAttributeValues: { ":d": 10, ":t": new Set(["paid"]) },
        ReturnValues: "UPDATED_NEW",
    }));
    assert.equal(updated.Attributes.amount, 10);
    assert.deepEqual([...updated.Attributes.tags].sort(), ["new", "paid"]);

    // A transaction: move one order to another customer atomically.
    await doc.send(new TransactWriteCommand({
        TransactItems: [
            { Delete: { TableName: table, Key: { customer: "c1", order: 1 }, ConditionExpression: "attribute_exists(customer)" } },
            { Put: { TableName: table, Item: { customer: "c9", order: 1, amount: 1.5 } } },
        ],
    }));
    const moved = await doc.send(new GetCommand({ TableName: table, Key: { customer: "c9", order: 1 }, ConsistentRead: true }));
    assert.equal(moved.Item.amount, 1.5);
    // The same transaction again is cancelled: the deleted order no longer exists.
    await assert.rejects(
        doc.send(new TransactWriteCommand({
            TransactItems: [
                { Delete: { TableName: table, Key: { customer: "c1", order: 1 }, ConditionExpression: "attribute_exists(customer)" } },
                { Put: { TableName: table, Item: { customer: "c9", order: 2, amount: 3 } } },
            ],
        })),
        (error) => error instanceof TransactionCanceledException
            && error.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed"
            && error.CancellationReasons?.[1]?.Code === "None");

    // A conditional put that fails.
    await assert.rejects(
        doc.send(new PutCommand({
            TableName: table, Item: { customer: "c0", order: 0 }, ConditionExpression: "attribute_not_exists(customer)",
        })),
        (error) => error instanceof ConditionalCheckFailedException && error.$metadata.httpStatusCode === 400);

    const description = await client.send(new DescribeTableCommand({ TableName: table }));
    assert.equal(description.Table.ItemCount >= 0, true);
    assert.equal(description.Table.BillingModeSummary.BillingMode, "PAY_PER_REQUEST");

    await throttledTable(client);

    await client.send(new DeleteTableCommand({ TableName: table }));
    await waitUntilTableNotExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: table });
    client.destroy();
}

// A provisioned table of 1 WCU written far faster than that: once its burst is spent the SDK's own
// retries (3 attempts) meet ProvisionedThroughputExceededException until they give up.
async function throttledTable(client) {
    const table = "Tiny";
    await client.send(new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    }));
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: table });
    // 300 s of burst at 1 WCU is 300 writes of 1 KB or less; 1,000 writes overrun it.
    let written = 0;
    let refused = null;
    for (let i = 0; i < 1000 && !refused; ++i) {
        try {
            await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: `k${i}` }, pad: { S: "x".repeat(900) } } }));
            ++written;
        } catch (error) {
            refused = error;
        }
    }
    assert.ok(refused instanceof ProvisionedThroughputExceededException,
        `expected ProvisionedThroughputExceededException, got ${refused?.name ?? "no error"} after ${written} writes`);
    assert.ok(refused.$metadata.attempts >= 2, "the SDK retried before giving up");
    assert.ok(written >= 250, `the burst absorbed the first writes (${written})`);
    console.log(`js: Tiny (1 WCU) accepted ${written} writes, then ${refused.name} after ${refused.$metadata.attempts} attempts`);
    await client.send(new UpdateTableCommand({
        TableName: table, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 5 },
    }));
    await client.send(new DeleteTableCommand({ TableName: table }));
}

const folder = mkdtempSync(join(tmpdir(), "capsim-js-"));
let server = null;
let failed = false;
try {
    server = await startServer(join(folder, "engine.sqlite"));
    await session(server.endpoint);
    console.log("js: session passed against " + server.endpoint);
} catch (error) {
    failed = true;
    console.error("js: session failed:", error);
} finally {
    if (server) {
        const stopped = await stopServer(server.child);
        if (stopped.code !== 0) {
            failed = true;
            console.error(`js: capsim serve stopped with ${stopped.code ?? stopped.signal}`);
        }
    }
    rmSync(folder, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
