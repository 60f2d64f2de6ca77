// SPDX-License-Identifier: GPL-3.0-or-later
// Promote to Candidate: the selected runs, each with what its experiment's
// rule says of it, and a box for why. A run that does not meet its rule is
// promoted only when the user says so, and its record keeps that.
#pragma once

#include "promotion_rules.h"
#include "run_table.h"

#include <QDialog>

#include <span>
#include <vector>

class QCheckBox;
class QPlainTextEdit;
class QPushButton;

namespace runlens::ui {

class PromoteDialog : public QDialog {
    Q_OBJECT

public:
    // `verdicts` and `rules`: per table row (RuleCheck, each row's rule).
    PromoteDialog(const RunTable& table, std::span<const int> rows, const std::vector<RuleVerdict>& verdicts,
                  const std::vector<QString>& rules, QWidget* parent = nullptr);
    QString why() const;
    QPlainTextEdit* whyEdit() const { return why_; }
    QCheckBox* forceBox() const { return force_; }

private:
    QPlainTextEdit* why_;
    QCheckBox* force_ = nullptr;
    QPushButton* ok_;
};

} // namespace runlens::ui
