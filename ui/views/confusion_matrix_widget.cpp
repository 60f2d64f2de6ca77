// SPDX-License-Identifier: GPL-3.0-or-later
#include "confusion_matrix_widget.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace runlens::ui {

namespace {

constexpr double kHeaderHeight = 22; // "predicted" and the column labels
constexpr double kFooterHeight = 20; // precision
constexpr double kRecallWidth = 48;

QString percent(std::optional<double> v)
{
    return v ? QStringLiteral("%1%").arg(*v * 100.0, 0, 'f', 0) : QStringLiteral("–");
}

} // namespace

ConfusionMatrixWidget::ConfusionMatrixWidget(QWidget* parent)
    : QWidget(parent)
{
    setMinimumSize(200, 160);
    setMouseTracking(true);
}

void ConfusionMatrixWidget::setMatrix(ConfusionMatrix matrix, bool difference)
{
    matrix_ = std::move(matrix);
    difference_ = difference;
    update();
}

double ConfusionMatrixWidget::labelWidth() const
{
    // Room for the row labels and, under them, the word "precision".
    double w = difference_ ? 24 : double(fontMetrics().horizontalAdvance(tr("precision"))) + 10;
    for (const QString& l : matrix_.labels)
        w = std::max(w, double(fontMetrics().horizontalAdvance(l)) + 10);
    return std::min(w, width() * 0.3);
}

QRectF ConfusionMatrixWidget::gridRect() const
{
    const double left = labelWidth();
    const double top = kHeaderHeight + fontMetrics().height();
    const double w = std::max(10.0, width() - left - kRecallWidth - 4);
    const double h = std::max(10.0, height() - top - kFooterHeight - 4);
    const double side = std::min(w, h); // square cells
    return {left, top, side, side};
}

QRectF ConfusionMatrixWidget::cellRect(int truth, int predicted) const
{
    const QRectF g = gridRect();
    const int n = std::max(1, matrix_.size());
    const double c = g.width() / n;
    return {g.left() + predicted * c, g.top() + truth * c, c, c};
}

void ConfusionMatrixWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const int n = matrix_.size();
    if (n == 0)
        return;
    const QRectF g = gridRect();
    const double cell = g.width() / n;
    int64_t maxAbs = 1;
    for (auto v : matrix_.counts)
        maxAbs = std::max<int64_t>(maxAbs, std::abs(v));
    const bool text = cell >= fontMetrics().horizontalAdvance(QStringLiteral("0000")) * 0.8 && cell >= 16;
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRectF(g.left(), 0, g.width(), kHeaderHeight), Qt::AlignCenter,
        difference_ ? tr("predicted (B − A)") : tr("predicted"));
    for (int r = 0; r < n; ++r) {
        const int64_t rowTotal = matrix_.rowTotal(r);
        for (int c = 0; c < n; ++c) {
            const int64_t v = matrix_.at(r, c);
            QColor fill;
            if (difference_) {
                const double t = std::min(1.0, std::abs(double(v)) / double(maxAbs));
                fill = v >= 0 ? QColor::fromRgbF(1 - 0.75 * t, 1 - 0.5 * t, 1) : QColor::fromRgbF(1, 1 - 0.6 * t, 1 - 0.6 * t);
            } else {
                const double share = rowTotal > 0 ? double(v) / double(rowTotal) : 0.0;
                fill = QColor::fromRgbF(1 - 0.85 * share, 1 - 0.6 * share, 1 - 0.25 * share);
            }
            const QRectF rect = cellRect(r, c);
            p.fillRect(rect, fill);
            if (text) {
                const bool dark = fill.lightnessF() < 0.55;
                p.setPen(dark ? Qt::white : Qt::black);
                const QString label = difference_ && v > 0 ? QStringLiteral("+%1").arg(v) : QString::number(v);
                p.drawText(rect, Qt::AlignCenter, label);
            }
        }
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(g);
    // Class labels: truth on the left, predicted along the top.
    p.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics fm = fontMetrics();
    for (int i = 0; i < n; ++i) {
        const QRectF row = cellRect(i, 0);
        p.drawText(QRectF(0, row.top(), g.left() - 6, row.height()), Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(matrix_.labels[i], Qt::ElideMiddle, int(g.left() - 8)));
        const QRectF col = cellRect(0, i);
        p.drawText(QRectF(col.left(), kHeaderHeight, col.width(), fm.height()), Qt::AlignCenter,
            fm.elidedText(matrix_.labels[i], Qt::ElideRight, int(col.width())));
    }
    if (difference_)
        return;
    // Recall at each row's end, precision under each column.
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(QRectF(g.right() + 4, g.top() - fm.height(), kRecallWidth, fm.height()), Qt::AlignLeft, tr("recall"));
    for (int i = 0; i < n; ++i) {
        const QRectF row = cellRect(i, n - 1);
        if (text || n <= 12)
            p.drawText(QRectF(g.right() + 4, row.top(), kRecallWidth, row.height()), Qt::AlignLeft | Qt::AlignVCenter,
                percent(matrix_.recall(i)));
        const QRectF col = cellRect(n - 1, i);
        if (text || n <= 12)
            p.drawText(QRectF(col.left(), g.bottom() + 2, col.width(), kFooterHeight), Qt::AlignCenter,
                percent(matrix_.precision(i)));
    }
    p.drawText(QRectF(0, g.bottom() + 2, g.left() - 6, kFooterHeight), Qt::AlignRight | Qt::AlignVCenter, tr("precision"));
}

QString ConfusionMatrixWidget::toolTipAt(const QPointF& pos) const
{
    const QRectF g = gridRect();
    const int n = matrix_.size();
    if (n == 0 || !g.contains(pos))
        return {};
    const double cell = g.width() / n;
    const int c = std::clamp(int((pos.x() - g.left()) / cell), 0, n - 1);
    const int r = std::clamp(int((pos.y() - g.top()) / cell), 0, n - 1);
    if (difference_) {
        const int64_t v = matrix_.at(r, c);
        return tr("true %1, predicted %2: %3 in B than in A")
            .arg(matrix_.labels[r], matrix_.labels[c], v >= 0 ? tr("%L1 more").arg(v) : tr("%L1 fewer").arg(-v));
    }
    return tr("true %1, predicted %2: %3 of %4 (%5)")
        .arg(matrix_.labels[r], matrix_.labels[c])
        .arg(matrix_.at(r, c))
        .arg(matrix_.rowTotal(r))
        .arg(matrix_.rowTotal(r) > 0 ? percent(double(matrix_.at(r, c)) / double(matrix_.rowTotal(r))) : QStringLiteral("–"));
}

bool ConfusionMatrixWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace runlens::ui
