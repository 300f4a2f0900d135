#pragma once
// LivePage: the studio attached to a running `capsim serve`. Polls its GET /capsim/live every
// second (QNetworkAccessManager, one request at a time) and shows the chosen table's or GSI's
// consumed read and write units per second against the capacity in force, throttled requests
// per second, its partitions, size and the cost so far at the reference's prices, with a
// status line (connected, or unreachable and retrying). GUI thread only.

#include "app/studio/models/live_history.h"

#include <QUrl>
#include <QWidget>

#include <memory>

namespace capsim::studio {

class LivePage : public QWidget {
    Q_OBJECT
public:
    explicit LivePage(QWidget* parent = nullptr);
    ~LivePage() override;

    // Starts polling `server` (http://HOST:PORT), forgetting what an earlier server showed.
    void attach(const QUrl& server);
    // Stops polling; what was shown stays.
    void detach();
    QUrl server() const;
    bool isAttached() const;
    // Whether the latest poll was answered.
    bool isConnected() const;
    const LiveHistory& history() const;
    // The chosen entry's label ("us-east-1 · Orders"), empty before the first answer.
    QString chosenLabel() const;
    bool choose(const QString& label);
    // Why the latest poll failed ("Connection refused", "HTTP 404 ..."), empty when it was answered.
    QString lastError() const;
    // The status line as shown ("Connected to ...", "Server unreachable: ...").
    QString statusText() const;
    // How many seconds the charts span (the latest ones; default 300).
    void setWindowSeconds(int seconds);

signals:
    // A poll was answered (`ok`) or failed; the page shows the outcome.
    void polled(bool ok);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
