-- wrk script: a signed-size DynamoDB GetItem-shaped POST (the body the transports read).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.PutItem"
wrk.body = '{"TableName":"Bench","Item":{"pk":{"S":"k"},"p":{"S":"' .. string.rep("x", 990) .. '"}}}'
