// SPDX-License-Identifier: GPL-3.0-or-later
// The Candidates tab: per experiment with a promotion rule or a candidate,
// the rule, the runs promoted to candidate with their promotion records
// (who, when, why, the rule met or not, the baseline, the metrics then) and
// each one's promotion history beneath it, then the finished runs that meet
// the rule but were not promoted yet. A click selects the run; the buttons
// promote, demote and edit the rule (the window does the edits, undoable).
//
// The list is small (candidates are few), so it is a QStandardItemModel
// rebuilt from the table whenever runs, rules or baselines change.
#pragma once

#include "promotion_rules.h"
#include "run_details.h"
#include "run_table.h"

#include <QHash>
#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTreeView;

namespace runlens::ui {

class CandidatesView : public QWidget {
    Q_OBJECT

public:
    explicit CandidatesView(QWidget* parent = nullptr);

    // `rules`: each row's experiment's rule; `history`: each candidate row's
    // edit events of the candidate mark, oldest first.
    void setData(std::shared_ptr<const RunTable> table, const RuleCheck& check, std::vector<QString> rules,
                 QHash<int, std::vector<RunEvent>> history);
    QTreeView* tree() const { return tree_; }
    // Table rows in list order (candidates first, per experiment).
    const std::vector<int>& listedRows() const { return listed_; }
    void setSelectedRows(const std::vector<int>& rows);

signals:
    void runsSelected(const std::vector<int>& tableRows);
    void promoteRequested();
    void demoteRequested();
    void ruleRequested();

private:
    std::vector<int> selectedRows() const;

    QLabel* summary_;
    QTreeView* tree_;
    QStandardItemModel* model_;
    QPushButton* promote_;
    QPushButton* demote_;
    std::shared_ptr<const RunTable> table_;
    std::vector<int> listed_;
    bool selecting_ = false;
};

} // namespace runlens::ui
