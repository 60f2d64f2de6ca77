// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace's caches stay within their byte budgets: the LRU rule on its
// own, and the prepared (raw and smoothed) series of a long session.
#include "lru_byte_cache.h"
#include "runlens/runlens.h"
#include "test_support.h"
#include "workspace.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

class TestSeriesCache : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void leastRecentlyUsedGoesFirst()
    {
        LruByteCache<int> cache(100);
        cache.put(QStringLiteral("a"), std::make_shared<const int>(1), 40);
        cache.put(QStringLiteral("b"), std::make_shared<const int>(2), 40);
        QCOMPARE(*cache.get(QStringLiteral("a")), 1); // a is now the most recent
        cache.put(QStringLiteral("c"), std::make_shared<const int>(3), 40);
        QVERIFY(!cache.get(QStringLiteral("b")));
        QVERIFY(cache.get(QStringLiteral("a")) && cache.get(QStringLiteral("c")));
        QCOMPARE(cache.bytes(), size_t(80));

        // Putting a key again replaces its bytes instead of adding to them.
        cache.put(QStringLiteral("a"), std::make_shared<const int>(10), 30);
        QCOMPARE(cache.bytes(), size_t(70));
        QCOMPARE(*cache.get(QStringLiteral("a")), 10);
        QCOMPARE(cache.size(), size_t(2));

        // One value over the budget is still kept (and alone).
        cache.put(QStringLiteral("huge"), std::make_shared<const int>(4), 500);
        QCOMPARE(cache.size(), size_t(1));
        QCOMPARE(cache.bytes(), size_t(500));

        cache.put(QStringLiteral("x1"), std::make_shared<const int>(5), 10);
        cache.put(QStringLiteral("x2"), std::make_shared<const int>(6), 10);
        cache.removeIf([](const QString& k) { return k.startsWith(QLatin1Char('x')); });
        QCOMPARE(cache.size(), size_t(0)); // "huge" went when x1 came: over budget
        QCOMPARE(cache.bytes(), size_t(0));

        for (int i = 0; i < 10; ++i)
            cache.put(QString::number(i), std::make_shared<const int>(i), 10);
        cache.setBudget(35);
        QCOMPARE(cache.size(), size_t(3));
        QVERIFY(cache.get(QStringLiteral("9")) && !cache.get(QStringLiteral("6")));
    }

    void smoothedSeriesStayWithinTheBudget()
    {
        // A long session tries one smoothing after another: each smoothed copy
        // was counted and never evicted.
        const QString store = dir_.filePath(QStringLiteral("long.db"));
        {
            auto run = Run::start(store.toStdString(), test::testRun("long"));
            for (int i = 0; i < 20000; ++i)
                run.logMetric("loss", 1.0 / (1 + i), i);
            run.finish();
        }
        Workspace workspace;
        workspace.setLiveInterval(0);
        QCOMPARE(workspace.openAndWait({store}), QString());
        const size_t one = size_t(20000) * 16;
        const size_t budget = 4 * one;
        workspace.setPlotCacheBudget(budget);
        SeriesKey key;
        key.store = 0;
        key.runId = workspace.runs()->id(0);
        key.metric = QStringLiteral("loss");
        QVERIFY(workspace.loadSeriesNow(key));
        for (int i = 1; i <= 30; ++i) {
            key.smoothing = Smoothing::Ema;
            key.smoothingParam = 0.5 + i / 100.0;
            const auto smoothed = workspace.loadSeriesNow(key);
            QVERIFY(smoothed);
            QCOMPARE(smoothed->size(), size_t(20000));
            QVERIFY2(workspace.plotCacheBytes() <= budget,
                     qPrintable(QStringLiteral("%1 bytes after %2 smoothings").arg(workspace.plotCacheBytes()).arg(i)));
        }
        QVERIFY(workspace.cachedSeries(key)); // the latest stays
    }
};

QTEST_GUILESS_MAIN(TestSeriesCache)
#include "test_series_cache.moc"
