// SPDX-License-Identifier: GPL-3.0-or-later
#include "value_bars.h"

#include "number_text.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace runlens::ui {

namespace {

constexpr int kRowHeight = 20;
constexpr int kTitleHeight = 26;

} // namespace

ValueBars::ValueBars(QWidget* parent) : QWidget(parent)
{
    setMinimumHeight(120);
}

void ValueBars::setTitle(const QString& title)
{
    title_ = title;
    update();
}

void ValueBars::setBars(std::vector<ValueBar> bars)
{
    bars_ = std::move(bars);
    updateGeometry();
    update();
}

QSize ValueBars::sizeHint() const
{
    return {400, kTitleHeight + 12 + kRowHeight * int(std::max<size_t>(bars_.size(), 3))};
}

void ValueBars::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(8, 4, width() - 16, kTitleHeight - 4), Qt::AlignLeft | Qt::AlignVCenter,
        tr("%1 (one value per run)").arg(title_));
    p.setFont(font());
    if (bars_.empty())
        return;

    // Bars grow from zero, or from the smallest value when all are far from it.
    double lo = 0, hi = 0;
    for (const auto& b : bars_)
        if (std::isfinite(b.value)) {
            lo = std::min(lo, b.value);
            hi = std::max(hi, b.value);
        }
    if (hi == lo)
        hi = lo + 1;
    const QFontMetrics fm(font());
    const int labelWidth = std::min(width() / 3, 220);
    const int valueWidth = fm.horizontalAdvance(QStringLiteral("−0.000000e-00"));
    const QRect bars(8 + labelWidth + 8, kTitleHeight, std::max(20, width() - labelWidth - valueWidth - 32),
        height() - kTitleHeight - 4);
    const int rows = std::min(int(bars_.size()), std::max(1, bars.height() / kRowHeight));
    auto toX = [&](double v) { return bars.left() + (v - lo) / (hi - lo) * bars.width(); };
    QColor axis = palette().color(QPalette::Text);
    axis.setAlpha(90);
    p.setPen(axis);
    p.drawLine(QPointF(toX(0), bars.top()), QPointF(toX(0), bars.top() + rows * kRowHeight));
    for (int i = 0; i < rows; ++i) {
        const ValueBar& b = bars_[size_t(i)];
        const int y = bars.top() + i * kRowHeight;
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(8, y, labelWidth, kRowHeight), Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(b.label, Qt::ElideMiddle, labelWidth));
        if (std::isfinite(b.value)) {
            const double x0 = toX(0), x1 = toX(b.value);
            p.fillRect(QRectF(std::min(x0, x1), y + 3, std::max(1.0, std::abs(x1 - x0)), kRowHeight - 6), b.color);
        }
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(bars.right() + 6, y, valueWidth + 8, kRowHeight), Qt::AlignLeft | Qt::AlignVCenter,
            compactNumber(b.value));
    }
    if (rows < int(bars_.size())) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRect(8, bars.top() + rows * kRowHeight, width() - 16, kRowHeight), Qt::AlignLeft,
            tr("… %1 more runs: the table has every value").arg(int(bars_.size()) - rows));
    }
}

} // namespace runlens::ui
