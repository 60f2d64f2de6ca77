// SPDX-License-Identifier: GPL-3.0-or-later
// Decimation for the curves: every spike kept, pixel-exact extremes per
// column, full resolution when zoomed in; and the smoothing filters.
#include "axis_ticks.h"
#include "group_bands.h"
#include "metric_series.h"
#include "run_details.h"
#include "pan_frame.h"
#include "view_motion.h"
#include "plot_series.h"
#include "range_statistics.h"
#include "series_smoothing.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace runlens;

namespace {

MetricSeries makeSeries(size_t n, const std::function<double(size_t)>& f)
{
    MetricSeries s;
    for (size_t i = 0; i < n; ++i) {
        s.steps.push_back(int64_t(i));
        s.wallTimes.push_back(1000.0 + double(i) * 0.5);
        s.values.push_back(f(i));
    }
    return s;
}

double maxY(const std::vector<PlotPoint>& pts)
{
    double m = -INFINITY;
    for (const auto& p : pts)
        if (!std::isnan(p.y))
            m = std::max(m, p.y);
    return m;
}

} // namespace

namespace {

// 200,000 points of noise with NaN at 5,000-5,099: the series both
// decimation checks run on.
std::vector<double> noiseWithAGap()
{
    std::mt19937 rng(3);
    std::normal_distribution<double> noise;
    std::vector<double> values(200000);
    for (auto& v : values)
        v = noise(rng);
    for (size_t i = 5000; i < 5100; ++i)
        values[i] = NAN;
    return values;
}

} // namespace

class TestPlotSeries : public QObject {
    Q_OBJECT

private slots:
    void rangeStatisticsReadOnlyTheRangeAndSkipNonFinite()
    {
        //            x: 0    1    2     3    4         5    6    7
        const PlotSeries s({0, 1, 2, 3, 4, 5, 6, 7}, {9.0, 4.0, NAN, 1.0, INFINITY, 3.0, 1.0, 8.0});
        const RangeStatistics r = rangeStatistics(s, 1, 6);
        QCOMPARE(r.count, size_t(4));   // 4, 1, 3, 1: the NaN and the Inf left out
        QCOMPARE(r.min, 1.0);
        QCOMPARE(r.xAtMin, 3.0);   // the first step reaching it
        QCOMPARE(r.max, 4.0);
        QCOMPARE(r.xAtMax, 1.0);
        QCOMPARE(r.mean, 9.0 / 4);
        QCOMPARE(r.first, 4.0);
        QCOMPARE(r.last, 1.0);
        QCOMPARE(r.xLast, 6.0);
        QCOMPARE(r.delta(), -3.0);
        // Bounds are inclusive; a range between points holds none.
        QCOMPARE(rangeStatistics(s, 7, 7).count, size_t(1));
        const RangeStatistics none = rangeStatistics(s, 2.2, 2.8);
        QCOMPARE(none.count, size_t(0));
        QVERIFY(std::isnan(none.mean));
    }

    void isolatedOneStepSpikeSurvivesDecimation()
    {
        const size_t n = 1000000;
        const PlotSeries s(makeSeries(n, [](size_t i) { return i == 777777 ? 50.0 : std::sin(double(i) * 1e-4); }),
                           XAxis::Step);
        const auto pts = s.decimate(0, double(n - 1), 800);
        QVERIFY(pts.size() <= 800 * 4 + 2);
        QCOMPARE(maxY(pts), 50.0);
        bool found = false;
        for (const auto& p : pts)
            found |= p.x == 777777.0 && p.y == 50.0;
        QVERIFY(found);   // at its own x, not smeared over the column
        // A negative spike too.
        const PlotSeries d(makeSeries(n, [](size_t i) { return i == 123457 ? -9.0 : 1.0; }), XAxis::Step);
        double lo = INFINITY;
        for (const auto& p : d.decimate(0, double(n - 1), 640))
            lo = std::min(lo, p.y);
        QCOMPARE(lo, -9.0);
    }

    // The frames drawn while the view moves come from the pyramid alone:
    // every spike of the window still reaches the frame (at its block's x,
    // so within half a column of its own), every value shown is one the
    // window holds (the edge blocks aside), a gap stays a gap, and the
    // frame is a few points a column however many points lie under it.
    void framesWhileMovingKeepEverySpike()
    {
        const size_t n = 1000000;
        std::vector<double> values(n);
        for (size_t i = 0; i < n; ++i)
            values[i] = std::sin(double(i) * 1e-4);
        const std::vector<size_t> spikes{1234, 300001, 500000, 777777, 999000};
        for (size_t k = 0; k < spikes.size(); ++k)
            values[spikes[k]] = k % 2 ? -40.0 - double(k) : 40.0 + double(k);
        for (size_t i = 600000; i < 620000; ++i)
            values[i] = NAN;
        const PlotSeries s(makeSeries(n, [&](size_t i) { return values[i]; }), XAxis::Step);
        for (const auto& [x0, x1, cols] : {std::tuple{0.0, double(n - 1), 562}, std::tuple{250000.0, 850000.0, 300},
                                           std::tuple{100.5, 999999.0, 1000}}) {
            const auto pts = s.decimateWhileMoving(x0, x1, cols);
            QVERIFY2(pts.size() <= size_t(cols) * 2 + 2, qPrintable(QString::number(pts.size())));
            const double width = (x1 - x0) / cols;
            for (size_t k = 0; k < spikes.size(); ++k) {
                const double x = double(spikes[k]);
                if (x < x0 || x > x1)
                    continue;
                bool found = false;
                for (const auto& p : pts)
                    found |= p.y == values[spikes[k]] && std::abs(p.x - x) <= width / 2 + 1;
                QVERIFY2(found, qPrintable(QStringLiteral("spike at %1 in [%2, %3]").arg(x).arg(x0).arg(x1)));
            }
            // Each point is a value of the window (or of a block reaching over its edge).
            const double reach = width / 2 + 2;
            for (const auto& p : pts) {
                if (std::isnan(p.y)) {
                    QVERIFY(p.x >= 600000 - width && p.x <= 620000 + width);   // the gap, and only it
                    continue;
                }
                bool real = false;
                for (size_t i = size_t(std::max(0.0, p.x - reach)); i <= size_t(std::min(double(n - 1), p.x + reach)) && !real; ++i)
                    real = values[i] == p.y;
                QVERIFY2(real, qPrintable(QStringLiteral("(%1, %2) is no value near its x").arg(p.x).arg(p.y)));
            }
            bool gap = false;
            for (const auto& p : pts)
                gap |= std::isnan(p.y);
            QCOMPARE(gap, x0 < 600000 && x1 > 620000);
            // x never goes back: the line is drawn left to right.
            for (size_t i = 1; i < pts.size(); ++i)
                QVERIFY(pts[i].x >= pts[i - 1].x);
        }
        // Only +inf over a stretch: kept (drawn at the edge), and x still only grows.
        std::vector<double> infinite = values;
        for (size_t i = 700000; i < 705000; ++i)
            infinite[i] = INFINITY;
        const PlotSeries withInf(makeSeries(n, [&](size_t i) { return infinite[i]; }), XAxis::Step);
        const auto inf = withInf.decimateWhileMoving(0, double(n - 1), 562);
        QVERIFY(std::any_of(inf.begin(), inf.end(), [](const PlotPoint& p) { return p.y == INFINITY; }));
        for (size_t i = 1; i < inf.size(); ++i)
            QVERIFY(inf[i].x >= inf[i - 1].x);
        // Steps with a long gap (a resumed run): blocks would straddle it, so the exact frame is drawn.
        MetricSeries gapped;
        for (int64_t i = 0; i < 400000; ++i) {
            gapped.steps.push_back(i < 200000 ? i : i + 5000000);
            gapped.wallTimes.push_back(double(i));
            gapped.values.push_back(std::sin(double(i) * 1e-3));
        }
        const PlotSeries g(gapped, XAxis::Step);
        const double gx1 = double(gapped.steps.back());
        const auto moving = g.decimateWhileMoving(0, gx1, 500);
        const auto exactGap = g.decimate(0, gx1, 500);
        QCOMPARE(moving.size(), exactGap.size());
        for (size_t i = 0; i < moving.size(); ++i)
            QCOMPARE(moving[i].x, exactGap[i].x);
        // Too few points under a column for blocks: the exact frame.
        const auto near = s.decimateWhileMoving(777000, 778000, 500);
        const auto exact = s.decimate(777000, 778000, 500);
        QCOMPARE(near.size(), exact.size());
        QVERIFY(std::any_of(near.begin(), near.end(), [](const PlotPoint& p) { return p.x == 777777.0 && p.y == -43.0; }));
    }

    void columnExtremesMatchABruteForceScan()
    {
        const std::vector<double> values = noiseWithAGap();
        const size_t n = values.size();
        const PlotSeries s(makeSeries(n, [&](size_t i) { return values[i]; }), XAxis::Step);
        for (const auto& [x0, x1, cols] : {std::tuple{0.0, double(n - 1), 500}, std::tuple{1234.0, 98765.0, 333},
                                           std::tuple{4000.0, 6000.0, 100}}) {
            const auto pts = s.decimate(x0, x1, cols);
            const double width = (x1 - x0) / cols;
            for (int c = 0; c < cols; ++c) {
                const double a = x0 + width * c, b = c + 1 == cols ? x1 : x0 + width * (c + 1);
                double lo = INFINITY, hi = -INFINITY;
                for (size_t i = size_t(std::ceil(a)); double(i) <= b && i < n; ++i) {
                    if (!(double(i) > a || (c == 0 && double(i) >= a)))
                        continue;
                    if (!std::isnan(values[i])) {
                        lo = std::min(lo, values[i]);
                        hi = std::max(hi, values[i]);
                    }
                }
                double dlo = INFINITY, dhi = -INFINITY;
                for (const auto& p : pts)
                    if ((p.x > a || (c == 0 && p.x >= a)) && p.x <= b && !std::isnan(p.y)) {
                        dlo = std::min(dlo, p.y);
                        dhi = std::max(dhi, p.y);
                    }
                QCOMPARE(dlo, lo);
                QCOMPARE(dhi, hi);
            }
        }
    }

    void everyColumnKeepsItsExtremesWithRealPoints()
    {
        const std::vector<double> values = noiseWithAGap();
        const size_t n = values.size();
        const PlotSeries s(makeSeries(n, [&](size_t i) { return values[i]; }), XAxis::Step);
        // Dense windows (whole pyramid blocks) and a sparse one (raw scans).
        for (const auto& [x0, x1, cols] : {std::tuple{0.0, double(n - 1), 500}, std::tuple{1234.0, 98765.0, 333},
                                           std::tuple{4000.0, 6000.0, 100}}) {
            const auto pts = s.decimate(x0, x1, cols);
            for (size_t k = 0; k < pts.size(); ++k) {
                // Nothing invented: each point is the series' own, in x order.
                const auto i = size_t(pts[k].x);
                QCOMPARE(pts[k].x, double(i));
                QVERIFY(std::isnan(pts[k].y) ? std::isnan(values[i]) : pts[k].y == values[i]);
                if (k)
                    QVERIFY(pts[k].x >= pts[k - 1].x);
            }
            // Nothing lost: each column's true extremes are drawn within an
            // eighth of a column of it.
            const double width = (x1 - x0) / cols;
            for (int c = 0; c < cols; ++c) {
                const double a = x0 + width * c, b = c + 1 == cols ? x1 : x0 + width * (c + 1);
                double lo = INFINITY, hi = -INFINITY;
                for (size_t i = size_t(std::ceil(a)); double(i) <= b && i < n; ++i)
                    if (!std::isnan(values[i])) {
                        lo = std::min(lo, values[i]);
                        hi = std::max(hi, values[i]);
                    }
                if (lo > hi)
                    continue;
                double dlo = INFINITY, dhi = -INFINITY;
                for (const auto& p : pts)
                    if (p.x >= a - width / 8 && p.x <= b + width / 8 && !std::isnan(p.y)) {
                        dlo = std::min(dlo, p.y);
                        dhi = std::max(dhi, p.y);
                    }
                QVERIFY2(dlo <= lo && dhi >= hi, qPrintable(QStringLiteral("column %1 of %2").arg(c).arg(cols)));
            }
        }
    }

    void zoomingInReachesFullResolution()
    {
        const size_t n = 1000000;
        const PlotSeries s(makeSeries(n, [](size_t i) { return double(i % 7); }), XAxis::Step);
        const auto wide = s.decimate(0, double(n - 1), 800);
        QVERIFY(wide.size() < 4000);
        const auto pts = s.decimate(500000, 500300, 800);
        // Every point in range, plus one beyond each edge.
        QCOMPARE(pts.size(), size_t(303));
        for (size_t k = 0; k < pts.size(); ++k) {
            QCOMPARE(pts[k].x, 499999.0 + double(k));
            QCOMPARE(pts[k].y, double((499999 + k) % 7));
        }
    }

    void axesAndOrdering()
    {
        MetricSeries m;
        m.steps = {5, 1, 3};
        m.wallTimes = {105, 101, 103};
        m.values = {0.5, 0.1, 0.3};
        const PlotSeries byStep(m, XAxis::Step);
        QCOMPARE(std::vector<double>(byStep.xs().begin(), byStep.xs().end()), (std::vector<double>{1, 3, 5}));
        QCOMPARE(std::vector<double>(byStep.ys().begin(), byStep.ys().end()), (std::vector<double>{0.1, 0.3, 0.5}));
        const PlotSeries rel(m, XAxis::RelativeTime);
        QCOMPARE(rel.xMin(), -4.0);   // relative to the first logged point
        QCOMPARE(rel.xMax(), 0.0);
        double x, y;
        QVERIFY(byStep.valueAt(4.2, x, y));
        QCOMPARE(x, 3.0);
        QCOMPARE(y, 0.3);
        QVERIFY(!byStep.valueAt(0.5, x, y));
        double lo, hi;
        QVERIFY(byStep.yRange(0, 10, lo, hi));
        QCOMPARE(lo, 0.1);
        QCOMPARE(hi, 0.5);
    }

    void infinitiesDoNotFlattenTheRange()
    {
        const PlotSeries s(makeSeries(1000, [](size_t i) { return i == 10 ? INFINITY : double(i); }), XAxis::Step);
        double lo, hi;
        QVERIFY(s.yRange(0, 999, lo, hi));
        QCOMPARE(lo, 0.0);
        QCOMPARE(hi, 999.0);
    }

    void smoothing()
    {
        const std::vector<double> v = {1, 2, 3};
        const auto e = emaDebiased(v, 0.5);
        QCOMPARE(e[0], 1.0);
        QVERIFY(std::abs(e[1] - 5.0 / 3.0) < 1e-12);
        QVERIFY(std::abs(e[2] - 2.125 / 0.875) < 1e-12);
        const auto constant = emaDebiased(std::vector<double>(50, 4.0), 0.9);
        for (double c : constant)
            QVERIFY(std::abs(c - 4.0) < 1e-12);   // debiased: no ramp from zero
        const auto r = runningMean(std::vector<double>{1, 2, 3, NAN, 5}, 2);
        QCOMPARE(r[0], 1.0);
        QCOMPARE(r[1], 1.5);
        QCOMPARE(r[2], 2.5);
        QVERIFY(std::isnan(r[3]));
        QCOMPARE(r[4], 4.0);
    }

    void tickLabelsNeverRepeat()
    {
        // A TensorBoard epoch_val_loss axis was labelled 2.95e-05, 2.95e-05,
        // 2.94e-05, 2.94e-05: ticks that differ must read differently.
        const double lo = 2.9405e-05, hi = 2.9515e-05;
        const auto ticks = niceTicks(lo, hi, 8);
        QVERIFY(ticks.size() >= 4);
        const QStringList labels = tickLabels(ticks, hi - lo);
        QCOMPARE(labels.size(), qsizetype(ticks.size()));
        for (qsizetype i = 1; i < labels.size(); ++i)
            QVERIFY2(labels[i] != labels[i - 1], qPrintable(labels.join(QStringLiteral(", "))));
        for (qsizetype i = 0; i < labels.size(); ++i) // each label still reads as its value
            QVERIFY(std::abs(labels[i].toDouble() - ticks[size_t(i)]) <= (hi - lo) / 10);
        // Ordinary ranges keep their short labels.
        const std::vector<double> unit = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
        QCOMPARE(tickLabels(unit, 1.0).join(QLatin1Char(',')), QStringLiteral("0,0.2,0.4,0.6,0.8,1.0"));
        const std::vector<double> steps = {0, 2000, 4000};
        QCOMPARE(tickLabels(steps, 5000).join(QLatin1Char(',')), QStringLiteral("0,2000,4000"));
        // Large values close together (wall-clock milliseconds) are told apart too.
        const std::vector<double> wall = {1.7000000001e12, 1.7000000002e12, 1.7000000003e12};
        const QStringList w = tickLabels(wall, 2e2);
        QVERIFY2(w[0] != w[1] && w[1] != w[2], qPrintable(w.join(QStringLiteral(", "))));
        // A log axis zoomed near 1 (exponents about 0) once read "1, 1, 0.999, 0.999".
        const auto exps = niceTicks(std::log10(0.9985), std::log10(1.0012), 6);
        const QStringList l = logTickLabels(exps);
        QVERIFY(l.size() >= 3);
        for (qsizetype i = 1; i < l.size(); ++i)
            QVERIFY2(l[i] != l[i - 1], qPrintable(l.join(QStringLiteral(", "))));
        const std::vector<double> decades = {-2, -1, 0, 1};
        QCOMPARE(logTickLabels(decades).join(QLatin1Char(',')), QStringLiteral("0.01,0.1,1,10"));
        // Degenerate ranges give no ticks rather than an endless loop.
        QVERIFY(niceTicks(1.0, 1.0, 5).empty());
        QVERIFY(niceTicks(0, std::numeric_limits<double>::infinity(), 5).empty());
        QVERIFY(niceTicks(1.0, std::nextafter(1.0, 2.0), 5).size() <= 15);
    }

    void decimationReachesTheEdgesBetweenWholeSteps()
    {
        // A window that starts and ends between steps: the points just
        // outside it come back so lines reach both edges (the border check
        // held only because x0 was a whole step).
        std::vector<double> xs, ys;
        for (int i = 0; i < 1000; ++i) {
            xs.push_back(i * 10);
            ys.push_back(i);
        }
        const PlotSeries s(std::move(xs), std::move(ys));
        for (const int columns : {4, 200, 5000}) {
            const auto pts = s.decimate(1234.5, 5678.5, columns);
            QVERIFY(!pts.empty());
            QCOMPARE(pts.front().x, 1230.0);
            QCOMPARE(pts.back().x, 5680.0);
        }
    }

    void summariesKnowTheirFirstAndLastSteps()
    {
        // Steps out of order, a repeat, a NaN: the first step is the smallest,
        // the last value is the one at the largest step (shown by the CLI and
        // the details view, checked by nothing before).
        MetricSeries m;
        m.steps = {5, 3, 9, 4, 9};
        m.wallTimes = {0, 0, 0, 0, 0};
        m.values = {0.5, 0.3, 0.9, std::nan(""), 0.95};
        const MetricSummary sum = summarizeSeries(QStringLiteral("loss"), m);
        QCOMPARE(sum.firstStep, int64_t(3));
        QCOMPARE(sum.lastStep, int64_t(9));
        QCOMPARE(sum.last, 0.95);
        QCOMPARE(sum.count, int64_t(5));
        QCOMPARE(sum.nanCount, int64_t(1));
        QCOMPARE(sum.min, 0.3);
        QCOMPARE(sum.max, 0.95);
    }

    void groupBandsAverageMembersPerBucket()
    {
        // Two runs at 1 and 3 everywhere, a third at 5 over the first half only.
        auto line = [](double y, int n) {
            std::vector<double> xs, ys;
            for (int i = 0; i < n; ++i) {
                xs.push_back(i);
                ys.push_back(y);
            }
            return PlotSeries(std::move(xs), std::move(ys));
        };
        const PlotSeries a = line(1, 100), b = line(3, 100), half = line(5, 50);
        auto band = groupBand({&a, &b}, 0, 100, 10, BandKind::MinMax);
        QCOMPARE(band.size(), size_t(10));
        for (const auto& p : band) {
            QCOMPARE(p.mean, 2.0);
            QCOMPARE(p.lower, 1.0);
            QCOMPARE(p.upper, 3.0);
            QCOMPARE(p.members, 2);
        }
        band = groupBand({&a, &b}, 0, 100, 10, BandKind::StdDev);
        QCOMPARE(band[0].upper - band[0].mean, std::sqrt(2.0)); // sample SD of {1, 3}
        band = groupBand({&a, &b, &half}, 0, 100, 10, BandKind::MinMax);
        QCOMPARE(band.front().members, 3);
        QCOMPARE(band.front().mean, 3.0);
        QCOMPARE(band.back().members, 2); // the short run does not reach the end
        QCOMPARE(band.back().upper, 3.0);
        // Through the axis transform, non-finite values left out; an empty range gives nothing.
        band = groupBand({&a, &b}, 0, 100, 5, BandKind::MinMax, [](double y) { return std::log10(y - 1); });
        QCOMPARE(band.front().members, 1); // log10(0) is -inf: only b counts
        QCOMPARE(band.front().mean, std::log10(2.0));
        QVERIFY(groupBand({&a}, 5, 5, 10, BandKind::MinMax).empty());
        QVERIFY(groupBand({}, 0, 1, 10, BandKind::MinMax).empty());
    }

    void groupBandsAlignRunsThatLogAtDifferentSteps()
    {
        // One run logs every 29 steps at 1, another every 8 steps at 0, to
        // step 580 and 1000. Buckets of 5 steps hold a point of either, both
        // or neither: each run is read along its line, so the mean is 0.5
        // wherever both runs are (it zigzagged between 0, 0.5 and 1), and past
        // the sparse run's last point only the other counts (no extrapolation).
        auto every = [](int stride, int last, double y) {
            std::vector<double> xs, ys;
            for (int x = 0; x <= last; x += stride) {
                xs.push_back(x);
                ys.push_back(y);
            }
            return PlotSeries(std::move(xs), std::move(ys));
        };
        const PlotSeries sparse = every(29, 580, 1.0), dense = every(8, 1000, 0.0);
        const auto band = groupBand({&sparse, &dense}, 0, 1000, 200, BandKind::MinMax);
        QVERIFY(band.size() >= 190);
        int both = 0;
        for (const auto& p : band) {
            if (p.x >= 8 && p.x <= 576) {
                QCOMPARE(p.members, 2);
                QCOMPARE(p.mean, 0.5);
                ++both;
            } else if (p.x > 585) {
                QCOMPARE(p.members, 1);
                QCOMPARE(p.mean, 0.0);
            }
        }
        QVERIFY(both > 100);
        // Nor before its first point: a run that starts late adds nothing
        // to the buckets before it (the mutation pass found this unguarded).
        const PlotSeries late(std::vector<double>{500, 1000}, std::vector<double>{7, 7});
        for (const auto& p : groupBand({&late}, 0, 1000, 10, BandKind::MinMax))
            QVERIFY2(p.x > 500, qPrintable(QString::number(p.x)));
        // A line that changes is read between its points, not held.
        const PlotSeries ramp(std::vector<double>{0, 100}, std::vector<double>{0, 100});
        for (const auto& p : groupBand({&ramp}, 0, 100, 10, BandKind::MinMax))
            QVERIFY2(std::abs(p.mean - p.x) < 1e-9 || p.x < 10 || p.x > 90, qPrintable(QString::number(p.x)));
    }

    void seriesPlotAgainstAnotherMetric()
    {
        // Batch 16 logs 29 steps an epoch, batch 64 logs 8: by step the two
        // cannot be lined up; against their own epoch metric both end at 40.
        auto run = [](int stepsPerEpoch) {
            MetricSeries loss, epoch;
            for (int e = 1; e <= 40; ++e) {
                for (int b = 1; b <= stepsPerEpoch; ++b) {
                    const int64_t step = int64_t(e - 1) * stepsPerEpoch + b;
                    loss.steps.push_back(step);
                    loss.wallTimes.push_back(0);
                    loss.values.push_back(1.0 / e);
                }
                epoch.steps.push_back(int64_t(e) * stepsPerEpoch); // logged at the epoch's last step
                epoch.wallTimes.push_back(0);
                epoch.values.push_back(e);
            }
            return PlotSeries::againstMetric(loss, epoch);
        };
        const PlotSeries b16 = run(29), b64 = run(8);
        QCOMPARE(b16.xMax(), 40.0);
        QCOMPARE(b64.xMax(), 40.0);
        // Steps inside the first epoch come before epoch's first point: no x, left out.
        QCOMPARE(b16.xMin(), 1.0);
        QCOMPARE(b16.size(), size_t(39 * 29 + 1));
        // Between two epoch points x is read along the line: step 29 + 14.5 is epoch 1.5.
        double x = 0, y = 0;
        const PlotSeries halfway = run(2);
        QVERIFY(halfway.valueAt(1.5, x, y));
        QCOMPARE(x, 1.5);
        // NaN x points are skipped; a step logged twice takes its last value;
        // an x that runs backwards still plots in x order.
        MetricSeries v, odd;
        for (int i = 0; i < 4; ++i) {
            v.steps.push_back(i);
            v.wallTimes.push_back(0);
            v.values.push_back(i);
        }
        odd.steps = {0, 1, 1, 2, 3};
        odd.wallTimes = {0, 0, 0, 0, 0};
        odd.values = {10, 7, 9, std::nan(""), 5};
        const PlotSeries against = PlotSeries::againstMetric(v, odd);
        QCOMPARE(against.size(), size_t(4));
        QVERIFY(std::is_sorted(against.xs().begin(), against.xs().end()));
        QCOMPARE(against.xs()[0], 5.0);  // step 3
        QCOMPARE(against.xs()[1], 7.0);  // step 2: between 9 (step 1) and 5 (step 3)
        QCOMPARE(against.xs()[2], 9.0);  // step 1: its last value
        QCOMPARE(against.xs()[3], 10.0); // step 0
    }

    void panFramesEqualDecimatingTheWholeWindow()
    {
        // The pan path keeps the columns still in view and decimates only those
        // scrolled in: inside the window it must give what decimating the whole
        // new window on the same grid gives, for a slide either way.
        std::mt19937 rng(11);
        std::normal_distribution<double> noise;
        std::vector<double> xs, ys;
        // Samples off the column edges: a sample exactly on an edge belongs to
        // the column left of it, so a window starting there has it as its
        // first point where the kept frame had it as a last one (a difference
        // of where one point is drawn in a column, not of what is drawn).
        for (int i = 0; i < 50000; ++i) {
            xs.push_back(i * 0.5 + 0.1);
            ys.push_back(i % 997 == 0 ? NAN : noise(rng));
        }
        const PlotSeries series(std::move(xs), std::move(ys));
        const int columns = 400;
        const double width = 12.5, from0 = 5000, to0 = from0 + columns * width;
        const auto kept = series.decimate(from0, to0, columns);
        auto inside = [](const std::vector<PlotPoint>& points, double a, double b) {
            std::vector<std::pair<double, double>> out;
            for (const auto& p : points)
                if (p.x >= a && p.x < b)
                    out.emplace_back(p.x, std::isnan(p.y) ? -1e300 : p.y);
            return out;
        };
        for (int shift : {7, -7, 150, -150}) {
            const double from = from0 + shift * width, to = to0 + shift * width;
            const double keptFrom = std::max(from, from0), keptTo = std::min(to, to0);
            std::vector<PlotPoint> left, right;
            if (from < keptFrom)
                left = series.decimate(from, keptFrom, int(std::lround((keptFrom - from) / width)));
            if (keptTo < to)
                right = series.decimate(keptTo, to, int(std::lround((to - keptTo) / width)));
            const auto stitched = stitchPanFrame(left.empty() ? nullptr : &left, kept, right.empty() ? nullptr : &right,
                                                 from, keptFrom, keptTo, to);
            const auto direct = series.decimate(from, to, columns);
            const auto got = inside(stitched, from, to), want = inside(direct, from, to);
            const auto diff = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
            QVERIFY2(diff.first == got.end() && diff.second == want.end(),
                     qPrintable(QStringLiteral("shift %1: %2 points against %3; first difference at x = %4 (stitched) / %5")
                                    .arg(shift).arg(got.size()).arg(want.size())
                                    .arg(diff.first == got.end() ? -1.0 : diff.first->first)
                                    .arg(diff.second == want.end() ? -1.0 : diff.second->first)));
            // The line still reaches both borders.
            QVERIFY(std::any_of(stitched.begin(), stitched.end(), [&](const PlotPoint& p) { return p.x < from; }));
            QVERIFY(std::any_of(stitched.begin(), stitched.end(), [&](const PlotPoint& p) { return p.x >= to; }));
        }
    }

    void viewMotions()
    {
        // Panner: dragging right by a quarter of the width shows what was a quarter to the left.
        const auto [x, y] = pannedView({0, 100}, {0, 10}, 50, -20, 200, 100);
        QCOMPARE(x, (AxisRange{-25, 75}));
        QCOMPARE(y, (AxisRange{-2, 8})); // dragging up shows what was below
        // Magnifier: the anchor stays put; a notch in narrows, a notch out widens back.
        const AxisRange in = magnifiedRange({0, 100}, 25, wheelZoomFactor(120));
        QCOMPARE(in.lo, 25 - 25 * 0.85);
        QCOMPARE(in.hi, 25 + 75 * 0.85);
        QVERIFY(std::abs((in.span() / 100) - 0.85) < 1e-12);
        const AxisRange back = magnifiedRange(in, 25, wheelZoomFactor(-120));
        QVERIFY(std::abs(back.lo - 0) < 1e-9 && std::abs(back.hi - 100) < 1e-9);
        QCOMPARE(wheelZoomFactor(0), 1.0);
    }

    void hoverReadsTheNearestPointOrNothing()
    {
        std::vector<double> xs, ys;
        for (int i = 0; i <= 32; ++i) {
            xs.push_back(i * 10);
            ys.push_back(i);
        }
        const PlotSeries s(std::move(xs), std::move(ys));
        double x = 0, y = 0;
        QVERIFY(s.nearestPoint(43, 5, x, y));
        QCOMPARE(x, 40.0);
        QCOMPARE(y, 4.0);
        QVERIFY(s.nearestPoint(47, 5, x, y));
        QCOMPARE(x, 50.0);
        QVERIFY(!s.nearestPoint(45, 4, x, y)); // no point within reach: nothing, not the one before
        // A run that ended at 320 says nothing for a cursor at 860 (it once said "x = 320").
        QVERIFY(!s.nearestPoint(860, 6, x, y));
        QVERIFY(s.valueAt(860, x, y) && x == 320); // what the old read-out used
        QVERIFY(!s.nearestPoint(-10, 6, x, y));
        QVERIFY(s.nearestPoint(-3, 6, x, y) && x == 0);
        QVERIFY(!PlotSeries().nearestPoint(0, 1, x, y));
    }
};

QTEST_GUILESS_MAIN(TestPlotSeries)
#include "test_plot_series.moc"
