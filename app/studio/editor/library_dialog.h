#pragma once
// LibraryDialog: browses the scenario library (resources/scenarios, compiled in) with each
// lesson's description, and returns the chosen scenario's JSON. GUI thread only.

#include <QDialog>

#include <memory>

namespace capsim::studio {

class LibraryDialog : public QDialog {
    Q_OBJECT
public:
    explicit LibraryDialog(QWidget* parent = nullptr);
    ~LibraryDialog() override;

    // The chosen scenario's JSON and its file name, after exec() returned Accepted.
    QString scenarioJson() const;
    QString fileName() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
