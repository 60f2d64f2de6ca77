// SPDX-License-Identifier: GPL-3.0-or-later
// A metric that holds one value per run (a test accuracy logged once, a
// final score) has no curve to draw: a line chart would show a dot per run
// at step 0. It is drawn as bars instead, a row per run with its name and
// value, in the curves view's grid beside the charts.
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

#include <vector>

namespace runlens::ui {

struct ValueBar {
    QString label;
    QColor color;
    double value = 0;
};

class ValueBars : public QWidget {
    Q_OBJECT

public:
    explicit ValueBars(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    const QString& title() const { return title_; }
    void setBars(std::vector<ValueBar> bars);
    const std::vector<ValueBar>& bars() const { return bars_; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;

private:
    QString title_;
    std::vector<ValueBar> bars_;
};

} // namespace runlens::ui
