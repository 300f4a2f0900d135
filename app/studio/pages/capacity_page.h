#pragma once
// CapacityPage: the studio's Capacity view of a run (see issue 4). GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class CapacityPage : public ResultPage {
    Q_OBJECT
public:
    explicit CapacityPage(QWidget* parent = nullptr);
    ~CapacityPage() override;

    QString title() const override { return tr("Capacity"); }
    QString fileStem() const override { return QStringLiteral("capacity"); }
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
