#pragma once
// EventsPage: the studio's Events view of a run (see issue 4). GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class EventsPage : public ResultPage {
    Q_OBJECT
public:
    explicit EventsPage(QWidget* parent = nullptr);
    ~EventsPage() override;

    QString title() const override { return tr("Events"); }
    QString fileStem() const override { return QStringLiteral("events"); }
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    void showTime(double seconds) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
