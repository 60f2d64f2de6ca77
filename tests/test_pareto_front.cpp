// SPDX-License-Identifier: GPL-3.0-or-later
// The Pareto front against a brute-force check (every pair compared) on
// random points with ties and NaN, for each direction of each axis; and the
// CLI's `runlens pareto` on a store.
#include "command_line.h"
#include "pareto_front.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <random>
#include <set>

using namespace runlens;

class TestParetoFront : public QObject {
    Q_OBJECT

    static std::set<size_t> bruteForce(const std::vector<std::pair<double, double>>& p, Better bx, Better by)
    {
        auto better = [](double a, double b, Better d) { return d == Better::Higher ? a > b : a < b; };
        auto atLeast = [&](double a, double b, Better d) { return a == b || better(a, b, d); };
        std::set<size_t> out;
        for (size_t i = 0; i < p.size(); ++i) {
            if (std::isnan(p[i].first) || std::isnan(p[i].second))
                continue;
            bool dominated = false;
            for (size_t j = 0; j < p.size() && !dominated; ++j) {
                if (j == i || std::isnan(p[j].first) || std::isnan(p[j].second))
                    continue;
                dominated = atLeast(p[j].first, p[i].first, bx) && atLeast(p[j].second, p[i].second, by)
                    && (better(p[j].first, p[i].first, bx) || better(p[j].second, p[i].second, by));
            }
            if (!dominated)
                out.insert(i);
        }
        return out;
    }

private slots:
    void matchesBruteForce()
    {
        std::mt19937 rng(17);
        std::uniform_int_distribution<int> coarse(0, 12);   // many ties
        std::uniform_real_distribution<double> fine(0, 1);
        for (int trial = 0; trial < 300; ++trial) {
            std::vector<std::pair<double, double>> p;
            const int n = 1 + trial % 60;
            for (int i = 0; i < n; ++i) {
                double x = trial % 2 ? coarse(rng) : fine(rng), y = trial % 3 ? coarse(rng) : fine(rng);
                if (i % 17 == 5)
                    x = NAN;
                p.emplace_back(x, y);
            }
            for (Better bx : {Better::Lower, Better::Higher})
                for (Better by : {Better::Lower, Better::Higher}) {
                    const auto front = paretoFront(p, bx, by);
                    const std::set<size_t> got(front.begin(), front.end());
                    QCOMPARE(got.size(), front.size());   // no index twice
                    QCOMPARE(got, bruteForce(p, bx, by));
                    for (size_t k = 1; k < front.size(); ++k)   // best x first
                        QVERIFY(bx == Better::Higher ? p[front[k - 1]].first >= p[front[k]].first
                                                     : p[front[k - 1]].first <= p[front[k]].first);
                }
        }
        QVERIFY(paretoFront({}, Better::Lower, Better::Higher).empty());
    }

    void cliPrintsTheFront()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("pareto.db"));
        // (duration cost, accuracy): a, b, c on the front; d is beaten by b; e by c.
        const std::pair<const char*, std::pair<double, double>> runs[] = {
            {"a", {1, 0.80}}, {"b", {2, 0.90}}, {"c", {5, 0.95}}, {"d", {3, 0.85}}, {"e", {6, 0.95}}};
        for (const auto& [name, v] : runs) {
            auto run = Run::start(store.toStdString(), test::testRun(name));
            run.logMetric("gpu_hours", v.first, 0);
            run.logMetric("val/acc", v.second, 0);
            run.finish();
        }
        QString out, err;
        QTextStream o(&out), e(&err);
        const int code = cli::run({QStringLiteral("pareto"), store, QStringLiteral("--x"), QStringLiteral("gpu_hours:min"),
                                   QStringLiteral("--y"), QStringLiteral("val/acc:max"), QStringLiteral("--format"),
                                   QStringLiteral("json")},
                                  o, e);
        o.flush();
        e.flush();
        QCOMPARE(code, 0);
        QStringList names;
        for (const auto& v : QJsonDocument::fromJson(out.toUtf8()).array())
            names << v.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(names, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        out.clear();
        QCOMPARE(cli::run({QStringLiteral("pareto"), store, QStringLiteral("--x"), QStringLiteral("gpu_hours:min"),
                           QStringLiteral("--y"), QStringLiteral("val/acc:best")}, o, e), 2);
        QCOMPARE(cli::run({QStringLiteral("pareto"), store, QStringLiteral("--x"), QStringLiteral("nope:min"),
                           QStringLiteral("--y"), QStringLiteral("val/acc:max")}, o, e), 2);
    }
};

QTEST_GUILESS_MAIN(TestParetoFront)
#include "test_pareto_front.moc"
