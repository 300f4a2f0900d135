// `capsim serve` as an SDK sees it: raw HTTP/1.1 over a socket to the DynamoDB endpoint, in
// process (DynamoDbEndpoint + HttpServer on port 0) and as the `capsim serve` child process.

#include "app/server/dynamodb_endpoint.h"
#include "app/server/http_server.h"
#include "tests/support/cli_process.h"
#include "tests/support/serve_process.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using capsim::test::J;

namespace {

struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers; // names lower-cased
    std::string body;
    bool ok = false; // a whole response was read
    std::string header(const std::string& name) const
    {
        const auto found = headers.find(name);
        return found == headers.end() ? std::string() : found->second;
    }
};

// One client connection speaking HTTP/1.1 by hand, with a receive timeout so a missing answer
// fails the test instead of hanging it.
class Connection {
public:
    explicit Connection(std::uint16_t port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout { 20, 0 };
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~Connection() { ::close(m_fd); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool connected() const { return m_connected; }

    bool send(const std::string& bytes)
    {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const auto n = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    // Reads one response (status line, headers, Content-Length body unless `headOnly`: the
    // answer to HEAD).
    Reply read(bool headOnly = false)
    {
        Reply reply;
        std::size_t end;
        while ((end = m_buffer.find("\r\n\r\n")) == std::string::npos)
            if (!fill())
                return reply;
        const std::string head = m_buffer.substr(0, end);
        m_buffer.erase(0, end + 4);
        std::istringstream lines(head);
        std::string line;
        std::getline(lines, line);
        if (line.rfind("HTTP/1.1 ", 0) != 0)
            return reply;
        reply.status = std::stoi(line.substr(9, 3));
        while (std::getline(lines, line)) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            const auto colon = line.find(':');
            std::string name = line.substr(0, colon);
            for (auto& c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            reply.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        }
        const std::size_t length
            = !headOnly && reply.headers.count("content-length") ? std::stoul(reply.headers["content-length"]) : 0;
        while (m_buffer.size() < length)
            if (!fill())
                return reply;
        reply.body = m_buffer.substr(0, length);
        m_buffer.erase(0, length);
        reply.ok = true;
        return reply;
    }

    Reply request(const std::string& bytes) { return send(bytes) ? read() : Reply {}; }

    // True when the server has closed the connection (end of stream, nothing more sent).
    bool closedByServer() { return m_buffer.empty() && !fill(); }

private:
    bool fill()
    {
        char chunk[65536];
        const auto n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        m_buffer.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int m_fd = -1;
    bool m_connected = false;
    std::string m_buffer;
};

std::string post(const std::string& target, const std::string& body, const std::string& extraHeaders = {})
{
    std::string text = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n";
    if (!target.empty())
        text += "X-Amz-Target: " + target + "\r\n";
    text += extraHeaders;
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return text;
}

std::string dynamo(const std::string& operation, const std::string& body, const std::string& extraHeaders = {})
{
    return post("DynamoDB_20120810." + operation, J(body), extraHeaders);
}

std::string errorType(const Reply& reply)
{
    const auto body = capsim::test::parse(reply.body);
    const auto* type = body.as_object().if_contains("__type");
    if (!type)
        return {};
    const std::string text(type->as_string());
    return text.substr(text.find('#') + 1);
}

std::string crcOf(const std::string& body)
{
    return std::to_string(crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
}

const char* kCreateOrders
    = "{'TableName':'Orders','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},"
      "{'AttributeName':'sk','AttributeType':'N'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},"
      "{'AttributeName':'sk','KeyType':'RANGE'}],'BillingMode':'PAY_PER_REQUEST'}";

using capsim::test::ServeProcess;

capsim::server::HttpRequest apiRequest(const std::string& operation, const std::string& body)
{
    return { "POST", "/", { { "X-Amz-Target", "DynamoDB_20120810." + operation } }, J(body) };
}

const char* kCreateIds = "{'TableName':'Ids','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                         "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}";

std::string putId(const std::string& id, const std::string& condition = {})
{
    return "{'TableName':'Ids','Item':{'id':{'S':'" + id + "'},'v':{'S':'new'}}"
        + (condition.empty() ? std::string() : ",'ConditionExpression':'" + condition + "'") + "}";
}

// Answers of requests handed to DynamoDbEndpoint::handleAsync, by the order they were sent.
class Answers {
public:
    capsim::server::Respond slot(std::size_t index)
    {
        return [this, index](std::function<capsim::server::HttpResponse()> make) {
            capsim::server::HttpResponse response = make();
            std::lock_guard lock(m_mutex);
            m_responses[index] = std::move(response);
            m_changed.notify_all();
        };
    }
    bool waitFor(std::size_t count)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(20), [&] { return m_responses.size() >= count; });
    }
    const capsim::server::HttpResponse& operator[](std::size_t index)
    {
        std::lock_guard lock(m_mutex);
        return m_responses[index];
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<std::size_t, capsim::server::HttpResponse> m_responses;
};

// Holds the endpoint's executor inside the admission of a request with `gateKey` in its body
// until open(), so that the requests sent meanwhile are executed as one group.
class ExecutorGate {
public:
    void install(capsim::server::DynamoDbEndpoint& endpoint, std::function<void(capsim::Engine&)> onArm = {})
    {
        endpoint.setAdmission([this, onArm](std::string_view, const boost::json::value& request, capsim::Engine& engine,
                                  capsim::EngineTime) -> std::optional<capsim::WireResponse> {
            const std::string text = capsim::toJsonText(request);
            if (text.find("gate") != std::string::npos) {
                std::unique_lock lock(m_mutex);
                m_entered = true;
                m_changed.notify_all();
                m_changed.wait(lock, [&] { return m_open; });
            }
            if (onArm && text.find("arm") != std::string::npos)
                onArm(engine);
            return std::nullopt;
        });
    }
    bool waitEntered()
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(20), [&] { return m_entered; });
    }
    void open()
    {
        std::lock_guard lock(m_mutex);
        m_open = true;
        m_changed.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_entered = false;
    bool m_open = false;
};

std::string errorTypeOf(const capsim::server::HttpResponse& response)
{
    const auto body = capsim::test::parse(response.body);
    const auto* type = body.as_object().if_contains("__type");
    if (!type)
        return {};
    const std::string text(type->as_string());
    return text.substr(text.find('#') + 1);
}

} // namespace

class TestServer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<capsim::Engine> m_engine;
    std::unique_ptr<capsim::server::DynamoDbEndpoint> m_endpoint;
    std::unique_ptr<capsim::server::HttpServer> m_server;
    std::thread m_serving;
    std::uint16_t m_port = 0;

private slots:
    void initTestCase()
    {
        auto engine = capsim::Engine::open((m_dir.path() + "/served.sqlite").toStdString());
        QVERIFY(engine);
        m_engine = std::move(*engine);
        m_endpoint = std::make_unique<capsim::server::DynamoDbEndpoint>(
            *m_engine, capsim::server::ServeClock(1'796'378'400'000'000, 1.0), "us-east-1");
        m_server = std::make_unique<capsim::server::HttpServer>(*m_endpoint, 2);
        QVERIFY(m_server->listen("127.0.0.1", 0));
        m_port = m_server->port();
        QVERIFY(m_port != 0);
        m_serving = std::thread([this] { m_server->run(); });
    }

    void cleanupTestCase()
    {
        m_server->stop();
        m_serving.join();
    }

    void health()
    {
        Connection c(m_port);
        QVERIFY(c.connected());
        const Reply r = c.request("GET / HTTP/1.1\r\nHost: db.example:1234\r\n\r\n");
        QVERIFY(r.ok);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, std::string("healthy: db.example:1234"));
        QCOMPARE(r.header("x-amz-crc32"), crcOf(r.body));
        QCOMPARE(r.header("x-amzn-requestid").size(), std::size_t(52));
        const Reply withQuery = c.request("GET /?x=1 HTTP/1.1\r\nHost: h\r\n\r\n");
        QCOMPARE(withQuery.status, 200);
        QCOMPARE(withQuery.body, std::string("healthy: h"));
    }

    void otherPathsAreNotFound()
    {
        Connection c(m_port);
        QCOMPARE(c.request("GET /tables HTTP/1.1\r\nHost: h\r\n\r\n").status, 404);
        QCOMPARE(c.request("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}").status, 404);
        const Reply r = c.request("GET /favicon.ico HTTP/1.1\r\nHost: h\r\n\r\n");
        QCOMPARE(r.status, 404);
        QVERIFY(!r.header("x-amzn-requestid").empty());
    }

    // Several requests on one connection, each answered in turn, each with its own request id.
    void keepAlive()
    {
        Connection c(m_port);
        std::set<std::string> ids;
        for (int i = 0; i < 5; ++i) {
            const Reply r = c.request(i % 2 ? "GET / HTTP/1.1\r\nHost: h\r\n\r\n" : dynamo("ListTables", "{}"));
            QVERIFY2(r.ok, qPrintable(QString::number(i)));
            QCOMPARE(r.status, 200);
            QVERIFY(r.header("connection") != "close");
            ids.insert(r.header("x-amzn-requestid"));
        }
        QCOMPARE(ids.size(), std::size_t(5));
        // Two requests sent back to back (pipelined) are answered in order.
        QVERIFY(c.send(dynamo("ListTables", "{}") + "GET / HTTP/1.1\r\nHost: second\r\n\r\n"));
        QCOMPARE(c.read().status, 200);
        QCOMPARE(c.read().body, std::string("healthy: second"));
    }

    void requestIdsAreUnique()
    {
        std::set<std::string> ids;
        for (int connection = 0; connection < 4; ++connection) {
            Connection c(m_port);
            for (int i = 0; i < 50; ++i) {
                const std::string id = c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n").header("x-amzn-requestid");
                QCOMPARE(id.size(), std::size_t(52));
                QVERIFY(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == std::string::npos);
                ids.insert(id);
            }
        }
        QCOMPARE(ids.size(), std::size_t(200));
    }

    void responseHeaders()
    {
        Connection c(m_port);
        const Reply r = c.request(dynamo("ListTables", "{}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), std::string("application/x-amz-json-1.0"));
        QCOMPARE(r.header("x-amz-crc32"), crcOf(r.body));
        QCOMPARE(r.header("access-control-allow-origin"), std::string("*"));
        QVERIFY(r.header("access-control-expose-headers").find("x-amz-crc32") != std::string::npos);
        // An error's body is checksummed too.
        const Reply error = c.request(dynamo("DescribeTable", "{'TableName':'NoSuchTable'}"));
        QCOMPARE(error.status, 400);
        QCOMPARE(errorType(error), std::string("ResourceNotFoundException"));
        QCOMPARE(error.header("x-amz-crc32"), crcOf(error.body));
        QVERIFY(error.header("x-amz-crc32") != r.header("x-amz-crc32"));
    }

    void chunkedBody()
    {
        Connection c(m_port);
        const std::string body
            = J("{'TableName':'Chunked','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}");
        std::string text = "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: DynamoDB_20120810.CreateTable\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n";
        for (std::size_t at = 0; at < body.size(); at += 17) {
            const std::string piece = body.substr(at, 17);
            char size[16];
            std::snprintf(size, sizeof size, "%zx", piece.size());
            text += std::string(size) + "\r\n" + piece + "\r\n";
        }
        text += "0\r\n\r\n";
        const Reply r = c.request(text);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.find(J("'TableName':'Chunked'")) != std::string::npos);
        QCOMPARE(c.request(dynamo("DescribeTable", "{'TableName':'Chunked'}")).status, 200);
    }

    // Expect: 100-continue: the server says 100 Continue before the client sends the body.
    void expectContinue()
    {
        Connection c(m_port);
        const std::string body = J("{'TableName':'NoSuchTable','Key':{'id':{'S':'a'}}}");
        QVERIFY(
            c.send("POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nExpect: 100-continue\r\n"
                   "Content-Length: "
                + std::to_string(body.size()) + "\r\n\r\n"));
        const Reply interim = c.read();
        QCOMPARE(interim.status, 100);
        QVERIFY(c.send(body));
        const Reply r = c.read();
        QCOMPARE(r.status, 400);
        QCOMPARE(errorType(r), std::string("ResourceNotFoundException"));
    }

    void connectionClose()
    {
        Connection c(m_port);
        const Reply r = c.request("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("connection"), std::string("close"));
        QVERIFY(c.closedByServer());
        // HTTP/1.0 without keep-alive closes too.
        Connection old(m_port);
        QCOMPARE(old.request("GET / HTTP/1.0\r\nHost: h\r\n\r\n").status, 200);
        QVERIFY(old.closedByServer());
    }

    void bodyOver16MegabytesIs413()
    {
        // Declared: refused from the headers, before any body is sent.
        Connection declared(m_port);
        const Reply r = declared.request("POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n"
                                         "Content-Length: 16777217\r\n\r\n");
        QCOMPARE(r.status, 413);
        QCOMPARE(r.header("x-amz-crc32"), crcOf(r.body));
        QVERIFY(declared.closedByServer());
        // Chunked: refused once the body passes 16 MB.
        Connection chunked(m_port);
        const std::string chunk(1024 * 1024, 'x');
        std::string text = "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n";
        QVERIFY(chunked.send(text));
        for (int i = 0; i < 17; ++i)
            if (!chunked.send("100000\r\n" + chunk + "\r\n"))
                break; // the server may stop reading once it has answered
        chunked.send("0\r\n\r\n");
        QCOMPARE(chunked.read().status, 413);
        // Exactly 16 MB is accepted (and is not JSON).
        Connection limit(m_port);
        const Reply atLimit
            = limit.request(post("DynamoDB_20120810.PutItem", std::string(16 * 1024 * 1024, ' ') + "x"));
        QCOMPARE(atLimit.status, 413);
        Connection under(m_port);
        const Reply justUnder
            = under.request(post("DynamoDB_20120810.PutItem", std::string(16 * 1024 * 1024 - 1, ' ') + "x"));
        QCOMPARE(justUnder.status, 400);
        QCOMPARE(errorType(justUnder), std::string("SerializationException"));
    }

    void corsPreflight()
    {
        Connection c(m_port);
        const Reply r = c.request("OPTIONS / HTTP/1.1\r\nHost: h\r\nOrigin: http://app.example\r\n"
                                  "Access-Control-Request-Method: POST\r\n"
                                  "Access-Control-Request-Headers: content-type,x-amz-target,authorization\r\n\r\n");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("access-control-allow-origin"), std::string("*"));
        QCOMPARE(r.header("access-control-allow-methods"), std::string("POST"));
        QCOMPARE(r.header("access-control-allow-headers"), std::string("content-type,x-amz-target,authorization"));
        QCOMPARE(r.header("access-control-max-age"), std::string("172800"));
        QCOMPARE(r.body, std::string());
        // The connection stays usable.
        QCOMPARE(c.request(dynamo("ListTables", "{}")).status, 200);
    }

    void unknownOperation_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addRow("missing") << "";
        QTest::addRow("unknown operation") << "DynamoDB_20120810.Frobnicate";
        QTest::addRow("unknown version") << "DynamoDB_20111205.ListTables";
        QTest::addRow("streams operation on the DynamoDB prefix") << "DynamoDB_20120810.ListStreams";
        QTest::addRow("DynamoDB operation on the Streams prefix") << "DynamoDBStreams_20120810.ListTables";
        QTest::addRow("no operation") << "DynamoDB_20120810.";
    }

    void unknownOperation()
    {
        QFETCH(QString, target);
        Connection c(m_port);
        const Reply r = c.request(post(target.toStdString(), "{}"));
        QCOMPARE(r.status, 400);
        QCOMPARE(errorType(r), std::string("UnknownOperationException"));
    }

    void streamsTarget()
    {
        Connection c(m_port);
        const Reply r = c.request(post("DynamoDBStreams_20120810.ListStreams", "{}"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.find("Streams") != std::string::npos);
    }

    void serialization_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addRow("not json") << "{not json";
        QTest::addRow("truncated") << QString::fromStdString(J("{'TableName':"));
        QTest::addRow("empty") << "";
        QTest::addRow("wrong type") << QString::fromStdString(J("{'TableName':7}"));
    }

    void serialization()
    {
        QFETCH(QString, body);
        Connection c(m_port);
        const Reply r = c.request(post("DynamoDB_20120810.DescribeTable", body.toStdString()));
        QCOMPARE(r.status, 400);
        QCOMPARE(errorType(r), std::string("SerializationException"));
        QCOMPARE(c.request(dynamo("ListTables", "{}")).status, 200);
    }

    void headAndAbruptClients()
    {
        Connection c(m_port);
        QVERIFY(c.send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n"));
        const Reply head = c.read(true);
        QVERIFY(head.ok);
        QCOMPARE(head.status, 200);
        QCOMPARE(head.header("content-length"), std::string("10")); // "healthy: h", not sent
        QCOMPARE(head.body, std::string());
        // Clients that vanish mid-request (headers, then half a body) leave the server serving.
        {
            Connection partial(m_port);
            QVERIFY(partial.send("POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"));
        }
        {
            Connection partial(m_port);
            QVERIFY(partial.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n{\"a\""));
        }
        {
            Connection garbage(m_port);
            QVERIFY(garbage.send("NOT HTTP AT ALL\r\n\r\n"));
            QVERIFY(garbage.closedByServer());
        }
        QCOMPARE(c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status, 200);
    }

    void putGetQueryRoundTrip()
    {
        Connection c(m_port);
        QCOMPARE(c.request(dynamo("CreateTable", kCreateOrders)).status, 200);
        for (int i = 1; i <= 3; ++i) {
            const Reply put = c.request(dynamo("PutItem",
                "{'TableName':'Orders','Item':{'pk':{'S':'alice'},'sk':{'N':'" + std::to_string(i) + "'},'total':{'N':'"
                    + std::to_string(i * 10) + "'}}}"));
            QCOMPARE(put.status, 200);
            QCOMPARE(put.body, std::string("{}"));
        }
        const Reply get = c.request(dynamo("GetItem",
            "{'TableName':'Orders','Key':{'pk':{'S':'alice'},'sk':{'N':'2'}},"
            "'ReturnConsumedCapacity':'TOTAL'}"));
        QCOMPARE(get.status, 200);
        QCOMPARE(QString::fromStdString(get.body),
            capsim::test::Q("{'Item':{'pk':{'S':'alice'},'sk':{'N':'2'},'total':{'N':'20'}},"
                            "'ConsumedCapacity':{'TableName':'Orders','CapacityUnits':0.5,'ReadCapacityUnits':0.5,"
                            "'WriteCapacityUnits':0.0}}"));
        const Reply query = c.request(dynamo("Query",
            "{'TableName':'Orders','KeyConditionExpression':'pk = :p AND sk >= :s',"
            "'ExpressionAttributeValues':{':p':{'S':'alice'},':s':{'N':'2'}},'ScanIndexForward':false}"));
        QCOMPARE(query.status, 200);
        const auto result = capsim::test::parse(query.body).as_object();
        QCOMPARE(result.at("Count").as_int64(), 2);
        QCOMPARE(std::string(result.at("Items").as_array()[0].at("sk").at("N").as_string()), std::string("3"));
    }

    // 8 connections write at once; every item is there afterwards.
    void concurrentConnections()
    {
        {
            Connection c(m_port);
            QCOMPARE(
                c.request(dynamo("CreateTable",
                              "{'TableName':'Many','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                              "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}"))
                    .status,
                200);
        }
        constexpr int kConnections = 8;
        constexpr int kItems = 40;
        std::vector<int> failures(kConnections, 0);
        std::vector<std::thread> writers;
        for (int w = 0; w < kConnections; ++w) {
            writers.emplace_back([this, w, &failures] {
                Connection c(m_port);
                for (int i = 0; i < kItems; ++i) {
                    const Reply r = c.request(dynamo("PutItem",
                        "{'TableName':'Many','Item':{'id':{'S':'w" + std::to_string(w) + "-" + std::to_string(i)
                            + "'},'writer':{'N':'" + std::to_string(w) + "'}}}"));
                    if (r.status != 200)
                        ++failures[static_cast<std::size_t>(w)];
                }
            });
        }
        for (auto& writer : writers)
            writer.join();
        for (int w = 0; w < kConnections; ++w)
            QCOMPARE(failures[static_cast<std::size_t>(w)], 0);
        Connection c(m_port);
        const Reply count = c.request(dynamo("Scan", "{'TableName':'Many','Select':'COUNT'}"));
        QCOMPARE(count.status, 200);
        QCOMPARE(capsim::test::parse(count.body).at("Count").as_int64(), kConnections * kItems);
        for (int w = 0; w < kConnections; ++w) {
            const Reply get = c.request(dynamo("GetItem",
                "{'TableName':'Many','Key':{'id':{'S':'w" + std::to_string(w) + "-" + std::to_string(kItems - 1)
                    + "'}}}"));
            QVERIFY(get.body.find("\"writer\":{\"N\":\"" + std::to_string(w) + "\"}") != std::string::npos);
        }
    }

    // Group commit through the real server: 16 connections write at once, the executor commits
    // them in groups, and every acknowledged item is in the file when it is opened afresh.
    void groupCommitManyWriters()
    {
        const std::string path = (m_dir.path() + "/groups.sqlite").toStdString();
        constexpr int kConnections = 16;
        constexpr int kItems = 60;
        std::vector<std::vector<std::string>> acknowledged(kConnections);
        capsim::server::ExecutorStats stats;
        {
            auto engine = capsim::Engine::open(path);
            QVERIFY(engine);
            capsim::server::DynamoDbEndpoint endpoint(
                **engine, capsim::server::ServeClock(1'796'378'400'000'000, 1.0), "us-east-1");
            capsim::server::HttpServer server(endpoint, 2);
            QVERIFY(server.listen("127.0.0.1", 0));
            const std::uint16_t port = server.port();
            std::thread serving([&] { server.run(); });
            {
                Connection c(port);
                QCOMPARE(c.request(dynamo("CreateTable", kCreateIds)).status, 200);
            }
            std::vector<std::thread> writers;
            for (int w = 0; w < kConnections; ++w) {
                writers.emplace_back([&, w] {
                    Connection c(port);
                    for (int i = 0; i < kItems; ++i) {
                        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
                        if (c.request(dynamo("PutItem", putId(id))).status == 200)
                            acknowledged[static_cast<std::size_t>(w)].push_back(id);
                    }
                });
            }
            for (auto& writer : writers)
                writer.join();
            server.stop();
            serving.join();
            stats = endpoint.executorStats();
        }
        std::size_t total = 0;
        for (const auto& ids : acknowledged)
            total += ids.size();
        QCOMPARE(total, std::size_t(kConnections * kItems));
        // Grouping happened: fewer groups than requests.
        QVERIFY2(stats.largestGroup > 1, qPrintable(QString::number(stats.largestGroup)));
        QVERIFY(stats.groups < stats.requests);
        auto reopened = capsim::Engine::open(path);
        QVERIFY(reopened);
        capsim::Dispatcher dispatcher(**reopened);
        for (const auto& ids : acknowledged)
            for (const auto& id : ids) {
                const auto got = capsim::test::call(
                    dispatcher, "GetItem", J("{'TableName':'Ids','Key':{'id':{'S':'" + id + "'}}}"));
                QVERIFY2(got.body.as_object().contains("Item"), id.c_str());
            }
    }

    // One group mixing requests that fail (a condition, a validation error) with ones that
    // succeed: each is answered as if it ran alone, and only the failed ones leave no trace.
    void groupMixesFailuresWithSuccesses()
    {
        auto engine = capsim::Engine::open((m_dir.path() + "/mixed.sqlite").toStdString());
        QVERIFY(engine);
        capsim::server::DynamoDbEndpoint endpoint(
            **engine, capsim::server::ServeClock(1'796'378'400'000'000, 1.0), "us-east-1");
        ExecutorGate gate;
        gate.install(endpoint);
        QCOMPARE(endpoint.handle(apiRequest("CreateTable", kCreateIds)).status, 200);
        QCOMPARE(endpoint.handle(apiRequest("PutItem", "{'TableName':'Ids','Item':{'id':{'S':'old'},'v':{'S':'old'}}}"))
                     .status,
            200);
        Answers answers;
        endpoint.handleAsync(apiRequest("PutItem", putId("gate")), answers.slot(0));
        QVERIFY(gate.waitEntered());
        const auto before = endpoint.executorStats();
        // While the executor waits: new items, a conditional put on an existing item (fails),
        // one that is invalid (fails), more new items.
        const std::vector<std::pair<std::string, std::string>> group {
            { "PutItem", putId("a") },
            { "PutItem", putId("old", "attribute_not_exists(id)") },
            { "PutItem", "{'TableName':'Ids','Item':{'v':{'S':'no key'}}}" },
            { "PutItem", putId("b", "attribute_not_exists(id)") },
            { "DeleteItem", "{'TableName':'Ids','Key':{'id':{'S':'old'}},'ConditionExpression':'v = :x',"
                            "'ExpressionAttributeValues':{':x':{'S':'other'}}}" },
            { "GetItem", "{'TableName':'Ids','Key':{'id':{'S':'a'}}}" },
        };
        for (std::size_t i = 0; i < group.size(); ++i)
            endpoint.handleAsync(apiRequest(group[i].first, group[i].second), answers.slot(i + 1));
        gate.open();
        QVERIFY(answers.waitFor(group.size() + 1));
        const auto after = endpoint.executorStats();
        QCOMPARE(after.groups - before.groups, std::uint64_t(1)); // the six ran as one group
        QCOMPARE(after.largestGroup, std::uint64_t(group.size()));
        QCOMPARE(answers[0].status, 200);
        QCOMPARE(answers[1].status, 200);
        QCOMPARE(errorTypeOf(answers[2]), std::string("ConditionalCheckFailedException"));
        QCOMPARE(errorTypeOf(answers[3]), std::string("ValidationException"));
        QCOMPARE(answers[4].status, 200);
        QCOMPARE(errorTypeOf(answers[5]), std::string("ConditionalCheckFailedException"));
        // A read in the group sees the group's earlier writes.
        QVERIFY(answers[6].body.find("\"new\"") != std::string::npos);
        for (const char* id : { "gate", "a", "b" }) {
            const auto got = endpoint.handle(apiRequest("GetItem", "{'TableName':'Ids','Key':{'id':{'S':'" + std::string(id) + "'}}}"));
            QVERIFY2(got.body.find("\"new\"") != std::string::npos, id);
        }
        const auto old = endpoint.handle(apiRequest("GetItem", "{'TableName':'Ids','Key':{'id':{'S':'old'}}}"));
        QVERIFY(old.body.find("\"v\":{\"S\":\"old\"}") != std::string::npos);
    }

    // A group whose commit fails acknowledges none of its requests, nothing of it is in the
    // file, and the endpoint refuses everything after (its engine is ahead of the file).
    void failedGroupCommitAcknowledgesNothing()
    {
        const std::string path = (m_dir.path() + "/failed.sqlite").toStdString();
        std::vector<std::string> failures;
        {
            auto engine = capsim::Engine::open(path);
            QVERIFY(engine);
            capsim::server::DynamoDbEndpoint endpoint(
                **engine, capsim::server::ServeClock(1'796'378'400'000'000, 1.0), "us-east-1");
            ExecutorGate gate;
            // Armed on the executor, inside the group whose commit is to fail.
            gate.install(endpoint, [](capsim::Engine& served) { served.failNextGroupCommit(); });
            endpoint.setStorageFailure([&](const capsim::Status& failure) { failures.push_back(failure.message()); });
            QCOMPARE(endpoint.handle(apiRequest("CreateTable", kCreateIds)).status, 200);
            Answers answers;
            endpoint.handleAsync(apiRequest("PutItem", putId("gate")), answers.slot(0));
            QVERIFY(gate.waitEntered());
            const std::vector<std::string> ids { "x1", "arm", "x2", "x3" };
            for (std::size_t i = 0; i < ids.size(); ++i)
                endpoint.handleAsync(apiRequest("PutItem", putId(ids[i])), answers.slot(i + 1));
            endpoint.handleAsync(apiRequest("GetItem", "{'TableName':'Ids','Key':{'id':{'S':'x1'}}}"), answers.slot(5));
            gate.open();
            QVERIFY(answers.waitFor(6));
            QCOMPARE(answers[0].status, 200); // the gate's own group committed
            for (std::size_t i = 1; i <= 5; ++i) {
                QCOMPARE(answers[i].status, 500);
                QCOMPARE(errorTypeOf(answers[i]), std::string("InternalServerError"));
            }
            QCOMPARE(failures.size(), std::size_t(1));
            QVERIFY2(failures[0].find("injected group commit failure") != std::string::npos, failures[0].c_str());
            // From then on nothing is executed.
            const auto later = endpoint.handle(apiRequest("PutItem", putId("later")));
            QCOMPARE(later.status, 500);
            QVERIFY(!endpoint.saveClock());
        }
        auto reopened = capsim::Engine::open(path);
        QVERIFY(reopened);
        capsim::Dispatcher dispatcher(**reopened);
        const auto has = [&](const std::string& id) {
            return capsim::test::call(dispatcher, "GetItem", J("{'TableName':'Ids','Key':{'id':{'S':'" + id + "'}}}"))
                .body.as_object()
                .contains("Item");
        };
        QVERIFY(has("gate"));
        for (const char* id : { "x1", "arm", "x2", "x3", "later" })
            QVERIFY2(!has(id), id);
    }

    // A header block over 64 KB is answered (431), then the connection is closed.
    void headerOver64KilobytesIs431()
    {
        Connection c(m_port);
        const Reply r = c.request(
            "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n");
        QVERIFY(r.ok);
        QCOMPARE(r.status, 431);
        QCOMPARE(r.header("connection"), std::string("close"));
        QVERIFY(c.closedByServer());
    }

    // The SigV4 credential scope's region picks the tables (reference A11), else the default.
    void regionFromCredentialScope()
    {
        Connection c(m_port);
        const std::string table
            = "{'TableName':'Regional','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
              "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'BillingMode':'PAY_PER_REQUEST'}";
        const std::string signedInEu
            = "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261204/eu-west-1/dynamodb/"
              "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00\r\n";
        const Reply created = c.request(dynamo("CreateTable", table, signedInEu));
        QCOMPARE(created.status, 200);
        QVERIFY(created.body.find("arn:aws:dynamodb:eu-west-1:") != std::string::npos);
        QCOMPARE(c.request(dynamo("DescribeTable", "{'TableName':'Regional'}", signedInEu)).status, 200);
        const Reply unsigned_ = c.request(dynamo("DescribeTable", "{'TableName':'Regional'}"));
        QCOMPARE(unsigned_.status, 400);
        QCOMPARE(errorType(unsigned_), std::string("ResourceNotFoundException"));
    }

    void credentialScopeRegion_data()
    {
        QTest::addColumn<QString>("authorization");
        QTest::addColumn<QString>("region");
        QTest::addRow("sigv4") << "AWS4-HMAC-SHA256 Credential=AKID/20261204/ap-south-1/dynamodb/aws4_request, "
                                  "SignedHeaders=host, Signature=ab"
                               << "ap-south-1";
        QTest::addRow("no spaces")
            << "AWS4-HMAC-SHA256 Credential=AKID/20261204/us-west-2/dynamodb/aws4_request,SignedHeaders=host"
            << "us-west-2";
        QTest::addRow("too few parts") << "AWS4-HMAC-SHA256 Credential=AKID/20261204/dynamodb/aws4_request"
                                       << "";
        QTest::addRow("too many parts") << "AWS4-HMAC-SHA256 Credential=AKID/20261204/x/us-west-2/dynamodb/aws4_request"
                                        << "";
        QTest::addRow("empty region") << "AWS4-HMAC-SHA256 Credential=AKID/20261204//dynamodb/aws4_request"
                                      << "";
        QTest::addRow("no credential") << "Bearer abc"
                                       << "";
    }

    void credentialScopeRegion()
    {
        QFETCH(QString, authorization);
        QFETCH(QString, region);
        QCOMPARE(QString::fromStdString(capsim::server::credentialScopeRegion(authorization.toStdString())), region);
    }

    // A batch is admitted item by item, as DynamoDB throttles it: refused items come back in
    // UnprocessedItems / UnprocessedKeys (in the request's own form) and the others run; only a
    // batch with no admitted item answers the throttling error. (The admission here refuses
    // every item whose key starts with "hot".)
    void batchesThrottledItemByItem()
    {
        auto memory = capsim::Engine::open(":memory:");
        QVERIFY(memory);
        capsim::server::DynamoDbEndpoint endpoint(
            **memory, capsim::server::ServeClock(1'796'378'400'000'000, 1.0), "us-east-1");
        std::vector<std::string> charged;
        endpoint.setAdmission([](std::string_view, const boost::json::value& request, capsim::Engine&,
                                  capsim::EngineTime) -> std::optional<capsim::WireResponse> {
            const std::string text = boost::json::serialize(request);
            if (text.find("\"hot") == std::string::npos)
                return std::nullopt;
            return capsim::Dispatcher::errorResponse(
                capsim::Status("ProvisionedThroughputExceededException", "hot partition"));
        });
        endpoint.setCharge([&](std::string_view operation, const boost::json::value& request,
                               const capsim::WireResponse&, capsim::Engine&, capsim::EngineTime) {
            if (const auto* items = request.as_object().if_contains("RequestItems"))
                charged.push_back(std::string(operation) + " " + boost::json::serialize(*items));
        });
        const auto call = [&](const std::string& operation, const std::string& body) {
            capsim::server::HttpRequest request { "POST", "/",
                { { "X-Amz-Target", "DynamoDB_20120810." + operation } }, body };
            return endpoint.handle(request);
        };
        const auto created = call("CreateTable",
            R"({"TableName":"Tbl","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
            R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
        QVERIFY2(created.status == 200, created.body.c_str());
        const auto written = call("BatchWriteItem",
            R"({"RequestItems":{"Tbl":[{"PutRequest":{"Item":{"pk":{"S":"cold1"}}}},)"
            R"({"PutRequest":{"Item":{"pk":{"S":"hot1"}}}},{"PutRequest":{"Item":{"pk":{"S":"cold2"}}}}]}})");
        QCOMPARE(written.status, 200);
        const auto answer = capsim::test::parse(written.body);
        QCOMPARE(boost::json::serialize(answer.at("UnprocessedItems")),
            std::string(R"({"Tbl":[{"PutRequest":{"Item":{"pk":{"S":"hot1"}}}}]})"));
        // Only the admitted items ran, and only they were charged.
        QCOMPARE(charged.back(),
            std::string(R"(BatchWriteItem {"Tbl":[{"PutRequest":{"Item":{"pk":{"S":"cold1"}}}},)"
                        R"({"PutRequest":{"Item":{"pk":{"S":"cold2"}}}}]})"));
        const auto got = call("BatchGetItem",
            R"({"RequestItems":{"Tbl":{"Keys":[{"pk":{"S":"cold1"}},{"pk":{"S":"hot1"}},{"pk":{"S":"cold2"}}],)"
            R"("ConsistentRead":true}}})");
        QCOMPARE(got.status, 200);
        const auto read = capsim::test::parse(got.body);
        QCOMPARE(read.at("Responses").at("Tbl").as_array().size(), std::size_t(2));
        QCOMPARE(boost::json::serialize(read.at("UnprocessedKeys")),
            std::string(R"({"Tbl":{"Keys":[{"pk":{"S":"hot1"}}],"ConsistentRead":true}})"));
        // No item admitted: the batch fails whole, nothing runs.
        const std::size_t chargesBefore = charged.size();
        const auto refused = call("BatchWriteItem",
            R"({"RequestItems":{"Tbl":[{"PutRequest":{"Item":{"pk":{"S":"hot2"}}}}]}})");
        QCOMPARE(refused.status, 400);
        QVERIFY2(refused.body.find("ProvisionedThroughputExceededException") != std::string::npos, refused.body.c_str());
        QCOMPARE(charged.size(), chargesBefore);
        const auto scan = capsim::test::parse(call("Scan", R"({"TableName":"Tbl","Select":"COUNT"})").body);
        QCOMPARE(scan.at("Count").to_number<int>(), 2);
        // A batch admission cannot split is left to the engine whole.
        QCOMPARE(call("BatchWriteItem", R"({"RequestItems":"nope"})").status, 400);
    }

    // Hooks run around dispatch (authentication, live capacity); a refusal reaches the client.
    void hooksRunAroundDispatch()
    {
        auto memory = capsim::Engine::open(":memory:");
        QVERIFY(memory);
        capsim::server::DynamoDbEndpoint endpoint(
            **memory, capsim::server::ServeClock(1'796'378'400'000'000, 1.0), "us-east-1");
        std::vector<std::string> calls;
        endpoint.setAuthenticator([&](const capsim::server::HttpRequest& request,
                                      capsim::Authorizer&) -> std::optional<capsim::WireResponse> {
            calls.push_back("auth");
            if (!capsim::server::headerValue(request, "Authorization"))
                return capsim::Dispatcher::errorResponse(
                    capsim::Status("MissingAuthenticationTokenException", "no token"));
            return std::nullopt;
        });
        endpoint.setAdmission([&](std::string_view operation, const boost::json::value&, capsim::Engine&,
                                  capsim::EngineTime) -> std::optional<capsim::WireResponse> {
            calls.push_back("admit " + std::string(operation));
            return std::nullopt;
        });
        endpoint.setCharge(
            [&](std::string_view operation, const boost::json::value&, const capsim::WireResponse& response,
                capsim::Engine&, capsim::EngineTime) {
                calls.push_back("charge " + std::string(operation) + " " + std::to_string(response.httpStatus));
            });
        capsim::server::HttpRequest request { "POST", "/", { { "X-Amz-Target", "DynamoDB_20120810.ListTables" } },
            "{}" };
        const auto refused = endpoint.handle(request);
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.body.find("MissingAuthenticationTokenException") != std::string::npos);
        request.headers.emplace_back(
            "authorization", "AWS4-HMAC-SHA256 Credential=K/20261204/us-east-1/dynamodb/aws4_request");
        QCOMPARE(endpoint.handle(request).status, 200);
        QCOMPARE(calls, (std::vector<std::string> { "auth", "auth", "admit ListTables", "charge ListTables 200" }));
    }

    // The clock runs at --speed and never behind the database's.
    void serveClock()
    {
        const capsim::server::ServeClock fast(1'000'000, 1000.0);
        const capsim::EngineTime first = fast.now();
        QVERIFY(first >= 1'000'000);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        QVERIFY(fast.now() - first >= 20'000'000); // 20 ms × 1000 = at least 20 s of engine time
    }

    // The child process: listening line, bad arguments, SIGTERM, and an acknowledged write
    // surviving kill -9.
    void serveProcess()
    {
        const QString db = m_dir.path() + "/process.sqlite";
        double createdAt = 0;
        {
            ServeProcess serve;
            QVERIFY(serve.start({ "--db", db }));
            Connection c(serve.port);
            const Reply created = c.request(dynamo("CreateTable", kCreateOrders));
            QCOMPARE(created.status, 200);
            createdAt
                = capsim::test::parse(created.body).at("TableDescription").at("CreationDateTime").to_number<double>();
            QCOMPARE(c.request(dynamo("PutItem",
                                   "{'TableName':'Orders','Item':{'pk':{'S':'k'},'sk':{'N':'1'},'v':{'S':'kept'}}}"))
                         .status,
                200);
            serve.process.kill(); // SIGKILL, right after the acknowledgement
            QVERIFY(serve.process.waitForFinished(10000));
        }
        // The clock was kept with the acknowledged CreateTable: the database refuses an earlier time.
        const auto earlier = capsim::test::runCapsim(
            { "call", "--db", db, "--now", QString::number(createdAt - 1, 'f', 3), "ListTables" });
        QCOMPARE(earlier.exitCode, 2);
        QVERIFY2(earlier.err.contains("earlier than the database's latest time"), qPrintable(earlier.err));
        {
            ServeProcess serve;
            QVERIFY(serve.start({ "--db", db }));
            Connection c(serve.port);
            const Reply get
                = c.request(dynamo("GetItem", "{'TableName':'Orders','Key':{'pk':{'S':'k'},'sk':{'N':'1'}}}"));
            QCOMPARE(get.status, 200);
            QVERIFY(get.body.find("kept") != std::string::npos);
            serve.process.terminate(); // SIGTERM
            QVERIFY(serve.process.waitForFinished(10000));
            QCOMPARE(serve.process.exitStatus(), QProcess::NormalExit);
            QCOMPARE(serve.process.exitCode(), 0);
        }
    }

    // Time never goes backwards across restarts: a database whose clock is ahead of the wall
    // clock (year 2100) is served from its time on.
    void clockStartsFromTheDatabase()
    {
        const QString db = m_dir.path() + "/future.sqlite";
        QCOMPARE(capsim::test::runCapsim({ "call", "--db", db, "--now", "4102444800", "ListTables" }).exitCode, 0);
        ServeProcess serve;
        QVERIFY(serve.start({ "--db", db, "--speed", "2" }));
        Connection c(serve.port);
        const Reply created = c.request(dynamo("CreateTable", kCreateOrders));
        QCOMPARE(created.status, 200);
        const auto creation
            = capsim::test::parse(created.body).at("TableDescription").at("CreationDateTime").to_number<double>();
        QVERIFY2(creation >= 4102444800.0, qPrintable(QString::number(creation, 'f')));
        ::kill(static_cast<pid_t>(serve.process.processId()), SIGINT);
        QVERIFY(serve.process.waitForFinished(10000));
        QCOMPARE(serve.process.exitCode(), 0);
        // The stopped server kept its clock: an earlier --now is refused.
        const auto earlier = capsim::test::runCapsim({ "call", "--db", db, "--now", "4102444800", "ListTables" });
        QCOMPARE(earlier.exitCode, 2);
    }

    // Without --no-auth every request is verified against the built-in key pair, which the
    // server prints; an unsigned request is refused before it runs.
    void verifiesSignaturesByDefault()
    {
        ServeProcess serve;
        QVERIFY(serve.start({}, false));
        // Both lines are printed together; the key pair's may arrive in a second read.
        while (!serve.firstLines.contains("secret access key") && serve.process.waitForReadyRead(10000))
            serve.firstLines += QString::fromUtf8(serve.process.readAllStandardOutput());
        QVERIFY2(serve.firstLines.contains("access key id capsim, secret access key capsim-local-secret"),
            qPrintable(serve.firstLines));
        Connection c(serve.port);
        const Reply unsigned_ = c.request(dynamo("ListTables", "{}"));
        QCOMPARE(unsigned_.status, 400);
        QVERIFY2(unsigned_.body.find("com.amazon.coral.service#MissingAuthenticationTokenException")
                != std::string::npos,
            unsigned_.body.c_str());
        const Reply badlySigned = c.request("POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                                            "X-Amz-Date: 20261206T120000Z\r\nAuthorization: AWS4-HMAC-SHA256 "
                                            "Credential=nobody/20261206/us-east-1/dynamodb/aws4_request, "
                                            "SignedHeaders=host;x-amz-date, Signature=00\r\nContent-Length: 2\r\n\r\n{}");
        QCOMPARE(badlySigned.status, 400);
        QVERIFY2(badlySigned.body.find("UnrecognizedClientException") != std::string::npos, badlySigned.body.c_str());
        serve.process.terminate();
        QVERIFY(serve.process.waitForFinished(10000));
        QCOMPARE(serve.process.exitCode(), 0);
    }

    // Capacity is enforced live: a 1 WCU table takes its burst (300 s of capacity, reference A3)
    // and then refuses writes with ProvisionedThroughputExceededException, which runs nothing.
    void throttlesAProvisionedTable()
    {
        ServeProcess serve;
        QVERIFY(serve.start({}));
        Connection c(serve.port);
        QCOMPARE(c.request(dynamo("CreateTable",
                               "{'TableName':'Tiny','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                               "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
                               "'ProvisionedThroughput':{'ReadCapacityUnits':1,'WriteCapacityUnits':1}}"))
                     .status,
            200);
        int accepted = 0;
        Reply refused;
        for (int i = 0; i < 2000 && refused.status != 400; ++i) {
            const Reply r = c.request(dynamo("PutItem",
                "{'TableName':'Tiny','Item':{'id':{'S':'k" + std::to_string(i) + "'}}}"));
            if (r.status == 200)
                ++accepted;
            else
                refused = r;
        }
        QCOMPARE(refused.status, 400);
        QVERIFY2(refused.body.find("ProvisionedThroughputExceededException") != std::string::npos,
            refused.body.c_str());
        QVERIFY2(accepted >= 300, qPrintable(QString::number(accepted)));
        // The refused write ran nothing: the table holds exactly the accepted items.
        const Reply scan = c.request(dynamo("Scan", "{'TableName':'Tiny','Select':'COUNT'}"));
        QCOMPARE(scan.status, 200);
        QCOMPARE(capsim::test::parse(scan.body).at("Count").to_number<int>(), accepted);
        serve.process.terminate();
        QVERIFY(serve.process.waitForFinished(10000));
    }

    // GET /capsim/live (a capsim extension): without a live view it is 404 like any other path;
    // with one, the hook runs with the query's `since` (0 when absent) and its JSON is answered
    // as application/json; a `since` that is not a whole Unix second is 400.
    void liveViewHook_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("status");
        QTest::addColumn<qint64>("since");
        QTest::addRow("no query") << "/capsim/live" << 200 << qint64(0);
        QTest::addRow("since") << "/capsim/live?since=1796378400" << 200 << qint64(1796378400);
        QTest::addRow("since among others") << "/capsim/live?x=1&since=42&y" << 200 << qint64(42);
        QTest::addRow("since not a number") << "/capsim/live?since=soon" << 400 << qint64(-1);
        QTest::addRow("since negative") << "/capsim/live?since=-5" << 400 << qint64(-1);
        QTest::addRow("since decimal") << "/capsim/live?since=1.5" << 400 << qint64(-1);
        QTest::addRow("other path") << "/capsim/other" << 404 << qint64(-1);
    }

    void liveViewHook()
    {
        QFETCH(QString, target);
        QFETCH(int, status);
        QFETCH(qint64, since);
        auto memory = capsim::Engine::open(":memory:");
        QVERIFY(memory);
        capsim::server::DynamoDbEndpoint endpoint(
            **memory, capsim::server::ServeClock(1'796'378'400'000'000, 1.0), "us-east-1");
        const capsim::server::HttpRequest request { "GET", target.toStdString(), { { "Host", "h" } }, "" };
        QCOMPARE(endpoint.handle(request).status, target.startsWith("/capsim/live") ? 404 : status);
        qint64 seen = -1;
        endpoint.setLiveView([&](const capsim::Engine&, std::int64_t sinceSecond) -> boost::json::value {
            seen = sinceSecond;
            return boost::json::object { { "now", 7 } };
        });
        const auto response = endpoint.handle(request);
        QCOMPARE(response.status, status);
        QCOMPARE(seen, since);
        if (status == 200) {
            QCOMPARE(response.body, std::string("{\"now\":7}"));
            const auto type = std::find_if(response.headers.begin(), response.headers.end(),
                [](const auto& h) { return h.first == "Content-Type"; });
            QVERIFY(type != response.headers.end());
            QCOMPARE(type->second, std::string("application/json"));
        } else if (status == 400) {
            QVERIFY2(response.body.find("is not a Unix time") != std::string::npos, response.body.c_str());
        }
    }

    // `capsim serve` answers /capsim/live with every region's tables (and GSIs) from the engine and
    // the units and throttles per second LiveCapacity recorded; `since` drops older seconds.
    void liveViewOfTheServer()
    {
        const auto text = [](const boost::json::value& v) { return QString::fromUtf8(v.as_string().c_str()); };
        ServeProcess serve;
        QVERIFY(serve.start({}));
        Connection c(serve.port);
        QCOMPARE(c.request(dynamo("CreateTable",
                               "{'TableName':'Tiny','AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'},"
                               "{'AttributeName':'g','AttributeType':'S'}],"
                               "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
                               "'GlobalSecondaryIndexes':[{'IndexName':'byG','KeySchema':[{'AttributeName':'g',"
                               "'KeyType':'HASH'}],'Projection':{'ProjectionType':'KEYS_ONLY'},"
                               "'ProvisionedThroughput':{'ReadCapacityUnits':3,'WriteCapacityUnits':4}}],"
                               "'ProvisionedThroughput':{'ReadCapacityUnits':1,'WriteCapacityUnits':1}}"))
                     .status,
            200);
        const std::string eu = "Authorization: AWS4-HMAC-SHA256 Credential=K/20261206/eu-west-1/dynamodb/aws4_request, "
                               "SignedHeaders=host, Signature=00\r\n";
        QCOMPARE(c.request(dynamo("CreateTable", kCreateOrders, eu)).status, 200);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 2000 && refused < 5; ++i) {
            const Reply r = c.request(dynamo("PutItem",
                "{'TableName':'Tiny','Item':{'id':{'S':'k" + std::to_string(i) + "'},'g':{'S':'x'}}}"));
            (r.status == 200 ? accepted : refused)++;
        }
        QCOMPARE(refused, 5);
        const Reply r = c.request("GET /capsim/live HTTP/1.1\r\nHost: h\r\n\r\n");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), std::string("application/json"));
        const auto view = capsim::test::parse(r.body).as_object();
        const std::int64_t now = view.at("now").to_number<std::int64_t>();
        QVERIFY(std::abs(now - static_cast<std::int64_t>(std::time(nullptr))) <= 5);
        const auto& tables = view.at("tables").as_array();
        QCOMPARE(tables.size(), std::size_t(2));
        // Ordered by region, then name.
        QCOMPARE(text(tables[0].at("region")), QStringLiteral("eu-west-1"));
        QCOMPARE(text(tables[0].at("name")), QStringLiteral("Orders"));
        QCOMPARE(text(tables[0].at("billingMode")), QStringLiteral("PAY_PER_REQUEST"));
        const auto& tiny = tables[1].as_object();
        QCOMPARE(text(tiny.at("region")), QStringLiteral("us-east-1"));
        QCOMPARE(text(tiny.at("name")), QStringLiteral("Tiny"));
        QCOMPARE(text(tiny.at("billingMode")), QStringLiteral("PROVISIONED"));
        QCOMPARE(tiny.at("readCapacity").to_number<int>(), 1);
        QCOMPARE(tiny.at("writeCapacity").to_number<int>(), 1);
        QCOMPARE(tiny.at("writeRateInForce").to_number<double>(), 1.0);
        QCOMPARE(tiny.at("partitions").to_number<int>(), 1);
        QCOMPARE(tiny.at("itemCount").to_number<int>(), accepted);
        QVERIFY(tiny.at("sizeBytes").to_number<std::int64_t>() > 0);
        const auto& gsi = tiny.at("indexes").as_array().at(0).as_object();
        QCOMPARE(text(gsi.at("name")), QStringLiteral("byG"));
        QCOMPARE(gsi.at("readCapacity").to_number<int>(), 3);
        QCOMPARE(gsi.at("writeCapacity").to_number<int>(), 4);
        QCOMPARE(gsi.at("itemCount").to_number<int>(), accepted);
        // Per second: the table's units sum to one per accepted write, its throttles to the refusals.
        double writeUnits = 0;
        std::int64_t writeThrottles = 0;
        std::int64_t first = -1;
        for (const auto& second : view.at("seconds").as_array()) {
            if (text(second.at("table")) != QStringLiteral("Tiny"))
                continue;
            QCOMPARE(text(second.at("region")), QStringLiteral("us-east-1"));
            if (first < 0)
                first = second.at("second").to_number<std::int64_t>();
            writeUnits += second.at("writeUnits").to_number<double>();
            writeThrottles += second.at("writeThrottles").to_number<std::int64_t>();
        }
        QCOMPARE(writeUnits, double(accepted));
        QCOMPARE(writeThrottles, std::int64_t(refused));
        QVERIFY(first > 0 && first <= now);
        const Reply later
            = c.request("GET /capsim/live?since=" + std::to_string(now + 1) + " HTTP/1.1\r\nHost: h\r\n\r\n");
        QCOMPARE(later.status, 200);
        QVERIFY(capsim::test::parse(later.body).at("seconds").as_array().empty());
        serve.process.terminate();
        QVERIFY(serve.process.waitForFinished(10000));
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("port not a number") << QStringList { "--port", "http" } << "--port 'http'";
        QTest::addRow("port too large") << QStringList { "--port", "65536" } << "--port '65536'";
        QTest::addRow("port missing value") << QStringList { "--port" } << "--port needs a value";
        QTest::addRow("speed zero") << QStringList { "--speed", "0" } << "--speed '0'";
        QTest::addRow("speed negative") << QStringList { "--speed=-2" } << "--speed '-2'";
        QTest::addRow("speed text") << QStringList { "--speed", "fast" } << "--speed 'fast'";
        QTest::addRow("host not an address")
            << QStringList { "--host", "localhost.invalid" } << "--host 'localhost.invalid'";
        QTest::addRow("auth file missing")
            << QStringList { "--auth", "/nonexistent/policies.json" } << "--auth /nonexistent/policies.json";
        QTest::addRow("auth empty") << QStringList { "--auth=" } << "--auth needs a file";
        QTest::addRow("auth and no-auth") << QStringList { "--auth", "p.json", "--no-auth" } << "--auth and --no-auth";
        QTest::addRow("unknown option") << QStringList { "--verbose" } << "unknown option '--verbose'";
        QTest::addRow("threads") << QStringList { "--threads", "0" } << "--threads '0'";
        QTest::addRow("db empty") << QStringList { "--db=" } << "--db needs a path";
        QTest::addRow("db folder") << QStringList { "--db", QDir::tempPath() } << "is a folder";
    }

    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = capsim::test::runCapsim(QStringList { "serve", "--port", "0" } + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(!r.out.contains("listening"));
    }
};

QTEST_GUILESS_MAIN(TestServer)
#include "tst_server.moc"
