#pragma once
// PartitionsPage: the studio's Partitions view of a run (see issue 4). GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class PartitionsPage : public ResultPage {
    Q_OBJECT
public:
    explicit PartitionsPage(QWidget* parent = nullptr);
    ~PartitionsPage() override;

    QString title() const override { return tr("Partitions"); }
    QString fileStem() const override { return QStringLiteral("partitions"); }
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
