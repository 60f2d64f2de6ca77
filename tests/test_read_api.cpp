// SPDX-License-Identifier: GPL-3.0-or-later
// The C read ABI (core/read_api/include/runlens/runlens_read.h) as a C program
// uses it: accessors agree with the store as core reads it, errors carry
// codes and query positions, series copy in parts and decimate with their
// spikes, handles are snapshots that outlive refresh and close, and a run
// created after the store was opened appears on refresh. Python's side,
// against the CLI on every store kind, is tests/python/test_reading.py.
#include "runlens/runlens_read.h"

#include "loaded_store.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

using namespace runlens;

namespace {

std::string str(const char* s)
{
    return s ? std::string(s) : std::string("(null)");
}

} // namespace

class TestReadApi : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string store_;

    void addRun(const char* name, double lr, int64_t steps, int every)
    {
        RunOptions o = test::testRun(name);
        o.experiment = "sweep";
        o.capture_environment = false;
        auto run = Run::start(store_, o);
        run.logParam("lr", lr);
        run.logParam("model", "resnet");
        run.setTag("team", "vision");
        for (int64_t s = 0; s < steps; s += every)
            run.logMetric("loss", s == 777 ? 1e6 : 1.0 / double(s + 1), s);
        run.logMetric("nan_at_end", std::nan(""), 0);
        run.finish();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        store_ = dir_.filePath(QStringLiteral("lab.db")).toStdString();
        addRun("fast", 0.1, 10000, 1);
        addRun("slow", 0.01, 1000, 10);
    }

    void accessorsAgreeWithTheStore()
    {
        rlr_store* store = rlr_open(store_.c_str(), nullptr, 0);
        QVERIFY2(store, rlr_last_error());
        QCOMPARE(str(rlr_store_kind(store)), std::string("runlens"));
        QCOMPARE(rlr_store_run_count(store), size_t(2));
        QCOMPARE(rlr_experiment_count(store), size_t(1));
        QCOMPARE(str(rlr_experiment_name(store, 0)), std::string("sweep"));
        QVERIFY(!rlr_experiment_name(store, 1));
        QCOMPARE(str(rlr_store_problems(store)), std::string());

        const auto core = LoadedStore::open(QString::fromStdString(store_));
        QVERIFY(core);
        const RunTable& t = core->table();

        rlr_runs* runs = rlr_query(store, "order by params.lr", 0);
        QVERIFY2(runs, rlr_last_error());
        QCOMPARE(rlr_runs_count(runs), size_t(2));
        QCOMPARE(str(rlr_run_name(runs, 0)), std::string("slow"));
        for (size_t i = 0; i < 2; ++i) {
            const int row = t.rowOfId(QString::fromUtf8(rlr_run_id(runs, i)));
            QVERIFY(row >= 0);
            QCOMPARE(str(rlr_run_name(runs, i)), t.name(row).toStdString());
            QCOMPARE(str(rlr_run_experiment(runs, i)), std::string("sweep"));
            QCOMPARE(str(rlr_run_status(runs, i)), std::string("finished"));
            QCOMPARE(str(rlr_run_parent_id(runs, i)), std::string());
            QCOMPARE(rlr_run_start_time(runs, i), t.startTime(row));
            QCOMPARE(rlr_run_end_time(runs, i), t.endTime(row));
            QVERIFY(rlr_run_end_time(runs, i) >= rlr_run_start_time(runs, i));

            QCOMPARE(rlr_run_param_count(runs, i), size_t(2));
            const char* key = nullptr;
            const char* value = nullptr;
            QCOMPARE(rlr_run_param(runs, i, 0, &key, &value), RLR_OK);
            QCOMPARE(str(key), std::string("lr"));
            QCOMPARE(str(value), t.param(QStringLiteral("lr"))->text[size_t(row)].toStdString());
            QCOMPARE(rlr_run_param(runs, i, 1, &key, &value), RLR_OK);
            QCOMPARE(str(key) + "=" + str(value), std::string("model=resnet"));
            QCOMPARE(rlr_run_param(runs, i, 2, &key, &value), RLR_ERROR);

            bool team = false;
            for (size_t j = 0; j < rlr_run_tag_count(runs, i); ++j) {
                QCOMPARE(rlr_run_tag(runs, i, j, &key, &value), RLR_OK);
                team = team || (str(key) == "team" && str(value) == "vision");
            }
            QVERIFY(team);

            QCOMPARE(rlr_run_metric_count(runs, i), size_t(2));
            rlr_metric_summary m{};
            QCOMPARE(rlr_run_metric(runs, i, 0, &key, &m), RLR_OK);
            QCOMPARE(str(key), std::string("loss"));
            const MetricColumn* loss = t.metric(QStringLiteral("loss"));
            QCOMPARE(m.count, loss->count[size_t(row)]);
            QCOMPARE(m.last, loss->last[size_t(row)]);
            QCOMPARE(m.max, t.name(row) == QStringLiteral("fast") ? 1e6 : 1.0); // the slow run never logs step 777
            QCOMPARE(m.last_step, loss->lastStep[size_t(row)]);
            QCOMPARE(rlr_run_metric_mean(runs, i, 0), loss->mean[size_t(row)]);
            QVERIFY(std::isfinite(rlr_run_metric_mean(runs, i, 0)));
            QCOMPARE(rlr_run_metric(runs, i, 1, &key, &m), RLR_OK);
            QCOMPARE(str(key), std::string("nan_at_end"));
            QVERIFY(std::isnan(m.last));
            QCOMPARE(m.count, int64_t(1));
        }
        QCOMPARE(rlr_run_metric_count(runs, 0) > 0, true);
        // Out of range: nothing, never a crash.
        QVERIFY(!rlr_run_id(runs, 2));
        QCOMPARE(rlr_run_start_time(runs, 99), int64_t(-1));
        QCOMPARE(rlr_run_param_count(runs, 5), size_t(0));
        QVERIFY(std::isnan(rlr_run_metric_mean(runs, 0, 99)));
        QVERIFY(!rlr_run_id(nullptr, 0));

        // The JSON is the CLI's form of the same runs.
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(rlr_runs_json(runs)));
        QVERIFY(doc.isArray());
        QCOMPARE(doc.array().size(), 2);
        QCOMPARE(doc.array()[0][QStringLiteral("name")].toString(), QStringLiteral("slow"));
        QCOMPARE(doc.array()[0][QStringLiteral("params")][QStringLiteral("lr")].toDouble(), 0.01);
        rlr_runs_free(runs);
        rlr_close(store);
    }

    void errorsHaveCodesAndPositions()
    {
        QVERIFY(!rlr_open((store_ + ".missing").c_str(), nullptr, 0));
        QCOMPARE(rlr_last_error_code(), RLR_ERROR);
        QVERIFY(str(rlr_last_error()).find(".missing") != std::string::npos);
        QVERIFY(!rlr_open(nullptr, nullptr, 0));
        QVERIFY(!rlr_open(store_.c_str(), "not-a-kind", 0));
        QVERIFY(str(rlr_last_error()).find("runlens") != std::string::npos); // lists the kinds

        rlr_store* store = rlr_open(store_.c_str(), "runlens", 0);
        QVERIFY(store);
        QVERIFY(!rlr_query(store, "params.lr < 0.1 and", 0));
        QCOMPARE(rlr_last_error_code(), RLR_BAD_QUERY);
        QCOMPARE(rlr_last_error_position(), int(std::string("params.lr < 0.1 and").size()));
        QVERIFY(rlr_last_error_length() >= 1);
        QVERIFY(!rlr_query(store, "params.lr < 'a' +", 0));
        QCOMPARE(rlr_last_error_code(), RLR_BAD_QUERY);

        QVERIFY(!rlr_find(store, "nobody"));
        QCOMPARE(rlr_last_error_code(), RLR_NOT_FOUND);
        QVERIFY(!rlr_series_load(store, "fast", "no_metric"));
        QCOMPARE(rlr_last_error_code(), RLR_NOT_FOUND);
        QVERIFY(str(rlr_last_error()).find("loss") != std::string::npos);
        QVERIFY(!rlr_run_details_json(store, ""));
        QVERIFY(!rlr_seeds_json(store, "no_metric", nullptr, nullptr));
        QCOMPARE(rlr_last_error_code(), RLR_NOT_FOUND);

        // The last error is the calling thread's own.
        std::string other;
        std::thread([&] { other = str(rlr_last_error()); }).join();
        QCOMPARE(other, std::string());
        rlr_close(store);
    }

    void seriesCopyInPartsAndDecimate()
    {
        rlr_store* store = rlr_open(store_.c_str(), nullptr, 0);
        QVERIFY(store);
        rlr_series* s = rlr_series_load(store, "fast", "loss");
        QVERIFY2(s, rlr_last_error());
        QCOMPARE(rlr_series_size(s), size_t(10000));
        std::vector<int64_t> steps(10000);
        std::vector<double> times(10000), values(10000);
        QCOMPARE(rlr_series_copy(s, 0, 6000, steps.data(), times.data(), values.data()), size_t(6000));
        QCOMPARE(rlr_series_copy(s, 6000, 99999, steps.data() + 6000, nullptr, values.data() + 6000), size_t(4000));
        QCOMPARE(rlr_series_copy(s, 10000, 1, steps.data(), nullptr, nullptr), size_t(0));
        for (int64_t i = 0; i < 10000; ++i) {
            QCOMPARE(steps[size_t(i)], i);
            QCOMPARE(values[size_t(i)], i == 777 ? 1e6 : 1.0 / double(i + 1));
        }
        QVERIFY(times[0] > 1.7e9);

        // Sized with capacity 0, then filled.
        const size_t n = rlr_series_decimate(s, 1, 0, 100, nullptr, nullptr, 0);
        QVERIFY(n > 100 && n <= 4 * 100 + 2);
        std::vector<double> xs(n), ys(n);
        QCOMPARE(rlr_series_decimate(s, 1, 0, 100, xs.data(), ys.data(), n), n);
        QCOMPARE(xs.front(), 0.0);
        QCOMPARE(xs.back(), 9999.0);
        QVERIFY(std::find(ys.begin(), ys.end(), 1e6) != ys.end()); // the spike stays
        QVERIFY(std::is_sorted(xs.begin(), xs.end()));
        QCOMPARE(rlr_series_decimate(s, 0, 1, 0, xs.data(), ys.data(), n), size_t(0));
        rlr_series_free(s);

        // The slow run logs every 10th step: its own steps, not the fast run's.
        rlr_series* slow = rlr_series_load(store, "slow", "loss");
        QCOMPARE(rlr_series_size(slow), size_t(100));
        int64_t last = 0;
        QCOMPARE(rlr_series_copy(slow, 99, 1, &last, nullptr, nullptr), size_t(1));
        QCOMPARE(last, int64_t(990));
        rlr_series_free(slow);
        rlr_close(store);
    }

    void handlesAreSnapshotsAndRefreshSeesNewRuns()
    {
        const QString path = dir_.filePath(QStringLiteral("live.db"));
        const std::string saved = store_;
        store_ = path.toStdString();
        addRun("before", 0.5, 10, 1);
        rlr_store* store = rlr_open(store_.c_str(), nullptr, 0);
        QVERIFY(store);
        rlr_runs* old = rlr_query(store, nullptr, 0);
        rlr_series* series = rlr_series_load(store, "before", "loss");
        QCOMPARE(rlr_runs_count(old), size_t(1));

        addRun("after", 0.25, 20, 1);   // a run created after the store was opened
        QCOMPARE(rlr_store_run_count(store), size_t(1));
        QCOMPARE(rlr_refresh(store), RLR_OK);
        QCOMPARE(rlr_store_run_count(store), size_t(2));
        rlr_runs* now = rlr_find(store, "after");
        QVERIFY2(now, rlr_last_error());
        rlr_metric_summary m{};
        QCOMPARE(rlr_run_metric(now, 0, 0, nullptr, &m), RLR_OK);
        QCOMPARE(m.count, int64_t(20));

        rlr_close(store);
        // Both outlive the refresh and the store.
        QCOMPARE(rlr_runs_count(old), size_t(1));
        QCOMPARE(str(rlr_run_name(old, 0)), std::string("before"));
        QCOMPARE(rlr_series_size(series), size_t(10));
        QCOMPARE(str(rlr_run_name(now, 0)), std::string("after"));
        rlr_runs_free(old);
        rlr_runs_free(now);
        rlr_series_free(series);
        store_ = saved;
    }

    void aCorruptStoreIsAnErrorNotACrash()
    {
        const QString path = dir_.filePath(QStringLiteral("corrupt.db"));
        QByteArray bytes;
        {
            QFile f(QString::fromStdString(store_));
            QVERIFY(f.open(QIODevice::ReadOnly));
            bytes = f.readAll();
        }
        for (qsizetype i = 4096; i < bytes.size(); i += 97)
            bytes[i] = char(bytes[i] ^ 0x5a);
        test::writeFile(path, bytes);
        rlr_store* store = rlr_open(path.toUtf8().constData(), nullptr, 0);
        if (!store) {
            QVERIFY(!str(rlr_last_error()).empty());
            return;
        }
        // Opened: whatever it reads, it reads without crashing.
        rlr_runs* runs = rlr_query(store, nullptr, 0);
        if (runs) {
            for (size_t i = 0; i < rlr_runs_count(runs); ++i) {
                rlr_series* s = rlr_series_load(store, rlr_run_id(runs, i), "loss");
                rlr_series_free(s);
            }
            QVERIFY(rlr_runs_json(runs));
            rlr_runs_free(runs);
        }
        rlr_close(store);
    }
};

QTEST_GUILESS_MAIN(TestReadApi)
#include "test_read_api.moc"
