#pragma once
// The AWS regions the studio offers for a scenario's `region`, a global table's replicas and a
// regionOutage (any other name may still be typed), and the DAX node types of reference A10.
// Header only (the editor and the views both use it); any thread.

#include <QStringList>

namespace capsim::studio {

inline QStringList awsRegions()
{
    return { QStringLiteral("us-east-1"), QStringLiteral("us-east-2"), QStringLiteral("us-west-1"),
        QStringLiteral("us-west-2"), QStringLiteral("ca-central-1"), QStringLiteral("sa-east-1"),
        QStringLiteral("eu-west-1"), QStringLiteral("eu-west-2"), QStringLiteral("eu-west-3"),
        QStringLiteral("eu-central-1"), QStringLiteral("eu-north-1"), QStringLiteral("eu-south-1"),
        QStringLiteral("ap-northeast-1"), QStringLiteral("ap-northeast-2"), QStringLiteral("ap-northeast-3"),
        QStringLiteral("ap-southeast-1"), QStringLiteral("ap-southeast-2"), QStringLiteral("ap-south-1"),
        QStringLiteral("me-south-1"), QStringLiteral("af-south-1") };
}

// Reference A10: t3.small, t3.medium, and the r5 sizes (memory and request budget x 2 per size).
inline QStringList daxNodeTypes()
{
    return { QStringLiteral("dax.t3.small"), QStringLiteral("dax.t3.medium"), QStringLiteral("dax.r5.large"),
        QStringLiteral("dax.r5.xlarge"), QStringLiteral("dax.r5.2xlarge"), QStringLiteral("dax.r5.4xlarge"),
        QStringLiteral("dax.r5.8xlarge"), QStringLiteral("dax.r5.12xlarge"), QStringLiteral("dax.r5.16xlarge"),
        QStringLiteral("dax.r5.24xlarge") };
}

} // namespace capsim::studio
