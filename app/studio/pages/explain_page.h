#pragma once
// ExplainPage: the studio's Explain view of a run (see issue 4). GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class ExplainPage : public ResultPage {
    Q_OBJECT
public:
    explicit ExplainPage(QWidget* parent = nullptr);
    ~ExplainPage() override;

    QString title() const override { return tr("Explain"); }
    QString fileStem() const override { return QStringLiteral("explain"); }
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
