// SPDX-License-Identifier: GPL-3.0-or-later
#include "heat_map_widget.h"

#include "colour_ramp.h"
#include "number_text.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace runlens::ui {

namespace {

constexpr double kTop = 26, kRight = 96, kBottom = 58;   // the legend takes the right
constexpr double kMaxLeft = 180, kMinLeft = 60;

// Where a mean falls on the palette.
double shareOf(const ParamHeatMap& m, double mean)
{
    return m.maxMean > m.minMean ? (mean - m.minMean) / (m.maxMean - m.minMean) : 0.5;
}

} // namespace

HeatMapWidget::HeatMapWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(320, 220);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void HeatMapWidget::setHeatMap(ParamHeatMap map)
{
    map_ = std::move(map);
    update();
}

double HeatMapWidget::leftMargin() const
{
    // As wide as the longest row label, within bounds (longer ones elide).
    const QFontMetrics fm(font());
    double widest = 0;
    for (const auto& g : map_.y)
        widest = std::max(widest, double(fm.horizontalAdvance(g.label)));
    return std::clamp(widest + 14, kMinLeft, kMaxLeft);
}

QRectF HeatMapWidget::gridRect() const
{
    const double left = leftMargin();
    return QRectF(left, kTop, std::max(10.0, width() - left - kRight), std::max(10.0, height() - kTop - kBottom));
}

QRectF HeatMapWidget::cellRect(int xi, int yi) const
{
    const QRectF g = gridRect();
    const double w = g.width() / double(std::max<size_t>(1, map_.x.size()));
    const double h = g.height() / double(std::max<size_t>(1, map_.y.size()));
    // Row 0 at the bottom, as on a chart's y axis: numbers rise upwards.
    return QRectF(g.left() + w * xi, g.bottom() - h * (yi + 1), w, h);
}

std::pair<int, int> HeatMapWidget::cellAt(const QPointF& pos) const
{
    for (size_t y = 0; y < map_.y.size(); ++y)
        for (size_t x = 0; x < map_.x.size(); ++x)
            if (cellRect(int(x), int(y)).contains(pos))
                return {int(x), int(y)};
    return {-1, -1};
}

std::vector<int> HeatMapWidget::rowsOf(int xi, int yi) const
{
    std::vector<int> inColumn, inRow, out;
    for (const auto& p : map_.x[size_t(xi)].points)
        inColumn.push_back(p.row);
    for (const auto& p : map_.y[size_t(yi)].points)
        inRow.push_back(p.row);
    std::sort(inColumn.begin(), inColumn.end());
    std::sort(inRow.begin(), inRow.end());
    std::set_intersection(inColumn.begin(), inColumn.end(), inRow.begin(), inRow.end(), std::back_inserter(out));
    return out;
}

void HeatMapWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    if (map_.cells.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, map_.warning.isEmpty() ? tr("No runs to show") : map_.warning);
        return;
    }
    const QRectF grid = gridRect();
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.9);
    const QFontMetrics fm(small);
    p.setFont(small);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(4, 2, width() - 8, kTop - 6), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(tr("mean %1 by %2 and %3").arg(map_.metric, map_.paramX, map_.paramY), Qt::ElideMiddle,
                             width() - 8));
    const QColor empty = pal.color(QPalette::AlternateBase);
    QColor hatch = pal.color(QPalette::PlaceholderText);
    hatch.setAlpha(70);
    for (size_t y = 0; y < map_.y.size(); ++y)
        for (size_t x = 0; x < map_.x.size(); ++x) {
            const QRectF cell = cellRect(int(x), int(y)).adjusted(1, 1, -1, -1);
            const HeatMapCell& c = map_.at(x, y);
            QString text;
            QColor ink;
            if (c.n == 0) {
                p.fillRect(cell, empty);
                p.fillRect(cell, QBrush(hatch, Qt::BDiagPattern));
                text = tr("no runs");
                ink = pal.color(QPalette::PlaceholderText);
            } else {
                const double t = shareOf(map_, c.mean);
                p.fillRect(cell, viridis(t));
                ink = darkOnViridis(t) ? QColor(Qt::black) : QColor(Qt::white);
                text = compactNumber(c.mean) + QStringLiteral("\nn=%1").arg(c.n);
            }
            // The text only where it fits: two lines, else the first, else none (the tooltip has it).
            const QStringList lines = text.split(QLatin1Char('\n'));
            int fit = 0;
            while (fit < lines.size() && fm.height() * (fit + 1) <= cell.height() - 2
                   && fm.horizontalAdvance(lines[fit]) <= cell.width() - 4)
                ++fit;
            if (fit > 0) {
                p.setPen(ink);
                p.drawText(cell, Qt::AlignCenter, lines.mid(0, fit).join(QLatin1Char('\n')));
            }
        }
    // Axis labels: columns under the grid, rows to its left, elided (whole on hover).
    p.setPen(pal.color(QPalette::Text));
    for (size_t x = 0; x < map_.x.size(); ++x) {
        const QRectF cell = cellRect(int(x), 0);
        p.drawText(QRectF(cell.left() + 2, grid.bottom() + 4, cell.width() - 4, 18), Qt::AlignHCenter | Qt::AlignTop,
                   fm.elidedText(map_.x[x].label, Qt::ElideMiddle, int(cell.width()) - 4));
    }
    const double left = leftMargin();
    for (size_t y = 0; y < map_.y.size(); ++y) {
        const QRectF cell = cellRect(0, int(y));
        p.drawText(QRectF(2, cell.top(), left - 8, cell.height()), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(map_.y[y].label, Qt::ElideMiddle, int(left) - 10));
    }
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRectF(grid.left(), height() - 20, grid.width(), 16), Qt::AlignHCenter | Qt::AlignVCenter,
               fm.elidedText(map_.paramX, Qt::ElideMiddle, int(grid.width())));
    p.save();
    p.translate(10, grid.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-grid.height() / 2, -8, grid.height(), 16), Qt::AlignCenter,
               fm.elidedText(map_.paramY, Qt::ElideMiddle, int(grid.height())));
    p.restore();
    // The legend: the palette from the lowest mean to the highest, and the empty cell.
    const QRectF bar(grid.right() + 18, grid.top(), 16, std::max(40.0, grid.height() - 40));
    for (int i = 0; i < int(bar.height()); ++i)
        p.fillRect(QRectF(bar.left(), bar.bottom() - i - 1, bar.width(), 1), viridis(i / bar.height()));
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(bar.right() + 4, bar.top() - 2, kRight - 40, 16), Qt::AlignLeft | Qt::AlignTop, compactNumber(map_.maxMean));
    p.drawText(QRectF(bar.right() + 4, bar.bottom() - 14, kRight - 40, 16), Qt::AlignLeft | Qt::AlignBottom,
               compactNumber(map_.minMean));
    const QRectF none(bar.left(), bar.bottom() + 12, 16, 16);
    p.fillRect(none, empty);
    p.fillRect(none, QBrush(hatch, Qt::BDiagPattern));
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRectF(none.right() + 4, none.top(), kRight - 40, 16), Qt::AlignLeft | Qt::AlignVCenter, tr("no runs"));
}

QString HeatMapWidget::toolTipAt(const QPointF& pos) const
{
    const auto [x, y] = cellAt(pos);
    if (x < 0)
        return {};
    const DistributionGroup& gx = map_.x[size_t(x)];
    const DistributionGroup& gy = map_.y[size_t(y)];
    const HeatMapCell& c = map_.at(size_t(x), size_t(y));
    QString tip = QStringLiteral("<b>%1 = %2</b><br><b>%3 = %4</b><br>")
                      .arg(map_.paramX.toHtmlEscaped(), gx.detail.toHtmlEscaped(), map_.paramY.toHtmlEscaped(),
                           gy.detail.toHtmlEscaped());
    if (c.n == 0)
        return tip + tr("no runs: this combination was not tried (or none has a finite %1)").arg(map_.metric.toHtmlEscaped());
    return tip + tr("%1: mean %2 ± %3 (SD) over %4 run(s)<br><i>Click to select them</i>")
                     .arg(map_.metric.toHtmlEscaped(), compactNumber(c.mean), compactNumber(c.sd))
                     .arg(c.n);
}

void HeatMapWidget::mouseMoveEvent(QMouseEvent* event)
{
    setToolTip(toolTipAt(event->position()));   // Qt shows it where the pointer rests
    QWidget::mouseMoveEvent(event);
}

void HeatMapWidget::mousePressEvent(QMouseEvent* event)
{
    const auto [x, y] = cellAt(event->position());
    if (event->button() != Qt::LeftButton || x < 0)
        return QWidget::mousePressEvent(event);
    if (const auto rows = rowsOf(x, y); !rows.empty())
        emit runsClicked(rows);
}

} // namespace runlens::ui
