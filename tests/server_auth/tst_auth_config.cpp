// The `--auth FILE` document (contracts/cli.md, README.md, Server, Authentication and access): the README's
// example and the built-in configuration read as documented; every bad field is refused with an
// error naming it, all at once; duplicate access keys are refused.

#include "app/server/auth/auth_config.h"

#include "tests/support/wire.h"

#include <QtTest>

#include <fstream>
#include <sstream>

using namespace capsim::server;
using capsim::test::J;

namespace {

const std::string kPolicy
    = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'dynamodb:*','Resource':'*'}]}";

// A document with two principals whose second one's fields are `second` (JSON, single quotes).
std::string twoPrincipals(const std::string& second)
{
    return J("{'accountId':'123456789012','region':'us-east-1','principals':[{'name':'alice','accessKeyId':'AK1',"
             "'secretAccessKey':'s1','policies':["
        + kPolicy + "]}," + second + "]}");
}

// The README's example: the first ```json block after README.md's "The `--auth FILE` document".
std::string readmeExample()
{
    std::ifstream in(CAPSIM_SOURCE_DIR "/README.md");
    std::stringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    const auto start = all.find("```json\n", all.find("The `--auth FILE` document"));
    const auto end = all.find("```", start + 8);
    if (start == std::string::npos || end == std::string::npos)
        qFatal("README.md has no ```json block after \"The `--auth FILE` document\"");
    return all.substr(start + 8, end - start - 8);
}

} // namespace

class TestAuthConfig : public QObject {
    Q_OBJECT

private slots:
    void builtIn()
    {
        const AuthConfig config = AuthConfig::builtIn();
        QCOMPARE(QString::fromStdString(config.accountId), QString("000000000000"));
        QCOMPARE(config.principals.size(), std::size_t(1));
        const Principal* p = config.principalByAccessKey("capsim");
        QVERIFY(p);
        QCOMPARE(QString::fromStdString(p->secretAccessKey), QString("capsim-local-secret"));
        QCOMPARE(QString::fromStdString(config.principalArn(*p)), QString("arn:aws:iam::000000000000:user/capsim"));
        QCOMPARE(evaluate(p->policies,
                     { "dynamodb:DeleteTable", "arn:aws:dynamodb:eu-west-1:000000000000:table/T", "capsim", {} }),
            Decision::Allow);
        QCOMPARE(evaluate(p->policies, { "s3:GetObject", "arn:aws:s3:::b/k", "capsim", {} }), Decision::ImplicitDeny);
        QVERIFY(!config.principalByAccessKey("other"));
    }

    void readmeExampleReads()
    {
        std::string error;
        const auto config = AuthConfig::fromJsonText(readmeExample(), error);
        QVERIFY2(config, error.c_str());
        QCOMPARE(QString::fromStdString(config->accountId), QString("123456789012"));
        QCOMPARE(QString::fromStdString(config->region), QString("us-east-1"));
        QCOMPARE(config->principals.size(), std::size_t(2));
        const Principal* alice = config->principalByAccessKey("AKIAALICE0000000001");
        QVERIFY(alice);
        QCOMPARE(QString::fromStdString(config->principalArn(*alice)), QString("arn:aws:iam::123456789012:user/alice"));
        QCOMPARE(alice->policies.at(0).statements.size(), std::size_t(3));
        const std::string orders = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders";
        QCOMPARE(evaluate(alice->policies,
                     { "dynamodb:GetItem", orders, "alice", { { "dynamodb:LeadingKeys", { "alice" } } } }),
            Decision::Allow);
        QCOMPARE(evaluate(alice->policies,
                     { "dynamodb:GetItem", orders, "alice", { { "dynamodb:LeadingKeys", { "bob" } } } }),
            Decision::ImplicitDeny);
        QCOMPARE(evaluate(alice->policies,
                     { "dynamodb:GetItem", orders, "alice",
                         { { "dynamodb:LeadingKeys", { "alice" } }, { "dynamodb:Attributes", { "pk", "salary" } } } }),
            Decision::ExplicitDeny);
        QCOMPARE(evaluate(alice->policies, { "dynamodb:Scan", orders, "alice", {} }), Decision::ImplicitDeny);
    }

    void fromFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("auth.json").toStdString();
        {
            std::ofstream out(path);
            out << readmeExample();
        }
        std::string error;
        QVERIFY2(AuthConfig::fromFile(path, error), error.c_str());
        QVERIFY(!AuthConfig::fromFile(path + ".missing", error));
        QCOMPARE(QString::fromStdString(error),
            QString::fromStdString("cannot read " + path + ".missing: no such file or not readable"));
        {
            std::ofstream out(path);
            out << "{\"accountId\":\"1\"}";
        }
        QVERIFY(!AuthConfig::fromFile(path, error));
        QVERIFY2(error.starts_with(path + ":\n"), error.c_str());
    }

    void errors_data()
    {
        QTest::addColumn<QString>("document");
        QTest::addColumn<QString>("error");
        auto doc = [](const std::string& text) { return QString::fromStdString(J(text)); };
        const std::string okPrincipal = "{'name':'alice','accessKeyId':'AK1','secretAccessKey':'s','policies':[]}";
        QTest::addRow("not JSON") << "{\"accountId\":"
                                  << "not JSON";
        QTest::addRow("not an object") << "[]"
                                       << "the document must be an object {\"accountId\",\"region\",\"principals\"}";
        QTest::addRow("missing accountId")
            << doc("{'region':'us-east-1','principals':[" + okPrincipal + "]}") << "accountId: missing";
        QTest::addRow("accountId not 12 digits")
            << doc("{'accountId':'12345678901','region':'us-east-1','principals':[" + okPrincipal + "]}")
            << "accountId: '12345678901' is not a 12-digit AWS account id";
        QTest::addRow("accountId a number")
            << doc("{'accountId':123456789012,'region':'us-east-1','principals':[" + okPrincipal + "]}")
            << "accountId: must be a non-empty string";
        QTest::addRow("bad region") << doc("{'accountId':'123456789012','region':'US East','principals':[" + okPrincipal
            + "]}") << "region: 'US East' is not a region name (like us-east-1)";
        QTest::addRow("unknown top-level field")
            << doc("{'accountId':'123456789012','region':'us-east-1','users':[],'principals':[" + okPrincipal + "]}")
            << "users: unknown field (the document has accountId, region, principals)";
        QTest::addRow("no principals") << doc("{'accountId':'123456789012','region':'us-east-1','principals':[]}")
                                       << "principals: must be a non-empty list";
        QTest::addRow("principal not an object")
            << doc("{'accountId':'123456789012','region':'us-east-1','principals':[1]}")
            << "principals[0]: must be an object {\"name\",\"accessKeyId\",\"secretAccessKey\",\"policies\"}";
        QTest::addRow("missing accessKeyId")
            << QString::fromStdString(twoPrincipals("{'name':'bob','secretAccessKey':'s','policies':[]}"))
            << "principals[1].accessKeyId: missing";
        QTest::addRow("empty secret") << QString::fromStdString(
            twoPrincipals("{'name':'bob','accessKeyId':'AK2','secretAccessKey':'','policies':[]}"))
                                      << "principals[1].secretAccessKey: must be a non-empty string";
        QTest::addRow("duplicate access key")
            << QString::fromStdString(
                   twoPrincipals("{'name':'bob','accessKeyId':'AK1','secretAccessKey':'s','policies':[]}"))
            << "principals[1].accessKeyId: 'AK1' is already principals[0]'s access key";
        QTest::addRow("duplicate name") << QString::fromStdString(
            twoPrincipals("{'name':'alice','accessKeyId':'AK2','secretAccessKey':'s','policies':[]}"))
                                        << "principals[1].name: 'alice' is already principals[0]'s name";
        QTest::addRow("access key with a slash")
            << QString::fromStdString(
                   twoPrincipals("{'name':'bob','accessKeyId':'AK/2','secretAccessKey':'s','policies':[]}"))
            << "principals[1].accessKeyId: 'AK/2' may not contain spaces, control characters, '/', ',' or '='";
        QTest::addRow("bad user name")
            << QString::fromStdString(
                   twoPrincipals("{'name':'bob smith','accessKeyId':'AK2','secretAccessKey':'s','policies':[]}"))
            << "principals[1].name: 'bob smith' is not an IAM user name (1 to 64 letters, digits and + = , . @ _ -)";
        QTest::addRow("unknown principal field")
            << QString::fromStdString(twoPrincipals(
                   "{'name':'bob','accessKeyId':'AK2','secretAccessKey':'s','password':'x','policies':[]}"))
            << "principals[1].password: unknown field (a principal has name, accessKeyId, secretAccessKey, policies)";
        QTest::addRow("policies missing")
            << QString::fromStdString(twoPrincipals("{'name':'bob','accessKeyId':'AK2','secretAccessKey':'s'}"))
            << "principals[1].policies: missing (a list of IAM policy documents)";
        auto withStatement = [](const std::string& statement) {
            return QString::fromStdString(twoPrincipals(
                "{'name':'bob','accessKeyId':'AK2','secretAccessKey':'s','policies':[{'Version':'2012-10-17','Statement':["
                "{'Effect':'Allow','Action':'*','Resource':'*'},"
                + statement + "]}]}"));
        };
        QTest::addRow("bad Effect") << withStatement("{'Effect':'allow','Action':'*','Resource':'*'}")
                                    << "principals[1].policies[0].Statement[1].Effect: must be \"Allow\" or \"Deny\"";
        QTest::addRow("Action and NotAction")
            << withStatement("{'Effect':'Allow','Action':'*','NotAction':'s3:*','Resource':'*'}")
            << "principals[1].policies[0].Statement[1]: needs exactly one of Action and NotAction";
        QTest::addRow("no Resource")
            << withStatement("{'Effect':'Allow','Action':'*'}")
            << "principals[1].policies[0].Statement[1]: needs exactly one of Resource and NotResource";
        QTest::addRow("Action not a string")
            << withStatement("{'Effect':'Allow','Action':['dynamodb:GetItem',3],'Resource':'*'}")
            << "principals[1].policies[0].Statement[1].Action[1]: must be a string";
        QTest::addRow("Principal")
            << withStatement("{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}")
            << "principals[1].policies[0].Statement[1].Principal: an identity-based policy names no principal (the policy applies to its principal)";
        QTest::addRow("unsupported operator")
            << withStatement(
                   "{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'NumericLessThan':{'a:b':'1'}}}")
            << "principals[1].policies[0].Statement[1].Condition.NumericLessThan: unsupported condition operator (capsim knows StringEquals, StringNotEquals, StringLike, StringNotLike with IfExists, ForAllValues: and ForAnyValue:, and Null)";
        QTest::addRow("Null with a qualifier")
            << withStatement(
                   "{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'ForAllValues:Null':{'a:b':'true'}}}")
            << "principals[1].policies[0].Statement[1].Condition.ForAllValues:Null: unsupported condition operator (capsim knows StringEquals, StringNotEquals, StringLike, StringNotLike with IfExists, ForAllValues: and ForAnyValue:, and Null)";
        QTest::addRow("condition value an object")
            << withStatement(
                   "{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'StringEquals':{'a:b':{'x':1}}}}")
            << "principals[1].policies[0].Statement[1].Condition.StringEquals.a:b: must be a string";
        QTest::addRow("bad Version") << QString::fromStdString(twoPrincipals(
            "{'name':'bob','accessKeyId':'AK2','secretAccessKey':'s','policies':[{'Version':'2012-10-18','Statement':[]}]}"))
                                     << "principals[1].policies[0].Version: must be \"2012-10-17\" or \"2008-10-17\"";
        QTest::addRow("every error at once")
            << doc("{'accountId':'x','region':'us-east-1','principals':[{'name':'a','accessKeyId':'K','secretAccessKey':'s',"
                   "'policies':[{'Statement':{'Effect':'Maybe','Action':'*','Resource':'*'}}]}]}")
            << "accountId: 'x' is not a 12-digit AWS account id\nprincipals[0].policies[0].Statement.Effect: must be \"Allow\" or \"Deny\"";
    }

    void errors()
    {
        QFETCH(QString, document);
        QFETCH(QString, error);
        std::string message;
        QVERIFY(!AuthConfig::fromJsonText(document.toStdString(), message));
        if (error == "not JSON")
            QVERIFY2(message.starts_with("not JSON: "), message.c_str());
        else
            QCOMPARE(QString::fromStdString(message), error);
    }
};

QTEST_GUILESS_MAIN(TestAuthConfig)
#include "tst_auth_config.moc"
