// SPDX-License-Identifier: GPL-3.0-or-later
// A confusion matrix as a heat map: rows the true class, columns the
// predicted one, each cell coloured by its share of the row (so a rare
// class reads as clearly as a common one) and labelled with its count;
// each class's recall at the row's end and precision under the column. In
// difference mode (run B minus run A) the colours diverge: blue where B has
// more, red where it has fewer, so trades between classes stand out.
//
// Threading: GUI thread only.
#pragma once

#include "confusion_matrix.h"

#include <QWidget>

namespace runlens::ui {

class ConfusionMatrixWidget : public QWidget {
    Q_OBJECT

public:
    explicit ConfusionMatrixWidget(QWidget* parent = nullptr);
    void setMatrix(ConfusionMatrix matrix, bool difference = false);
    const ConfusionMatrix& matrix() const { return matrix_; }
    QRectF cellRect(int truth, int predicted) const;
    QString toolTipAt(const QPointF& pos) const;
    QSize sizeHint() const override { return {360, 320}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF gridRect() const;
    double labelWidth() const;

    ConfusionMatrix matrix_;
    bool difference_ = false;
};

} // namespace runlens::ui
