// SPDX-License-Identifier: GPL-3.0-or-later
#include "box_plot_widget.h"

#include "axis_ticks.h"
#include "number_text.h"
#include "run_colors.h"

#include <QHash>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace runlens::ui {

namespace {

constexpr double kLeft = 72, kRight = 16, kTop = 26, kBottom = 58;
constexpr double kMaxBoxWidth = 90;     // a box wider than this reads as a bar
constexpr double kMaxSpread = 150;      // dots spread over at most this much of a slot
constexpr double kHitRadius = 6;

// Smaller dots as they crowd: 10,000 runs in a dozen groups still show their shape.
double dotRadius(int runs)
{
    return runs <= 500 ? 4.0 : runs <= 3000 ? 3.0 : 2.0;
}

QString groupSummary(const DistributionGroup& g, const QString& param)
{
    QString tip = QStringLiteral("<b>%1 = %2</b>").arg(param.toHtmlEscaped(), g.label.toHtmlEscaped());
    if (g.detail != g.label)
        tip += QStringLiteral("<br>%1").arg(g.detail.toHtmlEscaped());
    const BoxStats& b = g.box;
    tip += QObject::tr("<br>n = %1").arg(b.n);
    if (b.n > 0)
        tip += QObject::tr("<br>median %1, quartiles %2 – %3<br>whiskers %4 – %5 (1.5 IQR), %6 outlier(s)<br>mean %7 ± %8 (SD)")
                   .arg(compactNumber(b.median), compactNumber(b.q1), compactNumber(b.q3), compactNumber(b.lowerWhisker),
                        compactNumber(b.upperWhisker))
                   .arg(b.outliers.size())
                   .arg(compactNumber(g.stats.mean), compactNumber(g.stats.sd));
    return tip + QObject::tr("<br><i>Click: compare this group; Shift+click: as the second</i>");
}

} // namespace

BoxPlotWidget::BoxPlotWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(320, 220);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void BoxPlotWidget::setDistribution(std::shared_ptr<const RunTable> table, ParamDistribution distribution)
{
    table_ = std::move(table);
    distribution_ = std::move(distribution);
    lo_ = INFINITY;
    hi_ = -INFINITY;
    for (const auto& g : distribution_.groups)
        for (const auto& p : g.points) {
            lo_ = std::min(lo_, p.value);
            hi_ = std::max(hi_, p.value);
        }
    if (!(lo_ <= hi_)) {
        lo_ = 0;
        hi_ = 1;
    } else if (lo_ == hi_) {
        const double pad = lo_ == 0 ? 1 : std::abs(lo_) * 0.05;
        lo_ -= pad;
        hi_ += pad;
    } else {
        const double pad = (hi_ - lo_) * 0.05;
        lo_ -= pad;
        hi_ += pad;
    }
    comparedA_ = comparedB_ = -1;
    layOut();
    update();
}

void BoxPlotWidget::setSelectedRows(const std::vector<int>& rows)
{
    selected_ = rows;
    std::sort(selected_.begin(), selected_.end());
    update();
}

void BoxPlotWidget::setComparedGroups(int a, int b)
{
    comparedA_ = a;
    comparedB_ = b;
    update();
}

QRectF BoxPlotWidget::plotRect() const
{
    return QRectF(kLeft, kTop, std::max(10.0, width() - kLeft - kRight), std::max(10.0, height() - kTop - kBottom));
}

double BoxPlotWidget::slotWidth() const
{
    return plotRect().width() / double(std::max<size_t>(1, distribution_.groups.size()));
}

double BoxPlotWidget::yOf(double value) const
{
    const QRectF r = plotRect();
    return r.bottom() - (value - lo_) / (hi_ - lo_) * r.height();
}

QRectF BoxPlotWidget::labelRect(size_t group) const
{
    const QRectF r = plotRect();
    return QRectF(r.left() + slotWidth() * double(group), r.bottom() + 4, slotWidth(), 36);
}

void BoxPlotWidget::layOut()
{
    dots_.clear();
    const QRectF r = plotRect();
    const double slot = slotWidth();
    const double spread = std::min(slot * 0.95, kMaxSpread);
    for (size_t g = 0; g < distribution_.groups.size(); ++g) {
        const double centre = r.left() + slot * (double(g) + 0.5);
        const auto& points = distribution_.groups[g].points;
        for (size_t k = 0; k < points.size(); ++k)
            dots_.push_back({QPointF(centre + points[k].offset * spread, yOf(points[k].value)), points[k].row, g, k});
    }
}

void BoxPlotWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layOut();
}

void BoxPlotWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    if (distribution_.groups.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   distribution_.warning.isEmpty() ? tr("No runs to show") : distribution_.warning);
        return;
    }
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = plotRect();
    const double slot = slotWidth();
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.9);
    const QFontMetrics fm(small);
    p.setFont(small);

    // The value axis: ticks, grid and the metric's name.
    const std::vector<double> ticks = niceTicks(lo_, hi_, std::max(3, int(r.height() / 40)));
    const QStringList tickText = tickLabels(ticks, hi_ - lo_);
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(28);
    for (size_t i = 0; i < ticks.size(); ++i) {
        const double y = yOf(ticks[i]);
        p.setPen(grid);
        p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y));
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(0, y - 9, kLeft - 6, 18), Qt::AlignRight | Qt::AlignVCenter, tickText[int(i)]);
    }
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(4, 2, width() - 8, kTop - 6), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(distribution_.metric, Qt::ElideMiddle, width() - 8));

    const double boxWidth = std::min(slot * 0.6, kMaxBoxWidth);
    const double spread = std::min(slot * 0.95, kMaxSpread);
    for (size_t g = 0; g < distribution_.groups.size(); ++g) {
        const DistributionGroup& group = distribution_.groups[g];
        const double centre = r.left() + slot * (double(g) + 0.5);
        const bool compared = int(g) == comparedA_ || int(g) == comparedB_;
        if (compared) {
            QColor tint = pal.color(QPalette::Highlight);
            tint.setAlpha(28);
            p.fillRect(QRectF(centre - slot / 2, r.top(), slot, r.height()), tint);
        }
        // The box: quartiles, the median thick, whiskers with caps.
        const BoxStats& b = group.box;
        if (b.n > 0) {
            QColor fill = pal.color(QPalette::Text);
            fill.setAlpha(18);
            const QRectF box(centre - boxWidth / 2, yOf(b.q3), boxWidth, std::max(1.0, yOf(b.q1) - yOf(b.q3)));
            p.setPen(QPen(pal.color(QPalette::Text), 1.2));
            p.setBrush(fill);
            p.drawRect(box);
            p.drawLine(QPointF(centre, yOf(b.q3)), QPointF(centre, yOf(b.upperWhisker)));
            p.drawLine(QPointF(centre, yOf(b.q1)), QPointF(centre, yOf(b.lowerWhisker)));
            for (double w : {b.upperWhisker, b.lowerWhisker})
                p.drawLine(QPointF(centre - boxWidth / 4, yOf(w)), QPointF(centre + boxWidth / 4, yOf(w)));
            p.setPen(QPen(pal.color(QPalette::Text), 2.6));
            p.drawLine(QPointF(box.left(), yOf(b.median)), QPointF(box.right(), yOf(b.median)));
        }
        // A config's seeds: a thin line through its column, from its lowest run to its highest.
        QHash<int, std::pair<double, double>> seedSpan;
        QHash<int, double> laneX;
        for (const DistributionPoint& pt : group.points)
            if (pt.repeats > 1) {
                auto it = seedSpan.find(pt.config);
                if (it == seedSpan.end()) {
                    seedSpan.insert(pt.config, {pt.value, pt.value});
                    laneX.insert(pt.config, centre + pt.offset * spread);
                } else {
                    it->first = std::min(it->first, pt.value);
                    it->second = std::max(it->second, pt.value);
                }
            }
        QColor seedLine = pal.color(QPalette::Text);
        seedLine.setAlpha(90);
        p.setPen(QPen(seedLine, 1));
        for (auto it = seedSpan.cbegin(); it != seedSpan.cend(); ++it) {
            const double x = laneX.value(it.key());
            p.drawLine(QPointF(x, yOf(it->first)), QPointF(x, yOf(it->second)));
        }
        // The group's label under it (elided; all of it on hover) and its run count.
        const QRectF label = labelRect(g);
        QFont labelFont = small;
        labelFont.setBold(compared);
        p.setFont(labelFont);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(label.adjusted(2, 0, -2, -18), Qt::AlignHCenter | Qt::AlignTop,
                   QFontMetrics(labelFont).elidedText(group.label, Qt::ElideMiddle, int(slot) - 4));
        p.setFont(small);
        p.setPen(pal.color(QPalette::PlaceholderText));
        QString count = QStringLiteral("n=%1").arg(group.box.n);
        if (int(g) == comparedA_)
            count += QStringLiteral(" · A");
        else if (int(g) == comparedB_)
            count += QStringLiteral(" · B");
        p.drawText(label.adjusted(2, 17, -2, 0), Qt::AlignHCenter | Qt::AlignTop, fm.elidedText(count, Qt::ElideRight, int(slot) - 4));
    }
    // The runs, each in its colour; selected ones larger, outlined.
    const double radius = dotRadius(distribution_.runs);
    const QColor outline = pal.color(QPalette::Base);
    for (const Dot& d : dots_) {
        const bool chosen = std::binary_search(selected_.begin(), selected_.end(), d.row);
        const double rad = chosen ? radius + 2.5 : radius;
        p.setPen(chosen ? QPen(pal.color(QPalette::Text), 1.6) : radius >= 3 ? QPen(outline, 0.8) : Qt::NoPen);
        p.setBrush(runColor(table_->id(d.row)));
        p.drawEllipse(d.at, rad, rad);
    }
    // Means as small diamonds over the dots, so they are never hidden.
    p.setPen(QPen(pal.color(QPalette::Text), 1.2));
    p.setBrush(pal.color(QPalette::Base));
    for (size_t g = 0; g < distribution_.groups.size(); ++g) {
        const DistributionGroup& group = distribution_.groups[g];
        if (group.stats.n == 0)
            continue;
        const QPointF m(r.left() + slot * (double(g) + 0.5), yOf(group.stats.mean));
        QPainterPath diamond;
        diamond.moveTo(m + QPointF(0, -5));
        diamond.lineTo(m + QPointF(5, 0));
        diamond.lineTo(m + QPointF(0, 5));
        diamond.lineTo(m + QPointF(-5, 0));
        diamond.closeSubpath();
        p.drawPath(diamond);
    }
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRectF(kLeft, height() - 18, width() - kLeft - kRight, 16), Qt::AlignHCenter | Qt::AlignVCenter,
               fm.elidedText(distribution_.param + (distribution_.binned ? tr(" (quantile bins)") : QString()),
                             Qt::ElideMiddle, int(width() - kLeft - kRight)));
}

int BoxPlotWidget::rowAt(const QPointF& pos) const
{
    int best = -1;
    double bestDistance = kHitRadius * kHitRadius;
    for (const Dot& d : dots_) {
        const QPointF delta = d.at - pos;
        const double distance = QPointF::dotProduct(delta, delta);
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = d.row;
        }
    }
    return best;
}

std::optional<QPointF> BoxPlotWidget::pointOf(int row) const
{
    for (const Dot& d : dots_)
        if (d.row == row)
            return d.at;
    return std::nullopt;
}

int BoxPlotWidget::groupAtLabel(const QPointF& pos) const
{
    for (size_t g = 0; g < distribution_.groups.size(); ++g)
        if (labelRect(g).contains(pos))
            return int(g);
    return -1;
}

QString BoxPlotWidget::toolTipAt(const QPointF& pos) const
{
    for (const Dot& d : dots_) {
        if (d.row != rowAt(pos))
            continue;
        const DistributionGroup& g = distribution_.groups[d.group];
        const DistributionPoint& pt = g.points[d.point];
        QString tip = QStringLiteral("<b>%1</b><br>%2 = %3<br>%4 = %5")
                          .arg(table_->name(d.row).toHtmlEscaped(), distribution_.metric.toHtmlEscaped(),
                               compactNumber(pt.value), distribution_.param.toHtmlEscaped());
        const ValueColumn* param = table_->param(distribution_.param);
        tip = tip.arg(param && param->has(d.row) ? param->text[size_t(d.row)].toHtmlEscaped() : tr("missing"));
        // Its seeds, so a dot reads as one repeat of a config or as a config of its own.
        QStringList seeds;
        for (const ValueColumn& c : table_->params())
            if (isSeedKey(c.key, defaultSeedKeys()) && c.has(d.row))
                seeds << QStringLiteral("%1 = %2").arg(c.key, c.text[size_t(d.row)]).toHtmlEscaped();
        if (!seeds.isEmpty())
            tip += QStringLiteral("<br>") + seeds.join(QStringLiteral(", "));
        if (pt.repeats > 1)
            tip += tr("<br>one of %1 runs of its config (differing only by seed), joined by a line").arg(pt.repeats);
        return tip;
    }
    if (const int g = groupAtLabel(pos); g >= 0)
        return groupSummary(distribution_.groups[size_t(g)], distribution_.param);
    return {};
}

void BoxPlotWidget::mouseMoveEvent(QMouseEvent* event)
{
    const bool over = rowAt(event->position()) >= 0 || groupAtLabel(event->position()) >= 0;
    setCursor(over ? Qt::PointingHandCursor : Qt::ArrowCursor);
    // Qt shows it where the pointer rests.
    setToolTip(toolTipAt(event->position()));
    QWidget::mouseMoveEvent(event);
}

void BoxPlotWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    if (const int row = rowAt(event->position()); row >= 0) {
        emit runClicked(row, event->modifiers() & Qt::ControlModifier);
        return;
    }
    if (const int g = groupAtLabel(event->position()); g >= 0)
        emit groupClicked(g, event->modifiers() & Qt::ShiftModifier);
}

} // namespace runlens::ui
