#pragma once
// DataPage: the run's engine tables: items (paged), query by key, partitions with their key
// ranges, item counts and sizes, the table's stream records (shard by shard), and the files of
// the exports in the run's S3 folder (manifests, decompressed data lines). Reads the engine
// database the run kept. GUI thread only.

#include "app/studio/result_page.h"

#include <memory>

namespace capsim::studio {

class DataPage : public ResultPage {
    Q_OBJECT
public:
    explicit DataPage(QWidget* parent = nullptr);
    ~DataPage() override;

    QString title() const override { return tr("Data"); }
    QString fileStem() const override { return QStringLiteral("data"); }
    void setRun(capsim::appcore::RunSnapshot run, bool final) override;
    // The engine database of the current run ("" when there is none, e.g. a reopened run.sqlite).
    void setEnginePath(const QString& path);
    // The folder that stands for S3, whose exports the Export files tab browses (default: the
    // engine database's path + ".s3", as `capsim call` uses).
    void setS3Root(const QString& path);
    QString s3Root() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace capsim::studio
