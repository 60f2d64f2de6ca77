// SPDX-License-Identifier: GPL-3.0-or-later
// An experiment's promotion rule, edited with its answer in sight: as the
// rule is typed it is checked against the open runs (with their baselines),
// and the dialog says where it is wrong or how many finished runs of the
// experiment meet it now.
#pragma once

#include "run_query.h"
#include "run_table.h"

#include <QDialog>
#include <QTimer>

class QLabel;
class QLineEdit;
class QPushButton;

namespace runlens::ui {

class PromotionRuleDialog : public QDialog {
    Q_OBJECT

public:
    PromotionRuleDialog(const RunTable& table, QueryContext context, const QString& experiment, const QString& rule,
                        QWidget* parent = nullptr);
    // The rule to keep; empty: remove it.
    QString rule() const;
    QLineEdit* ruleEdit() const { return edit_; }
    QLabel* checkLabel() const { return check_; }
    // Checks the rule now (it is checked a moment after typing pauses).
    void recheck();

private:

    const RunTable& table_;
    QueryContext context_;
    QString experiment_;
    QLineEdit* edit_;
    QLabel* check_;
    QPushButton* ok_;
    bool cleared_ = false;
    QTimer recheckTimer_;
};

} // namespace runlens::ui
