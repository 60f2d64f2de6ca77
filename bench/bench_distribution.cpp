// SPDX-License-Identifier: GPL-3.0-or-later
// Box plots of 10,000 runs (the Distributions tab): paramDistribution by a
// grid param (a group per value) and by a continuous one (quantile bins),
// against a baseline in the same run of the least a box plot needs: group
// the runs by the param's text in a hash, copy each group's values, sort the
// copy with std::sort and read the quartiles. Ours does more (the groups'
// order, bins, whiskers, mean and SD, each run's lane by config, so a
// config's seeds share a column); the ratio says what that costs. Then the
// paint of the view at 1400 x 800 offscreen, against drawing the same
// 10,000 dots in one colour and nothing else. Repetitions: median and worst.
#include "bench_timer.h"
#include "box_plot_widget.h"
#include "param_distribution.h"

#include <QApplication>
#include <QHash>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace runlens;
using namespace runlens::bench;

namespace {

// 2,500 configs x 4 seeds: lr log-uniform (a value per config), batch size
// on a grid of 5, optimizer of 4, width of 8; the metric depends on lr and
// the optimizer, plus seed noise.
RunTable makeSweep(int runs)
{
    RunTable t;
    std::mt19937 rng(42);
    auto u = [&] { return double(rng() >> 5) / double(1u << 27); };
    const int lr = t.paramColumn(QStringLiteral("lr")), batch = t.paramColumn(QStringLiteral("batch_size"));
    const int opt = t.paramColumn(QStringLiteral("optimizer")), width = t.paramColumn(QStringLiteral("width"));
    const int seed = t.paramColumn(QStringLiteral("seed"));
    const int metric = t.metricColumn(QStringLiteral("val/auc"));
    const char* optimizers[] = {"adam", "adamw", "sgd", "rmsprop"};
    double lrValue = 0, batchValue = 0, widthValue = 0;
    int optValue = 0;
    for (int i = 0; i < runs; ++i) {
        if (i % 4 == 0) {   // a new config
            lrValue = std::pow(10.0, -5 + 4 * u());
            batchValue = double(16 << int(u() * 5));
            widthValue = double(64 << int(u() * 8));
            optValue = int(u() * 4);
        }
        const QString id = QStringLiteral("run-%1").arg(i);
        const int row = t.addRun(id, id, QStringLiteral("sweep"), RunStatus::Finished, i, i + 1);
        t.setParamAt(lr, row, QString::number(lrValue), lrValue);
        t.setParamAt(batch, row, QString::number(batchValue), batchValue);
        t.setParamAt(width, row, QString::number(widthValue), widthValue);
        t.setParamAt(opt, row, QString::fromLatin1(optimizers[optValue]), std::nullopt);
        t.setParamAt(seed, row, QString::number(i % 4), double(i % 4));
        const double y = 0.6 + 0.05 * std::log10(lrValue) + (optValue == 0 ? 0.03 : 0) + 0.01 * u();
        t.setMetricAt(metric, row, y, y, y, 1, 0);
    }
    return t;
}

// The baseline: hash the runs by the param's text, sort a copy of each group's values, read the quartiles.
double naiveBoxes(const RunTable& t, const std::vector<int>& rows, const QString& param)
{
    const ValueColumn& c = *t.param(param);
    const MetricColumn& m = *t.metric(QStringLiteral("val/auc"));
    QHash<QString, std::vector<double>> groups;
    for (int r : rows)
        groups[c.text[size_t(r)]].push_back(m.last[size_t(r)]);
    double sum = 0;
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        std::vector<double> copy = it.value();
        std::sort(copy.begin(), copy.end());
        sum += copy[copy.size() / 4] + copy[copy.size() / 2] + copy[copy.size() * 3 / 4];
    }
    return sum;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

void print(const char* what, const std::vector<double>& ours, const char* baseline, const std::vector<double>& base)
{
    report((std::string(what) + ": median").c_str(), median(ours), "ms", (std::string(baseline) + ": median").c_str(),
           median(base));
    report((std::string(what) + ": worst").c_str(), *std::max_element(ours.begin(), ours.end()), "ms",
           (std::string(baseline) + ": worst").c_str(), *std::max_element(base.begin(), base.end()));
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    constexpr int kRuns = 10000;
    constexpr int kRepeats = 9;
    const auto table = std::make_shared<const RunTable>(makeSweep(kRuns));
    std::vector<int> rows(size_t(table->rowCount()));
    for (int i = 0; i < table->rowCount(); ++i)
        rows[size_t(i)] = i;
    std::printf("box plots: %d runs (2,500 configs x 4 seeds), %d repetitions each\n", kRuns, kRepeats);
    double sink = 0;
    ParamDistribution byLr;
    for (const char* param : {"batch_size", "lr"}) {
        std::vector<double> ours, base;
        ParamDistribution d;
        for (int k = 0; k < kRepeats; ++k) {
            Stopwatch a;
            d = paramDistribution(*table, rows, QStringLiteral("val/auc"), QString::fromLatin1(param));
            ours.push_back(a.seconds() * 1000);
            Stopwatch b;
            sink += naiveBoxes(*table, rows, QString::fromLatin1(param));
            base.push_back(b.seconds() * 1000);
        }
        std::printf("by %s: %zu groups%s\n", param, d.groups.size(), d.binned ? " (quantile bins)" : "");
        print(std::string("boxes 10k by ").append(param).c_str(), ours, "hash + std::sort per group", base);
        byLr = std::move(d);
    }

    // The paint of the view, into an image as the screen would get it.
    ui::BoxPlotWidget widget;
    widget.resize(1400, 800);
    widget.setDistribution(table, byLr);
    QImage image(widget.size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> paint, dots;
    for (int k = 0; k < kRepeats; ++k) {
        Stopwatch a;
        widget.render(&image);
        paint.push_back(a.seconds() * 1000);
        Stopwatch b;
        {
            QPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            p.fillRect(image.rect(), Qt::white);
            p.setBrush(Qt::blue);
            p.setPen(Qt::NoPen);
            for (const auto& g : byLr.groups)
                for (const auto& pt : g.points)
                    p.drawEllipse(QPointF(100 + pt.offset * 100 + double(&g - byLr.groups.data()) * 110, 400 - pt.value * 300),
                                  2.0, 2.0);
        }
        dots.push_back(b.seconds() * 1000);
    }
    print("paint 10k dots + boxes", paint, "10k plain dots, one colour", dots);
    std::printf("(checksum %.3f)\n", sink);
    return 0;
}
