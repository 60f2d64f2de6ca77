// SPDX-License-Identifier: GPL-3.0-or-later
#include "scatter_view.h"

#include "column_key.h"
#include "metric_priority.h"
#include "pareto_front.h"
#include "figure_export.h"

#include "run_colors.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace runlens::ui {

ScatterView::ScatterView(QWidget* parent) : QWidget(parent)
{
    x_ = new QComboBox;
    y_ = new QComboBox;
    // Short enough that the bar, Pareto controls included, fits a 1024-pixel window.
    for (QComboBox* c : {x_, y_}) {
        c->setMinimumContentsLength(10);
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    }
    logX_ = new QCheckBox(tr("Log X"));
    logY_ = new QCheckBox(tr("Log Y"));
    pareto_ = new QCheckBox(tr("Pareto"));
    pareto_->setToolTip(tr("Mark the runs no other run beats on both axes"));
    paretoWay_ = new QComboBox;
    // Which way is better on each axis: x first, then y.
    paretoWay_->addItem(tr("low X, high Y"), QStringLiteral("lh"));
    paretoWay_->addItem(tr("low X, low Y"), QStringLiteral("ll"));
    paretoWay_->addItem(tr("high X, high Y"), QStringLiteral("hh"));
    paretoWay_->addItem(tr("high X, low Y"), QStringLiteral("hl"));
    paretoWay_->setVisible(false);
    view_ = new QChartView;
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QWidget::customContextMenuRequested, this, [this](QPoint pos) {
        showFigureMenu(*view_, view_->mapToGlobal(pos), y_->currentText() + QStringLiteral("-vs-") + x_->currentText());
    });
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("X:")));
    bar->addWidget(x_);
    bar->addWidget(logX_);
    bar->addWidget(new QLabel(tr("Y:")));
    bar->addWidget(y_);
    bar->addWidget(logY_);
    bar->addSpacing(12);
    bar->addWidget(pareto_);
    bar->addWidget(paretoWay_);
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(view_, 1);
    for (auto* c : {logX_, logY_, pareto_})
        connect(c, &QCheckBox::toggled, this, &ScatterView::rebuild);
    connect(pareto_, &QCheckBox::toggled, paretoWay_, &QWidget::setVisible);
    connect(paretoWay_, &QComboBox::currentIndexChanged, this, &ScatterView::rebuild);
    for (auto* c : {x_, y_})
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            chooseParetoWay();   // new axes: the better ways from their names again
            rebuild();
        });
}

void ScatterView::setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows, const QString& metric)
{
    table_ = std::move(table);
    rows_ = rows;
    const QString keepX = x_->currentData().toString(), keepY = y_->currentData().toString();
    const QSignalBlocker bx(x_), by(y_);
    x_->clear();
    y_->clear();
    auto present = [&](auto&& has) { return std::any_of(rows_.begin(), rows_.end(), has); };
    for (const auto& c : table_->params())
        if (c.allNumeric && present([&](int r) { return c.has(r); }))
            x_->addItem(c.key, QStringLiteral("params.") + c.key);
    for (const auto& m : table_->metrics())
        if (present([&](int r) { return m.has(r); })) {
            x_->addItem(m.key, QStringLiteral("metrics.") + m.key);
            y_->addItem(m.key, QStringLiteral("metrics.") + m.key);
        }
    const int xi = x_->findData(keepX), yi = y_->findData(keepY.isEmpty() ? QStringLiteral("metrics.") + metric : keepY);
    x_->setCurrentIndex(xi >= 0 ? xi : 0);
    y_->setCurrentIndex(yi >= 0 ? yi : 0);
    chooseParetoWay();
    rebuild();
}

void ScatterView::setAxes(const QString& xKey, const QString& yMetric)
{
    const int xi = x_->findData(xKey), yi = y_->findData(QStringLiteral("metrics.") + yMetric);
    if (xi >= 0)
        x_->setCurrentIndex(xi);
    if (yi >= 0)
        y_->setCurrentIndex(yi);
    rebuild();
}

void ScatterView::chooseParetoWay()
{
    // From the axes' names: losses, errors and durations lower, scores
    // higher; a param (a cost such as its size) lower.
    const QSignalBlocker block(paretoWay_);
    const auto key = [](QComboBox* c) { return ColumnKey::parse(c->currentData().toString()).name; };
    const bool lowX = !x_->currentData().toString().startsWith(QLatin1String("metrics.")) || lowerIsBetter(key(x_));
    const QString code = QString(QLatin1Char(lowX ? 'l' : 'h')) + QLatin1Char(lowerIsBetter(key(y_)) ? 'l' : 'h');
    paretoWay_->setCurrentIndex(paretoWay_->findData(code));
}

void ScatterView::setParetoShown(bool shown)
{
    pareto_->setChecked(shown);
}

void ScatterView::setParetoDirections(bool lowerXBetter, bool lowerYBetter)
{
    const QString code = QString(QLatin1Char(lowerXBetter ? 'l' : 'h')) + QLatin1Char(lowerYBetter ? 'l' : 'h');
    const QSignalBlocker block(paretoWay_);
    paretoWay_->setCurrentIndex(paretoWay_->findData(code));
    rebuild();
}

int ScatterView::pointCount() const { return series_ ? int(series_->count()) : 0; }

std::optional<double> ScatterView::valueOf(const QString& key, int row) const
{
    const ColumnKey column = ColumnKey::parse(key);
    if (column.isParam()) {
        const ValueColumn* c = table_->param(column.name);
        if (c && c->has(row) && std::isfinite(c->number[size_t(row)]))
            return c->number[size_t(row)];
    } else if (column.isMetric()) {
        const MetricColumn* m = table_->metric(column.name);
        if (m && m->has(row) && std::isfinite(m->last[size_t(row)]))
            return m->last[size_t(row)];
    }
    return std::nullopt;
}

void ScatterView::rebuild()
{
    auto* chart = new QChart;
    chart->legend()->hide();
    chart->setBackgroundBrush(palette().color(QPalette::Base));
    chart->setTitleBrush(palette().color(QPalette::Text));
    series_ = new QScatterSeries;
    series_->setMarkerSize(9);
    series_->setBorderColor(Qt::transparent);
    pointRows_.clear();
    const QString xKey = x_->currentData().toString(), yKey = y_->currentData().toString();
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    if (table_ && !xKey.isEmpty() && !yKey.isEmpty()) {
        for (int r : rows_) {
            const auto x = valueOf(xKey, r), y = valueOf(yKey, r);
            if (!x || !y || (logX_->isChecked() && *x <= 0) || (logY_->isChecked() && *y <= 0))
                continue;   // a log axis has no place for zero or less
            series_->append(*x, *y);
            series_->setPointConfiguration(int(pointRows_.size()), QXYSeries::PointConfiguration::Color, runColor(table_->id(r)));
            pointRows_.push_back(r);
            x0 = std::min(x0, *x);
            x1 = std::max(x1, *x);
            y0 = std::min(y0, *y);
            y1 = std::max(y1, *y);
        }
    }
    // The front: a line from one of its runs to the next, so the trade-off
    // reads as a curve, and its runs drawn larger (markSelected).
    paretoRows_.clear();
    QLineSeries* frontLine = nullptr;
    if (pareto_->isChecked() && series_->count() > 0) {
        std::vector<std::pair<double, double>> points;
        for (int i = 0; i < series_->count(); ++i)
            points.emplace_back(series_->at(i).x(), series_->at(i).y());
        const QString way = paretoWay_->currentData().toString();
        const auto front = paretoFront(points, way[0] == QLatin1Char('l') ? Better::Lower : Better::Higher,
                                       way[1] == QLatin1Char('l') ? Better::Lower : Better::Higher);
        frontLine = new QLineSeries;
        QPen pen(palette().color(QPalette::Text));
        pen.setWidthF(1.2);
        pen.setStyle(Qt::DashLine);
        frontLine->setPen(pen);
        for (size_t i : front) {
            frontLine->append(points[i].first, points[i].second);
            paretoRows_.push_back(pointRows_[i]);
        }
    }
    // The points first: a line series added before them hides them (Qt Charts 6.4).
    chart->addSeries(series_);
    if (frontLine)
        chart->addSeries(frontLine);
    auto makeAxis = [&](bool log, double lo, double hi, const QString& title) -> QAbstractAxis* {
        if (log) {
            auto* a = new QLogValueAxis;
            a->setLabelFormat(QStringLiteral("%g"));
            a->setBase(10);
            if (lo <= hi)
                a->setRange(lo / 1.3, hi * 1.3);
            a->setTitleText(title);
            return a;
        }
        auto* a = new QValueAxis;
        if (lo <= hi) {
            const double pad = hi > lo ? (hi - lo) * 0.06 : std::max(std::abs(lo) * 0.05, 1e-9);
            a->setRange(lo - pad, hi + pad);
        }
        a->applyNiceNumbers();
        a->setTitleText(title);
        return a;
    };
    QAbstractAxis* ax = makeAxis(logX_->isChecked(), x0, x1, x_->currentText());
    QAbstractAxis* ay = makeAxis(logY_->isChecked(), y0, y1, y_->currentText());
    for (QAbstractAxis* a : {ax, ay}) {
        a->setLabelsBrush(palette().color(QPalette::Text));
        a->setTitleBrush(palette().color(QPalette::Text));
    }
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    for (QXYSeries* s : std::initializer_list<QXYSeries*>{series_, frontLine})
        if (s) {
            s->attachAxis(ax);
            s->attachAxis(ay);
        }
    if (frontLine)
        chart->setTitle(paretoRows_.size() == 1 ? tr("1 run on the Pareto front") : tr("%1 runs on the Pareto front").arg(paretoRows_.size()));
    connect(series_, &QScatterSeries::hovered, this, [this](const QPointF& point, bool state) {
        const int r = rowAt(point);
        if (!state || r < 0) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(), QStringLiteral("<b>%1</b><br>%2 = %3<br>%4 = %5")
                                               .arg(table_->name(r).toHtmlEscaped(), x_->currentText().toHtmlEscaped())
                                               .arg(point.x())
                                               .arg(y_->currentText().toHtmlEscaped())
                                               .arg(point.y()));
    });
    connect(series_, &QScatterSeries::clicked, this, [this](const QPointF& point) {
        if (const int r = rowAt(point); r >= 0)
            emit runClicked(r, QGuiApplication::keyboardModifiers() & Qt::ControlModifier);
    });
    QChart* old = view_->chart();
    view_->setChart(chart);
    delete old;
    markSelected();
}

int ScatterView::rowAt(const QPointF& point) const
{
    if (!series_)
        return -1;
    for (int i = 0; i < series_->count(); ++i)
        if (series_->at(i) == point)
            return pointRows_[size_t(i)];
    return -1;
}

void ScatterView::setSelectedRows(const std::vector<int>& rows)
{
    selected_ = rows;
    markSelected();
}

void ScatterView::markSelected()
{
    if (!series_)
        return;
    for (size_t i = 0; i < pointRows_.size(); ++i) {
        const bool chosen = std::find(selected_.begin(), selected_.end(), pointRows_[i]) != selected_.end();
        const bool front = std::find(paretoRows_.begin(), paretoRows_.end(), pointRows_[i]) != paretoRows_.end();
        series_->setPointConfiguration(int(i), QXYSeries::PointConfiguration::Size, chosen ? 16.0 : front ? 13.0 : 9.0);
    }
}

} // namespace runlens::ui
