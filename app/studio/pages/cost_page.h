#pragma once
// CostPage: the studio's Cost view of a run (see issue 4). GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class CostPage : public ResultPage {
    Q_OBJECT
public:
    explicit CostPage(QWidget* parent = nullptr);
    ~CostPage() override;

    QString title() const override { return tr("Cost"); }
    QString fileStem() const override { return QStringLiteral("cost"); }
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
