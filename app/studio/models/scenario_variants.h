#pragma once
// "What if" variants of a scenario for the Compare view (issue 10): the same scenario JSON with
// one change, run next to the base. The variant differs from the base only in that change and its
// `name` (suffixed, so the two runs are told apart in Compare). Pure functions; any thread.

#include <QString>

namespace capsim::studio {

struct ScenarioVariant {
    QString json; // the variant's scenario (empty on error)
    QString error; // why no variant could be made
    QString summary; // what changed, in words
};

// "Add DAX?": tables[<table>].dax = {"nodeType":"dax.r5.large","nodes":3} (the contract's
// example; TTLs at their defaults). Error when the scenario has no such table or the table
// already has a cluster. An empty `table` picks the first table.
ScenarioVariant daxVariant(const QString& scenarioJson, const QString& table);

// "Add a region?": one more region in tables[<table>].replicas: the first of
// us-west-2, eu-west-1, ap-northeast-1, eu-central-1, ap-southeast-2, us-east-1, us-east-2 (then
// the other known regions) that is neither the scenario's region nor already a replica.
ScenarioVariant regionVariant(const QString& scenarioJson, const QString& table);

} // namespace capsim::studio
