// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the query language's parser and evaluator on arbitrary text.
#include "run_query.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const runlens::RunTable table = [] {
        runlens::RunTable t;
        for (int i = 0; i < 4; ++i) {
            const int r = t.addRun(QStringLiteral("id%1").arg(i), QStringLiteral("run-%1").arg(i), QStringLiteral("e"),
                                   runlens::RunStatus::Finished, 1000 * i, 1000 * i + 500);
            t.setParam(r, QStringLiteral("lr"), QString::number(0.1 * i), 0.1 * i);
            t.setMetric(r, QStringLiteral("loss"), 1.0 / (i + 1), 0, 1, 10, 9);
            t.setTag(r, QStringLiteral("stage"), i % 2 ? QStringLiteral("dev") : QStringLiteral("prod"));
        }
        t.sortColumns();
        return t;
    }();
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    runlens::RunQuery(text).select(table);
    return 0;
}
