// AccessControl end to end, as `capsim serve` will use it: a signed HTTP request goes through
// authenticate(), then a real Dispatcher on a temporary engine with authorizer() installed.
// Unsigned, wrongly signed, skewed and unknown-key requests are refused before the engine is
// touched; allowed requests run; denials (by action, by resource, by dynamodb:LeadingKeys, by an
// explicit deny over an allow) answer AccessDeniedException in Part C 15's words and change nothing.

#include "app/server/auth/access_control.h"

#include "engine/json_writer.h"
#include "tests/support/wire.h"

#include <QtTest>

using namespace capsim;
using namespace capsim::server;
using capsim::test::J;
using Clock = std::chrono::system_clock;

namespace {

const Clock::time_point kWallNow
    = std::chrono::sys_days(std::chrono::year(2026) / std::chrono::December / 6) + std::chrono::hours(18);

std::string policy(const std::string& statements)
{
    return "{'Version':'2012-10-17','Statement':[" + statements + "]}";
}

const std::string kConfig = J("{'accountId':'123456789012','region':'us-east-1','principals':["
                              "{'name':'admin','accessKeyId':'AKADMIN','secretAccessKey':'admin-secret','policies':["
    + policy("{'Effect':'Allow','Action':'dynamodb:*','Resource':'*'}")
    + "]},"
      "{'name':'alice','accessKeyId':'AKALICE','secretAccessKey':'alice-secret','policies':["
    + policy("{'Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:PutItem','dynamodb:BatchGetItem'],"
             "'Resource':'arn:aws:dynamodb:*:123456789012:table/Orders',"
             "'Condition':{'ForAllValues:StringEquals':{'dynamodb:LeadingKeys':['${aws:username}']}}},"
             "{'Effect':'Allow','Action':['dynamodb:DescribeTable','dynamodb:ListTables'],'Resource':'*'}")
    + ","
    + policy("{'Effect':'Allow','Action':'dynamodb:*','Resource':'arn:aws:dynamodb:*:*:table/Scratch'},"
             "{'Effect':'Deny','Action':'dynamodb:DeleteTable','Resource':'*'}")
    + "]},"
      "{'name':'bob','accessKeyId':'AKBOB','secretAccessKey':'bob-secret','policies':[]}]}");

std::string table(const std::string& name)
{
    return J("{'TableName':'" + name
        + "','BillingMode':'PAY_PER_REQUEST','AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],"
          "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}");
}

// A request as an SDK sends it, signed with `secret` at `signedAt` for `region`.
HttpRequest signedRequest(const std::string& operation, const std::string& body, const std::string& accessKey,
    const std::string& secret, const std::string& region = "us-east-1", Clock::time_point signedAt = kWallNow)
{
    HttpRequest r { "POST", "/",
        { { "Host", "127.0.0.1:8000" }, { "Content-Type", "application/x-amz-json-1.0" },
            { "X-Amz-Target", "DynamoDB_20120810." + operation }, { "X-Amz-Date", sigv4::isoBasic(signedAt) } },
        body };
    const std::string date = sigv4::isoBasic(signedAt).substr(0, 8);
    const std::vector<std::string> signedHeaders { "content-type", "host", "x-amz-date", "x-amz-target" };
    const std::string scope = date + "/" + region + "/dynamodb/aws4_request";
    const std::string signature = sigv4::signature(sigv4::signingKey(secret, date, region, "dynamodb"),
        sigv4::stringToSign(sigv4::isoBasic(signedAt), scope, sigv4::canonicalRequest(r, signedHeaders)));
    r.headers.emplace_back("Authorization",
        "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
            + ", SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + signature);
    return r;
}

QString messageOf(const WireResponse& r)
{
    const auto& o = r.body.as_object();
    const auto* m = o.if_contains("Message") ? o.if_contains("Message") : o.if_contains("message");
    return m ? QString::fromStdString(std::string(m->as_string())) : QString();
}

} // namespace

class TestAccessControl : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::optional<AccessControl> m_access;

    // What the server does with one request: authenticate, choose the region, authorize, dispatch.
    WireResponse serve(const HttpRequest& request, Clock::time_point wallNow = kWallNow)
    {
        const Authentication auth = m_access->authenticate(request, wallNow);
        if (!auth.ok())
            return AccessControl::errorResponse(auth.error);
        m_engine->setRegion(auth.identity->region);
        m_dispatcher->setAuthorizer(m_access->authorizer(*auth.identity));
        const auto target = *sigv4::header(request, "X-Amz-Target");
        const std::string operation = target.substr(target.find('.') + 1);
        return m_dispatcher->dispatch(operation, test::parse(request.body), 0);
    }

    bool itemExists(const std::string& tableName, const std::string& pk)
    {
        m_engine->setRegion("us-east-1");
        m_dispatcher->setAuthorizer({});
        auto r = test::call(*m_dispatcher, "GetItem",
            J("{'TableName':'" + tableName + "','ConsistentRead':true,'Key':{'pk':{'S':'" + pk + "'}}}"));
        return r.body.as_object().contains("Item");
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(m_dir.filePath("engine.sqlite"));
        m_engine = std::move(Engine::open(m_dir.filePath("engine.sqlite").toStdString())).value();
        m_dispatcher = std::make_unique<Dispatcher>(*m_engine);
        std::string error;
        auto config = AuthConfig::fromJsonText(kConfig, error);
        QVERIFY2(config, error.c_str());
        m_access.emplace(std::move(*config));
        for (const char* name : { "Orders", "Scratch", "Other" })
            QVERIFY(!test::call(*m_dispatcher, "CreateTable", table(name)).isError());
        QVERIFY(
            !test::call(*m_dispatcher, "PutItem", J("{'TableName':'Orders','Item':{'pk':{'S':'alice'},'v':{'N':'1'}}}"))
                 .isError());
    }

    void cleanup()
    {
        m_dispatcher.reset();
        m_engine.reset();
    }

    void requests_data()
    {
        QTest::addColumn<QString>("who"); // access key; "unsigned", "wrong secret", "skewed" tweak alice's
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("errorType"); // empty: success
        QTest::addColumn<QString>("message");
        const QString denied = "AccessDeniedException";
        const QString getAlice = test::Q("{'TableName':'Orders','Key':{'pk':{'S':'alice'}}}");
        QTest::addRow("unsigned") << "unsigned"
                                  << "GetItem" << getAlice << "MissingAuthenticationTokenException"
                                  << "Request is missing Authentication Token";
        QTest::addRow("wrongly signed")
            << "wrong secret"
            << "GetItem" << getAlice << "InvalidSignatureException"
            << "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
               "Access Key and signing method. Consult the service documentation for details.";
        QTest::addRow("skewed") << "skewed"
                                << "GetItem" << getAlice << "InvalidSignatureException"
                                << "Signature expired: 20261206T174400Z is now earlier than 20261206T174500Z "
                                   "(20261206T180000Z - 15 min.)";
        QTest::addRow("unknown key") << "AKNOBODY"
                                     << "GetItem" << getAlice << "UnrecognizedClientException"
                                     << "The security token included in the request is invalid.";
        QTest::addRow("allowed") << "AKALICE"
                                 << "GetItem" << getAlice << ""
                                 << "";
        QTest::addRow("allowed, another statement") << "AKALICE"
                                                    << "ListTables"
                                                    << "{}"
                                                    << ""
                                                    << "";
        QTest::addRow("admin") << "AKADMIN"
                               << "GetItem" << test::Q("{'TableName':'Orders','Key':{'pk':{'S':'bob'}}}") << ""
                               << "";
        QTest::addRow("denied by action")
            << "AKALICE"
            << "Scan" << test::Q("{'TableName':'Orders'}") << denied
            << "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: dynamodb:Scan on resource: "
               "arn:aws:dynamodb:us-east-1:123456789012:table/Orders because no identity-based policy allows the "
               "dynamodb:Scan action";
        QTest::addRow("denied by resource")
            << "AKALICE"
            << "GetItem" << test::Q("{'TableName':'Other','Key':{'pk':{'S':'alice'}}}") << denied
            << "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: dynamodb:GetItem on resource: "
               "arn:aws:dynamodb:us-east-1:123456789012:table/Other because no identity-based policy allows the "
               "dynamodb:GetItem action";
        QTest::addRow("denied by LeadingKeys")
            << "AKALICE"
            << "GetItem" << test::Q("{'TableName':'Orders','Key':{'pk':{'S':'bob'}}}") << denied
            << "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: dynamodb:GetItem on resource: "
               "arn:aws:dynamodb:us-east-1:123456789012:table/Orders because no identity-based policy allows the "
               "dynamodb:GetItem action";
        QTest::addRow("batch: one key of another user")
            << "AKALICE"
            << "BatchGetItem"
            << test::Q("{'RequestItems':{'Orders':{'Keys':[{'pk':{'S':'alice'}},{'pk':{'S':'bob'}}]}}}") << denied
            << "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: dynamodb:BatchGetItem on "
               "resource: arn:aws:dynamodb:us-east-1:123456789012:table/Orders because no identity-based policy allows "
               "the dynamodb:BatchGetItem action";
        QTest::addRow("batch: own keys") << "AKALICE"
                                         << "BatchGetItem"
                                         << test::Q("{'RequestItems':{'Orders':{'Keys':[{'pk':{'S':'alice'}}]}}}") << ""
                                         << "";
        QTest::addRow("deny overriding allow")
            << "AKALICE"
            << "DeleteTable" << test::Q("{'TableName':'Scratch'}") << denied
            << "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: dynamodb:DeleteTable on "
               "resource: arn:aws:dynamodb:us-east-1:123456789012:table/Scratch with an explicit deny in an "
               "identity-based policy";
        QTest::addRow("allowed by the same policy")
            << "AKALICE"
            << "PutItem" << test::Q("{'TableName':'Scratch','Item':{'pk':{'S':'x'}}}") << ""
            << "";
        QTest::addRow("transaction: ConditionCheckItem not allowed")
            << "AKALICE"
            << "TransactWriteItems"
            << test::Q("{'TransactItems':[{'Put':{'TableName':'Orders','Item':{'pk':{'S':'alice'}}}},"
                       "{'ConditionCheck':{'TableName':'Orders','Key':{'pk':{'S':'alice'}},"
                       "'ConditionExpression':'attribute_exists(pk)'}}]}")
            << denied
            << "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: dynamodb:ConditionCheckItem on "
               "resource: arn:aws:dynamodb:us-east-1:123456789012:table/Orders because no identity-based policy allows "
               "the dynamodb:ConditionCheckItem action";
        QTest::addRow("transaction: own item") << "AKALICE"
                                               << "TransactWriteItems"
                                               << test::Q("{'TransactItems':[{'Put':{'TableName':'Orders','Item':"
                                                          "{'pk':{'S':'alice'},'v':{'N':'2'}}}}]}")
                                               << ""
                                               << "";
        QTest::addRow("no policies") << "AKBOB"
                                     << "ListTables"
                                     << "{}" << denied
                                     << "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: "
                                        "dynamodb:ListTables on resource: * because no identity-based policy allows "
                                        "the dynamodb:ListTables action";
    }

    void requests()
    {
        QFETCH(QString, who);
        QFETCH(QString, operation);
        QFETCH(QString, body);
        QFETCH(QString, errorType);
        QFETCH(QString, message);
        const std::string op = operation.toStdString();
        const std::string text = body.toStdString();
        HttpRequest request;
        Clock::time_point wallNow = kWallNow;
        if (who == "unsigned") {
            request = signedRequest(op, text, "AKALICE", "alice-secret");
            std::erase_if(request.headers, [](const auto& h) { return h.first == "Authorization"; });
        } else if (who == "wrong secret") {
            request = signedRequest(op, text, "AKALICE", "alice-secreT");
        } else if (who == "skewed") {
            request = signedRequest(
                op, text, "AKALICE", "alice-secret", "us-east-1", kWallNow - std::chrono::seconds(16 * 60));
        } else {
            const std::string key = who.toStdString();
            const std::string secret = key == "AKADMIN" ? "admin-secret"
                : key == "AKBOB"                        ? "bob-secret"
                                                        : "alice-secret";
            request = signedRequest(op, text, key, secret);
        }
        const WireResponse r = serve(request, wallNow);
        QCOMPARE(QString::fromStdString(r.errorType), errorType);
        if (!errorType.isEmpty()) {
            QCOMPARE(r.httpStatus, 400);
            QCOMPARE(QString::fromStdString(std::string(r.body.as_object().at("__type").as_string())),
                "com.amazon.coral.service#" + errorType);
            QCOMPARE(messageOf(r), message);
        }
    }

    void deniedWriteChangesNothing()
    {
        auto r = serve(
            signedRequest("PutItem", J("{'TableName':'Orders','Item':{'pk':{'S':'bob'}}}"), "AKALICE", "alice-secret"));
        QCOMPARE(QString::fromStdString(r.errorType), QString("AccessDeniedException"));
        QVERIFY(!itemExists("Orders", "bob"));
        r = serve(
            signedRequest("PutItem", J("{'TableName':'Orders','Item':{'pk':{'S':'bob'}}}"), "AKADMIN", "admin-secret"));
        QVERIFY(!r.isError());
        QVERIFY(itemExists("Orders", "bob"));
        // A refused signature runs nothing either.
        r = serve(
            signedRequest("DeleteItem", J("{'TableName':'Orders','Key':{'pk':{'S':'bob'}}}"), "AKADMIN", "wrong"));
        QCOMPARE(QString::fromStdString(r.errorType), QString("InvalidSignatureException"));
        QVERIFY(itemExists("Orders", "bob"));
    }

    void regionFromTheCredentialScope()
    {
        const auto auth = m_access->authenticate(
            signedRequest("Scan", J("{'TableName':'Orders'}"), "AKALICE", "alice-secret", "eu-west-1"), kWallNow);
        QVERIFY(auth.ok());
        QCOMPARE(QString::fromStdString(auth.identity->region), QString("eu-west-1"));
        const auto r
            = serve(signedRequest("Scan", J("{'TableName':'Orders'}"), "AKALICE", "alice-secret", "eu-west-1"));
        QCOMPARE(messageOf(r),
            QString(
                "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: dynamodb:Scan on resource: "
                "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders because no identity-based policy allows the "
                "dynamodb:Scan action"));
    }

    void builtInAllowsEverything()
    {
        m_access.emplace(AccessControl::builtIn());
        auto r = serve(signedRequest("DeleteTable", J("{'TableName':'Other'}"), "capsim", "capsim-local-secret"));
        QVERIFY2(!r.isError(), qPrintable(test::text(r)));
        r = serve(signedRequest("ListTables", "{}", "AKADMIN", "admin-secret"));
        QCOMPARE(QString::fromStdString(r.errorType), QString("UnrecognizedClientException"));
    }
};

QTEST_GUILESS_MAIN(TestAccessControl)
#include "tst_access_control.moc"
