#pragma once
// LatencyPage: the studio's Latency view of a run (see issue 4). GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class LatencyPage : public ResultPage {
    Q_OBJECT
public:
    explicit LatencyPage(QWidget* parent = nullptr);
    ~LatencyPage() override;

    QString title() const override { return tr("Latency"); }
    QString fileStem() const override { return QStringLiteral("latency"); }
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
