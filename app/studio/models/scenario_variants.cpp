#include "app/studio/models/scenario_variants.h"

#include "app/studio/models/aws_regions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QObject>

namespace capsim::studio {

namespace {

struct Parsed {
    QJsonObject scenario;
    QJsonArray tables;
    int index = -1;
    QString error;
};

Parsed parse(const QString& scenarioJson, const QString& table)
{
    Parsed p;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(scenarioJson.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        p.error = QObject::tr("The scenario is not valid JSON: fix it in the editor first.");
        return p;
    }
    p.scenario = doc.object();
    p.tables = p.scenario.value(QStringLiteral("tables")).toArray();
    for (qsizetype i = 0; i < p.tables.size(); ++i) {
        const QString name = p.tables.at(i).toObject().value(QStringLiteral("name")).toString();
        if (table.isEmpty() ? p.tables.at(i).isObject() : name == table) {
            p.index = static_cast<int>(i);
            break;
        }
    }
    if (p.index < 0)
        p.error = table.isEmpty() ? QObject::tr("The scenario has no table.")
                                  : QObject::tr("The scenario has no table named %1.").arg(table);
    return p;
}

QString finish(Parsed& p, const QJsonObject& table, const QString& suffix)
{
    p.tables.replace(p.index, table);
    p.scenario.insert(QStringLiteral("tables"), p.tables);
    p.scenario.insert(QStringLiteral("name"), p.scenario.value(QStringLiteral("name")).toString() + suffix);
    return QString::fromUtf8(QJsonDocument(p.scenario).toJson(QJsonDocument::Indented));
}

} // namespace

ScenarioVariant daxVariant(const QString& scenarioJson, const QString& table)
{
    ScenarioVariant v;
    Parsed p = parse(scenarioJson, table);
    if (!p.error.isEmpty()) {
        v.error = p.error;
        return v;
    }
    QJsonObject t = p.tables.at(p.index).toObject();
    const QString name = t.value(QStringLiteral("name")).toString();
    if (t.contains(QStringLiteral("dax"))) {
        v.error = QObject::tr("%1 already has a DAX cluster.").arg(name);
        return v;
    }
    t.insert(QStringLiteral("dax"),
        QJsonObject { { QStringLiteral("nodeType"), QStringLiteral("dax.r5.large") }, { QStringLiteral("nodes"), 3 } });
    v.json = finish(p, t, QStringLiteral(" + DAX"));
    v.summary = QObject::tr("%1 reads through a 3-node dax.r5.large cluster").arg(name);
    return v;
}

ScenarioVariant regionVariant(const QString& scenarioJson, const QString& table)
{
    ScenarioVariant v;
    Parsed p = parse(scenarioJson, table);
    if (!p.error.isEmpty()) {
        v.error = p.error;
        return v;
    }
    QJsonObject t = p.tables.at(p.index).toObject();
    const QString name = t.value(QStringLiteral("name")).toString();
    const QJsonValue existing = t.value(QStringLiteral("replicas"));
    if (!existing.isUndefined() && !existing.isArray()) {
        v.error = QObject::tr("%1's replicas is not a list of regions: fix it in the editor first.").arg(name);
        return v;
    }
    QJsonArray replicas = existing.toArray();
    QString home = p.scenario.value(QStringLiteral("region")).toString();
    if (home.isEmpty())
        home = QStringLiteral("us-east-1");
    QStringList candidates { QStringLiteral("us-west-2"), QStringLiteral("eu-west-1"), QStringLiteral("ap-northeast-1"),
        QStringLiteral("eu-central-1"), QStringLiteral("ap-southeast-2"), QStringLiteral("us-east-1"),
        QStringLiteral("us-east-2") };
    for (const QString& r : awsRegions())
        if (!candidates.contains(r))
            candidates << r;
    QString chosen;
    for (const QString& r : candidates)
        if (r != home && !replicas.contains(QJsonValue(r))) {
            chosen = r;
            break;
        }
    if (chosen.isEmpty()) {
        v.error = QObject::tr("%1 already has a replica in every known region.").arg(name);
        return v;
    }
    replicas.append(chosen);
    t.insert(QStringLiteral("replicas"), replicas);
    v.json = finish(p, t, QStringLiteral(" + ") + chosen);
    v.summary = QObject::tr("%1 gets a replica in %2").arg(name, chosen);
    if (t.value(QStringLiteral("billingMode")).toString() == QLatin1String("PROVISIONED")
        && !t.value(QStringLiteral("autoScaling")).toObject().contains(QStringLiteral("write")))
        v.summary += QObject::tr(" (note: DynamoDB refuses a replica of a provisioned table without write auto scaling)");
    return v;
}

} // namespace capsim::studio
