// SPDX-License-Identifier: GPL-3.0-or-later
// The logger when the disk fails under it: a full disk (played by a SQLite VFS
// that refuses writes on demand, full_disk_vfs.h) and a store file deleted or
// replaced while a run logs. What is buffered stays bounded, nothing is
// claimed written that was not, and nothing buffered is lost once the disk
// takes writes again.
#include "full_disk_vfs.h"
#include "test_support.h"

#include "runlens/sqlite_db.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <thread>

using namespace runlens;
using namespace runlens::test;

namespace {

bool mentions(const std::string& text, const char* what)
{
    return text.find(what) != std::string::npos;
}

} // namespace

class TestLoggerFailures : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    std::string store(const char* name) const { return dir_.filePath(QString::fromLatin1(name)).toStdString(); }

    static RunOptions onFullDisk(const char* name, size_t maxPoints, WhenBufferFull policy)
    {
        RunOptions o = testRun(name);
        o.capture_environment = false;
        o.flush_interval = std::chrono::milliseconds(50);
        o.max_buffered_points = maxPoints;
        o.when_buffer_full = policy;
        o.vfs_name = FullDiskVfs::kName;
        return o;
    }

    // A run whose first flush reached the store, then `points` points of "x"
    // logged after the disk filled: what finish() must deal with in `timeout`.
    static Run startThenFillDisk(const std::string& path, const char* name, std::chrono::milliseconds timeout, int points)
    {
        auto options = onFullDisk(name, 1000, WhenBufferFull::Drop);
        options.finish_timeout = timeout;
        auto run = Run::start(path, options);
        if (!run.flush())
            throw std::runtime_error("the first flush failed before the disk was full");
        FullDiskVfs::setFull(true);
        for (int i = 0; i < points; ++i)
            if (!run.logMetric("x", i * 0.5, i))
                throw std::runtime_error("logMetric refused a point");
        return run;
    }

    // The points of `key` in the store, checked to be steps 0.. with value step * 0.5.
    static size_t pointsInOrder(const std::string& path, const QString& key = QStringLiteral("x"))
    {
        auto reader = mustOpen(QString::fromStdString(path));
        auto table = mustLoad(*reader);
        if (table->rowCount() != 1)
            throw std::runtime_error("expected one run");
        auto series = reader->loadSeries(table->id(0), key);
        if (!series)
            return 0;
        for (size_t i = 0; i < series->size(); ++i)
            if (series->steps[i] != int64_t(i) || series->values[i] != double(i) * 0.5)
                throw std::runtime_error("point " + std::to_string(i) + " is not step " + std::to_string(i));
        return series->size();
    }

    static std::string tag(const std::string& path, const char* key)
    {
        SqliteDb db(path, SqliteDb::Mode::ReadOnly);
        auto st = db.prepare("SELECT value FROM tags WHERE key=?");
        st.bind(1, key);
        return st.step() ? std::string(st.text(0)) : std::string();
    }

    static std::string status(const std::string& path)
    {
        SqliteDb db(path, SqliteDb::Mode::ReadOnly);
        auto st = db.prepare("SELECT status, end_time IS NOT NULL FROM runs");
        if (!st.step())
            return "no run";
        return std::string(st.text(0)) + (st.int64(1) ? " with an end" : " without an end");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        FullDiskVfs::install();
    }

    void cleanup() { FullDiskVfs::setFull(false); }

    void aFullDiskFailsFlushAndLosesNothingWhenSpaceReturns()
    {
        const auto path = store("full.db");
        auto run = Run::start(path, onFullDisk("full", 1000, WhenBufferFull::Drop));
        for (int i = 0; i < 10; ++i)
            QVERIFY(run.logMetric("x", i * 0.5, i));
        QVERIFY2(run.flush(), run.lastError().c_str());

        FullDiskVfs::setFull(true);
        const long refusedBefore = FullDiskVfs::refusedWrites();
        for (int i = 10; i < 800; ++i)
            QVERIFY(run.logMetric("x", i * 0.5, i)); // within the buffer: accepted
        QVERIFY2(!run.flush(), "flush() said the points were written while the disk was full");
        QVERIFY(FullDiskVfs::refusedWrites() > refusedBefore);
        QVERIFY2(mentions(run.lastError(), "full"), run.lastError().c_str());
        QVERIFY2(mentions(run.lastError(), "790 points wait in memory"), run.lastError().c_str());
        QVERIFY(!run.flush()); // still full: still failing, nothing lost meanwhile
        QCOMPARE(pointsInOrder(path), size_t(10));

        FullDiskVfs::setFull(false); // space returns
        QVERIFY2(run.flush(), run.lastError().c_str());
        QCOMPARE(pointsInOrder(path), size_t(800));
        QVERIFY2(run.finish(), run.lastError().c_str());
        QCOMPARE(run.droppedPoints(), uint64_t(0));
        QCOMPARE(status(path), std::string("finished with an end"));
        QCOMPARE(tag(path, "runlens.dropped_points"), std::string());
    }

    void dropPolicyBoundsTheBufferCountsAndRecordsTheLoss()
    {
        const auto path = store("drop.db");
        auto run = Run::start(path, onFullDisk("drop", 1000, WhenBufferFull::Drop));
        QVERIFY(run.flush());
        FullDiskVfs::setFull(true);
        int accepted = 0;
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 3000; ++i)
            accepted += run.logMetric("x", i * 0.5, i) ? 1 : 0;
        QVERIFY2(clock.elapsed() < 2000, "logMetric waited for the disk under the Drop policy");
        QCOMPARE(accepted, 1000); // the buffer holds 1,000 points; the rest is refused at once
        QCOMPARE(run.droppedPoints(), uint64_t(2000));
        QVERIFY2(mentions(run.lastError(), "buffer is full"), run.lastError().c_str());
        QVERIFY(!run.flush());
        QVERIFY2(mentions(run.lastError(), "2000 points were dropped"), run.lastError().c_str());

        FullDiskVfs::setFull(false);
        QVERIFY2(run.flush(), run.lastError().c_str()); // no drop since the last flush()
        QCOMPARE(pointsInOrder(path), size_t(1000)); // what was buffered landed, in order
        QVERIFY2(!run.finish(), "finish() reported success for a run that dropped points");
        QVERIFY2(mentions(run.lastError(), "2000 points were dropped"), run.lastError().c_str());
        QVERIFY(!run.finish()); // the same answer again
        QCOMPARE(tag(path, "runlens.dropped_points"), std::string("2000"));
        QVERIFY(mentions(tag(path, "runlens.dropped_reason"), "full"));
        QCOMPARE(status(path), std::string("finished with an end"));
    }

    void blockPolicyWaitsForRoomAndLosesNothing()
    {
        const auto path = store("block.db");
        auto run = Run::start(path, onFullDisk("block", 1000, WhenBufferFull::Block));
        QVERIFY(run.flush());
        FullDiskVfs::setFull(true);
        std::atomic<int> logged{0};
        std::atomic<bool> done{false};
        std::thread trainer([&] {
            for (int i = 0; i < 3000; ++i)
                if (run.logMetric("x", i * 0.5, i))
                    ++logged;
            done = true;
        });
        QTest::qWait(500);
        const int whileFull = logged;
        const bool doneWhileFull = done;
        FullDiskVfs::setFull(false);
        trainer.join();
        QVERIFY2(!doneWhileFull, qPrintable(QStringLiteral("%1 points taken while the disk was full").arg(whileFull)));
        QCOMPARE(whileFull, 1000); // waited at the bound
        QCOMPARE(int(logged), 3000);
        QVERIFY2(run.finish(), run.lastError().c_str());
        QCOMPARE(run.droppedPoints(), uint64_t(0));
        QCOMPARE(pointsInOrder(path), size_t(3000));
    }

    void finishRetriesUntilSpaceReturns()
    {
        const auto path = store("finish-retries.db");
        auto run = startThenFillDisk(path, "patient", std::chrono::milliseconds(20000), 500);
        std::thread admin([] {
            std::this_thread::sleep_for(std::chrono::milliseconds(600));
            FullDiskVfs::setFull(false); // someone frees space while finish() waits
        });
        QElapsedTimer clock;
        clock.start();
        const bool finished = run.finish();
        admin.join();
        QVERIFY2(finished, run.lastError().c_str());
        QVERIFY(clock.elapsed() >= 500);
        QCOMPARE(pointsInOrder(path), size_t(500));
        QCOMPARE(status(path), std::string("finished with an end"));
    }

    void finishGivesUpAfterItsTimeoutAndSaysWhatIsLost()
    {
        const auto path = store("finish-gives-up.db");
        auto run = startThenFillDisk(path, "impatient", std::chrono::milliseconds(400), 100);
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(!run.finish(), "finish() reported success on a full disk");
        QVERIFY(clock.elapsed() >= 350);
        QVERIFY2(mentions(run.lastError(), "100 points"), run.lastError().c_str());
        QVERIFY2(mentions(run.lastError(), "full"), run.lastError().c_str());
    }

    void aDeletedStoreFailsFlushAndFinish()
    {
        const auto path = store("deleted.db");
        RunOptions options = testRun("deleted");
        options.flush_interval = std::chrono::milliseconds(50);
        auto run = Run::start(path, options);
        QVERIFY(run.logMetric("x", 0.0, 0));
        QVERIFY(run.flush());
        std::filesystem::remove(path); // `rm runs.db` while training goes on
        QVERIFY(run.logMetric("x", 0.5, 1));
        QVERIFY2(!run.flush(), "flush() said the point was written to a deleted store");
        QVERIFY2(mentions(run.lastError(), "was deleted while the run was logging"), run.lastError().c_str());
        QVERIFY2(!run.finish(), "finish() reported success on a deleted store");
        QVERIFY2(mentions(run.lastError(), "was deleted while the run was logging"), run.lastError().c_str());
        QVERIFY(!std::filesystem::exists(path)); // and no new, empty store appeared in its place
    }

    void aReplacedStoreFailsFlushAndIsLeftAlone()
    {
        const auto path = store("replaced.db");
        const auto other = store("other.db");
        Run::start(other, testRun("the other store's run")).finish();
        const QByteArray otherHash = fileHash(QString::fromStdString(other));

        RunOptions options = testRun("replaced");
        options.flush_interval = std::chrono::milliseconds(50);
        auto run = Run::start(path, options);
        QVERIFY(run.logMetric("x", 0.0, 0));
        QVERIFY(run.flush());
        std::filesystem::rename(other, path); // a copy from elsewhere put in its place
        QVERIFY(run.logMetric("x", 0.5, 1));
        QVERIFY2(!run.flush(), "flush() said the point was written to a replaced store");
        QVERIFY2(mentions(run.lastError(), "was replaced by another file while the run was logging"), run.lastError().c_str());
        QVERIFY(!run.finish());
        QCOMPARE(fileHash(QString::fromStdString(path)), otherHash); // the file now there is not written
    }
};

QTEST_GUILESS_MAIN(TestLoggerFailures)
#include "test_logger_failures.moc"
