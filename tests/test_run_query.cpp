// SPDX-License-Identifier: GPL-3.0-or-later
// The query language: syntax, errors with positions, and what each operator
// selects on a small hand-made table.
#include "run_query.h"

#include <QtTest>

#include <set>

using namespace runlens;

class TestRunQuery : public QObject {
    Q_OBJECT

    RunTable table_;

    QStringList names(const QString& query)
    {
        const auto sel = RunQuery(query).select(table_);
        if (sel.error)
            return {QStringLiteral("ERROR: ") + sel.error->describe()};
        QStringList out;
        for (int r : sel.rows)
            out << table_.name(r);
        return out;
    }

    QueryError errorOf(const QString& query)
    {
        const auto sel = RunQuery(query).select(table_);
        return sel.error.value_or(QueryError{-1, 0, QStringLiteral("no error")});
    }

private slots:
    void paramsVaryWhenAnyRunDiffersOrLacksThem()
    {
        // The one rule the parallel axes, seed groups, reports and the CLI share.
        RunTable t;
        for (int i = 0; i < 4; ++i)
            t.addRun(QStringLiteral("r%1").arg(i), QStringLiteral("r%1").arg(i), QStringLiteral("e"),
                     RunStatus::Finished, 0, 1);
        for (int i = 0; i < 4; ++i) {
            t.setParam(i, QStringLiteral("same"), QStringLiteral("1"), 1.0);
            t.setParam(i, QStringLiteral("lr"), QString::number(i < 2 ? 0.1 : 0.01), i < 2 ? 0.1 : 0.01);
        }
        t.setParam(0, QStringLiteral("sometimes"), QString(), std::nullopt); // present, empty text
        t.setParam(3, QStringLiteral("late"), QStringLiteral("x"), std::nullopt);
        const std::vector<int> all = {0, 1, 2, 3}, firstTwo = {0, 1};
        QVERIFY(!t.param(QStringLiteral("same"))->variesAcross(all));
        QVERIFY(t.param(QStringLiteral("lr"))->variesAcross(all));
        QVERIFY(!t.param(QStringLiteral("lr"))->variesAcross(firstTwo));
        // Present-but-empty differs from missing; missing everywhere does not vary.
        QVERIFY(t.param(QStringLiteral("sometimes"))->variesAcross(firstTwo));
        QVERIFY(t.param(QStringLiteral("late"))->variesAcross(all));
        QVERIFY(!t.param(QStringLiteral("late"))->variesAcross(firstTwo));
        QVERIFY(!t.param(QStringLiteral("lr"))->variesAcross({}));
    }

    void initTestCase()
    {
        // name, lr, optimizer, loss last/min, status, start (ms)
        struct R {
            const char* name;
            double lr;
            const char* opt;
            double loss, lossMin;
            RunStatus status;
            int64_t start;
        };
        const R runs[] = {
            {"alpha", 0.1, "sgd", 0.50, 0.40, RunStatus::Finished, 1000},
            {"beta", 0.01, "adam", 0.30, 0.25, RunStatus::Finished, 2000},
            {"gamma", 0.001, "adam", 0.20, 0.20, RunStatus::Failed, 3000},
            {"delta-10", 0.0001, "adamw", NAN, NAN, RunStatus::Crashed, 4000},
            {"delta-9", 1.0, "sgd", 0.90, 0.10, RunStatus::Running, 5000},
        };
        for (const auto& r : runs) {
            const int row
                = table_.addRun(QStringLiteral("id-%1").arg(QString::fromLatin1(r.name)), QString::fromLatin1(r.name),
                    QStringLiteral("exp"), r.status, r.start, r.status == RunStatus::Running ? -1 : r.start + 500);
            table_.setParam(row, QStringLiteral("lr"), QString::number(r.lr), r.lr);
            table_.setParam(row, QStringLiteral("optimizer"), QString::fromLatin1(r.opt), std::nullopt);
            if (!std::isnan(r.loss))
                table_.setMetric(row, QStringLiteral("val.loss"), r.loss, r.lossMin, 1.0, 10, 9, (r.loss + r.lossMin) / 2);
        }
        table_.setTag(0, QStringLiteral("my key"), QStringLiteral("x"));
        table_.setParam(1, QStringLiteral("model.depth"), QStringLiteral("4"), 4.0);
        table_.sortColumns();
    }

    void emptyQuerySelectsAllInTableOrder()
    {
        QCOMPARE(names(QString()).size(), 5);
        QCOMPARE(names(QStringLiteral("   ")).first(), QStringLiteral("alpha"));
    }

    void comparisons()
    {
        QCOMPARE(names(QStringLiteral("params.lr < 1e-2")),
            (QStringList{QStringLiteral("gamma"), QStringLiteral("delta-10")}));
        QCOMPARE(names(QStringLiteral("params.lr <= 0.01")).size(), 3);
        QCOMPARE(names(QStringLiteral("params.lr >= 0.1")),
            (QStringList{QStringLiteral("alpha"), QStringLiteral("delta-9")}));
        QCOMPARE(names(QStringLiteral("params.lr = 0.1")), QStringList{QStringLiteral("alpha")});
        QCOMPARE(names(QStringLiteral("params.lr == '0.1'")), QStringList{QStringLiteral("alpha")});
        QCOMPARE(names(QStringLiteral("params.optimizer != adam")),
            (QStringList{QStringLiteral("alpha"), QStringLiteral("delta-10"), QStringLiteral("delta-9")}));
        QCOMPARE(names(QStringLiteral("params.model.depth > 3")), QStringList{QStringLiteral("beta")});
    }

    void metricStatsAndMissingValues()
    {
        // Dotted metric keys resolve whole before a .min/.max suffix.
        QCOMPARE(names(QStringLiteral("metrics.val.loss < 0.35")),
            (QStringList{QStringLiteral("beta"), QStringLiteral("gamma")}));
        QCOMPARE(names(QStringLiteral("metrics.val.loss.min < 0.15")), QStringList{QStringLiteral("delta-9")});
        QCOMPARE(names(QStringLiteral("metrics.val.loss.count = 10")).size(), 4);
        // The mean (a system metric's table column: metrics.system/gpu.0.utilization_percent.mean).
        QCOMPARE(names(QStringLiteral("metrics.val.loss.mean > 0.4")),
            (QStringList{QStringLiteral("alpha"), QStringLiteral("delta-9")}));
        // delta-10 has no val.loss: it matches neither a comparison nor its negation.
        QVERIFY(!names(QStringLiteral("metrics.val.loss > 0")).contains(QStringLiteral("delta-10")));
        QVERIFY(!names(QStringLiteral("metrics.val.loss != 0.5")).contains(QStringLiteral("delta-10")));
        QVERIFY(names(QStringLiteral("not metrics.val.loss > 0")).contains(QStringLiteral("delta-10")));
    }

    void booleanLogicAndPrecedence()
    {
        // and binds tighter than or
        QCOMPARE(names(QStringLiteral("params.optimizer = sgd or params.optimizer = adam and params.lr < 0.005")),
            (QStringList{QStringLiteral("alpha"), QStringLiteral("gamma"), QStringLiteral("delta-9")}));
        QCOMPARE(names(QStringLiteral("(params.optimizer = sgd or params.optimizer = adam) and params.lr < 0.05")),
            (QStringList{QStringLiteral("beta"), QStringLiteral("gamma")}));
        QCOMPARE(names(QStringLiteral("not (status = finished) AND NOT status = running")),
            (QStringList{QStringLiteral("gamma"), QStringLiteral("delta-10")}));
    }

    void inRegexAndFields()
    {
        QCOMPARE(names(QStringLiteral("params.optimizer in (adam, 'adamw')")),
            (QStringList{QStringLiteral("beta"), QStringLiteral("gamma"), QStringLiteral("delta-10")}));
        QCOMPARE(names(QStringLiteral("params.optimizer not in (adam, adamw)")),
            (QStringList{QStringLiteral("alpha"), QStringLiteral("delta-9")}));
        QCOMPARE(names(QStringLiteral("name ~ '^delta'")),
            (QStringList{QStringLiteral("delta-10"), QStringLiteral("delta-9")}));
        QCOMPARE(names(QStringLiteral("name !~ 'a$'")),
            (QStringList{QStringLiteral("delta-10"), QStringLiteral("delta-9")}));
        QCOMPARE(names(QStringLiteral("status = FAILED")), QStringList{QStringLiteral("gamma")});
        QCOMPARE(names(QStringLiteral("status in (crashed, running)")),
            (QStringList{QStringLiteral("delta-10"), QStringLiteral("delta-9")}));
        QCOMPARE(names(QStringLiteral("tags.`my key` = x")), QStringList{QStringLiteral("alpha")});
        QCOMPARE(names(QStringLiteral("start_time >= 3000 and end_time < 4000")), QStringList{QStringLiteral("gamma")});
        QCOMPARE(names(QStringLiteral("duration = 0.5 and experiment = exp")).size(), 4);
        QCOMPARE(names(QStringLiteral("id = id-beta")), QStringList{QStringLiteral("beta")});
    }

    void dates()
    {
        // Every start time is in 1970; a date literal converts to ms.
        QCOMPARE(names(QStringLiteral("start_time < '2000-01-01'")).size(), 5);
        QCOMPARE(names(QStringLiteral("start_time > '2000-01-01 10:00'")).size(), 0);
        const auto e = errorOf(QStringLiteral("start_time > 'yesterday'"));
        QCOMPARE(e.position, 13);
        QVERIFY(e.message.contains(QStringLiteral("not a date")));
    }

    void orderAndLimit()
    {
        QCOMPARE(names(QStringLiteral("order by params.lr")),
            (QStringList{QStringLiteral("delta-10"), QStringLiteral("gamma"), QStringLiteral("beta"),
                QStringLiteral("alpha"), QStringLiteral("delta-9")}));
        // Missing values go last in both directions.
        QCOMPARE(names(QStringLiteral("order by metrics.val.loss desc")).last(), QStringLiteral("delta-10"));
        QCOMPARE(names(QStringLiteral("order by metrics.val.loss asc")).last(), QStringLiteral("delta-10"));
        QCOMPARE(names(QStringLiteral("params.optimizer = adam order by metrics.val.loss limit 1")),
            QStringList{QStringLiteral("gamma")});
        // Names sort with numbers in mind: delta-9 before delta-10.
        QCOMPARE(names(QStringLiteral("name ~ delta order by name")),
            (QStringList{QStringLiteral("delta-9"), QStringLiteral("delta-10")}));
        QCOMPARE(names(QStringLiteral("order by params.optimizer, params.lr desc limit 3")),
            (QStringList{QStringLiteral("beta"), QStringLiteral("gamma"), QStringLiteral("delta-10")}));
        QCOMPARE(names(QStringLiteral("limit 0")).size(), 0);
    }

    void syntaxErrorsPointAtTheirColumn_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("missing value") << QStringLiteral("params.lr <") << 11 << QStringLiteral("ends where a value");
        QTest::newRow("missing operator")
            << QStringLiteral("params.lr 3") << 10 << QStringLiteral("expected an operator");
        QTest::newRow("unknown field") << QStringLiteral("lr < 3") << 0 << QStringLiteral("unknown field 'lr'");
        QTest::newRow("unclosed paren") << QStringLiteral("(status = finished") << 0 << QStringLiteral("never closed");
        QTest::newRow("stray paren") << QStringLiteral("status = finished)") << 17 << QStringLiteral("no matching '('");
        QTest::newRow("unclosed string") << QStringLiteral("name = 'abc") << 7 << QStringLiteral("no closing");
        QTest::newRow("bad char") << QStringLiteral("name = a ; drop") << 9
                                  << QStringLiteral("unexpected character ';'");
        QTest::newRow("order without by") << QStringLiteral("order params.lr") << 6 << QStringLiteral("expected 'by'");
        QTest::newRow("bad limit") << QStringLiteral("limit -1") << 6 << QStringLiteral("whole number");
        QTest::newRow("in without list") << QStringLiteral("name in adam") << 8 << QStringLiteral("expected '('");
        QTest::newRow("dangling and") << QStringLiteral("name = a and") << 12 << QStringLiteral("ends where a field");
        QTest::newRow("bad regex") << QStringLiteral("name ~ '('") << 7 << QStringLiteral("invalid regular expression");
        QTest::newRow("unknown param") << QStringLiteral("status = x and params.nope = 1") << 15
                                       << QStringLiteral("no run has param 'nope'");
        QTest::newRow("unknown metric") << QStringLiteral("metrics.acc > 1") << 0
                                        << QStringLiteral("no run has metric 'acc'");
        QTest::newRow("bad number") << QStringLiteral("params.lr < 1e-3x") << 12 << QStringLiteral("not a number");
    }

    void syntaxErrorsPointAtTheirColumn()
    {
        QFETCH(QString, query);
        QFETCH(int, position);
        QFETCH(QString, fragment);
        const auto e = errorOf(query);
        QVERIFY2(e.message.contains(fragment), qPrintable(e.describe()));
        QCOMPARE(e.position, position);
        QVERIFY(e.describe().startsWith(QStringLiteral("column %1:").arg(position + 1)));
    }

    void parseOnlyChecksSyntax()
    {
        QVERIFY(RunQuery(QStringLiteral("params.whatever = 1 order by metrics.x desc limit 5")).isValid());
        QVERIFY(RunQuery(QStringLiteral("params.whatever = 1")).hasOrder() == false);
        QCOMPARE(RunQuery(QStringLiteral("order by name limit 7")).limit().value_or(-1), 7);
        QVERIFY(!RunQuery(QStringLiteral("params.x = ")).isValid());
    }

    void thousandsOfTermsStayFlatAndCapped()
    {
        // A pasted list of 16,000 ids joined by "or" selects what the same
        // "in (...)" selects (it took 24 s, each term copying the ones
        // before); past the cap a clear error points at the first term too many.
        QStringList terms;
        for (int i = 0; i < 16000; ++i)
            terms << QStringLiteral("name = 'nope-%1'").arg(i);
        terms << QStringLiteral("name = 'run-2'") << QStringLiteral("params.lr = 0.01");
        const auto sel = RunQuery(terms.join(QStringLiteral(" or "))).select(table_);
        QVERIFY(!sel.error);
        QCOMPARE(sel.rows, RunQuery(QStringLiteral("name = 'run-2' or params.lr = 0.01")).select(table_).rows);
        // "and" chains too, and mixed with "or" under precedence.
        QStringList ands(5000, QStringLiteral("params.lr > 0"));
        const auto both = RunQuery(ands.join(QStringLiteral(" and ")) + QStringLiteral(" or name = 'run-1'")).select(table_);
        QVERIFY(!both.error);
        QCOMPARE(both.rows, RunQuery(QStringLiteral("params.lr > 0 or name = 'run-1'")).select(table_).rows);
        QStringList tooMany(20001, QStringLiteral("params.lr = 1"));
        const QString huge = tooMany.join(QStringLiteral(" or "));
        const auto error = RunQuery(huge).select(table_).error;
        QVERIFY(error.has_value());
        QVERIFY2(error->message.contains(QStringLiteral("more than 20000 terms")), qPrintable(error->message));
        QVERIFY(error->message.contains(QStringLiteral("in (...)")));
        QCOMPARE(huge.mid(error->position, 2), QStringLiteral("or"));
    }

    void longListsMatchWhatEachTermMatches()
    {
        // Long "in" lists (and "or" chains over one field, read as one) use
        // a lookup; they must select exactly the union of their terms, with
        // numbers, words, quoted numbers, names and a case-blind status.
        const QStringList fields = {QStringLiteral("params.lr"), QStringLiteral("params.optimizer"),
            QStringLiteral("name"), QStringLiteral("status")};
        const QStringList values = {QStringLiteral("0.1"), QStringLiteral("1e-2"), QStringLiteral("'0.001'"),
            QStringLiteral("sgd"), QStringLiteral("'adam'"), QStringLiteral("run-2"), QStringLiteral("FINISHED"),
            QStringLiteral("-0"), QStringLiteral("nan"), QStringLiteral("'x y'"), QStringLiteral("42")};
        for (const auto& field : fields) {
            std::set<int> expected;
            QStringList terms;
            for (const auto& v : values) {
                const auto one = RunQuery(field + QStringLiteral(" = ") + v).select(table_);
                QVERIFY2(!one.error, qPrintable(field + QStringLiteral(" = ") + v));
                expected.insert(one.rows.begin(), one.rows.end());
                terms << field + QStringLiteral(" = ") + v;
            }
            const auto in = RunQuery(field + QStringLiteral(" in (") + values.join(QStringLiteral(", ")) + QLatin1Char(')')).select(table_);
            const auto ors = RunQuery(terms.join(QStringLiteral(" or "))).select(table_);
            QVERIFY(!in.error && !ors.error);
            const std::set<int> gotIn(in.rows.begin(), in.rows.end()), gotOr(ors.rows.begin(), ors.rows.end());
            QCOMPARE(gotIn, expected);
            QCOMPARE(gotOr, expected);
            const auto notIn = RunQuery(field + QStringLiteral(" not in (") + values.join(QStringLiteral(", ")) + QLatin1Char(')')).select(table_);
            for (int r : notIn.rows)
                QVERIFY(!expected.count(r));
        }
    }

    void comparisonsAtAnEqualValueAndQuotedNumbers()
    {
        // Mutants that survived the suite: ">" evaluated as ">=" (no test
        // compared at an equal value) and quoted numbers compared as text.
        const auto at = [&](const QString& q) { return names(q); };
        const QStringList atOne = at(QStringLiteral("params.lr = 0.01"));
        QVERIFY(!atOne.isEmpty());
        for (const auto& n : atOne) {
            QVERIFY(!at(QStringLiteral("params.lr > 0.01")).contains(n));
            QVERIFY(at(QStringLiteral("params.lr >= 0.01")).contains(n));
            QVERIFY(!at(QStringLiteral("params.lr < 0.01")).contains(n));
            QVERIFY(at(QStringLiteral("params.lr <= 0.01")).contains(n));
            QVERIFY(!at(QStringLiteral("params.lr != 0.01")).contains(n));
        }
        // '0.010' and '1e-2' are the number 0.01, not text that differs from "0.01".
        QCOMPARE(at(QStringLiteral("params.lr = '0.010'")), atOne);
        QCOMPARE(at(QStringLiteral("params.lr = '1e-2'")), atOne);
        QCOMPARE(at(QStringLiteral("params.lr > '0.0099'")).size(), at(QStringLiteral("params.lr > 0.0099")).size());
    }

    void hostileInputNeverCrashes()
    {
        // Odd and huge input: errors, not crashes or hangs.
        const QStringList inputs = {QString(100000, QLatin1Char('(')), QStringLiteral("\"\\"), QStringLiteral("`"),
            QStringLiteral("params.`a"), QString::fromUtf8("name = 'ü🚀' or name ~ '\\x{1F680}'"),
            QStringLiteral("name in ()"), QStringLiteral("order by"), QStringLiteral(")))")};
        // Each is an error pointing inside the query, except the one that is
        // valid: a name that matches nothing.
        for (const auto& q : inputs) {
            const auto sel = RunQuery(q).select(table_);
            if (q.startsWith(QStringLiteral("name = "))) {
                QVERIFY2(!sel.error, qPrintable(q));
                QVERIFY(sel.rows.empty());
                continue;
            }
            QVERIFY2(sel.error.has_value(), qPrintable(q.left(40)));
            QVERIFY(sel.error->position >= 0 && sel.error->position <= q.size());
            QVERIFY(!sel.error->message.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestRunQuery)
#include "test_run_query.moc"
