// SPDX-License-Identifier: GPL-3.0-or-later
#include "scatter_view.h"

#include "column_key.h"
#include "figure_export.h"

#include "run_colors.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
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
    x_->setMinimumContentsLength(18);
    y_->setMinimumContentsLength(18);
    logX_ = new QCheckBox(tr("Log X"));
    logY_ = new QCheckBox(tr("Log Y"));
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
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(view_, 1);
    for (auto* c : {x_, y_})
        connect(c, &QComboBox::currentIndexChanged, this, &ScatterView::rebuild);
    for (auto* c : {logX_, logY_})
        connect(c, &QCheckBox::toggled, this, &ScatterView::rebuild);
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
    chart->addSeries(series_);
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
    series_->attachAxis(ax);
    series_->attachAxis(ay);
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
        series_->setPointConfiguration(int(i), QXYSeries::PointConfiguration::Size, chosen ? 16.0 : 9.0);
    }
}

} // namespace runlens::ui
