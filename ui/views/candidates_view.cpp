// SPDX-License-Identifier: GPL-3.0-or-later
#include "candidates_view.h"

#include "list_tree.h"
#include "promotion.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

constexpr int kRowRole = Qt::UserRole + 1;
enum Column { RunColumn, StateColumn, WhenColumn, ByColumn, WhyColumn, MetricsColumn, ColumnCount };

QString timeText(const QDateTime& t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

} // namespace

CandidatesView::CandidatesView(QWidget* parent)
    : QWidget(parent)
{
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    model_ = new QStandardItemModel(this);
    tree_ = makeListTree(model_, QAbstractItemView::ExtendedSelection);
    promote_ = new QPushButton(tr("Promote to Candidate…"));
    demote_ = new QPushButton(tr("Demote"));
    auto* rule = new QPushButton(tr("Promotion Rule…"));
    promote_->setToolTip(tr("Promote the selected runs, recording why, the rule and their metrics now"));
    demote_->setToolTip(tr("Take the candidate mark off the selected runs (the history keeps the promotion)"));
    rule->setToolTip(tr("The query a run of the selected run's experiment must meet to become a candidate"));
    connect(promote_, &QPushButton::clicked, this, &CandidatesView::promoteRequested);
    connect(demote_, &QPushButton::clicked, this, &CandidatesView::demoteRequested);
    connect(rule, &QPushButton::clicked, this, &CandidatesView::ruleRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(promote_);
    buttons->addWidget(demote_);
    buttons->addWidget(rule);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(tree_, 1);
    layout->addLayout(buttons);
    connect(tree_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!selecting_)
            emit runsSelected(selectedRows());
    });
}

void CandidatesView::setData(std::shared_ptr<const RunTable> table, const RuleCheck& check, std::vector<QString> rules,
                             QHash<int, std::vector<RunEvent>> history)
{
    const QScopedValueRollback rebuilding(selecting_, true);
    table_ = std::move(table);
    listed_.clear();
    model_->clear();
    model_->setHorizontalHeaderLabels(
        {tr("Run"), tr("State"), tr("Promoted"), tr("By"), tr("Why"), tr("Metrics when promoted")});
    const RunTable& t = *table_;
    auto runItems = [&](int r, const QString& state) {
        QList<QStandardItem*> items;
        for (int c = 0; c < ColumnCount; ++c) {
            auto* item = new QStandardItem;
            item->setData(r, kRowRole);
            items << item;
        }
        items[RunColumn]->setText(t.name(r));
        items[RunColumn]->setToolTip(tr("%1\nid %2").arg(t.name(r), t.id(r)));
        items[StateColumn]->setText(state);
        listed_.push_back(r);
        return items;
    };
    int candidates = 0, meeting = 0, rulesShown = 0;
    QStringList errors;
    for (const auto& [rule, error] : check.errors)
        errors << tr("The rule \"%1\" does not apply yet: %2").arg(rule, error.describe());
    for (const auto& [experiment, rows, promoted, meets] : candidatesByExperiment(t, check)) {
        QString rule;
        for (int r : rows)
            if (rule.isEmpty() && size_t(r) < rules.size())
                rule = rules[size_t(r)];
        if (rule.isEmpty() && promoted.empty())
            continue;
        rulesShown += rule.isEmpty() ? 0 : 1;
        // One line across every column: the rule is long, the runs' columns are not.
        auto* head = new QStandardItem(experiment + QStringLiteral("  \u00b7  ")
                                       + (rule.isEmpty() ? tr("no promotion rule") : tr("rule: %1").arg(rule)));
        head->setData(experiment, Qt::UserRole + 2);
        head->setToolTip(rule);
        QFont bold = head->font();
        bold.setBold(true);
        head->setFont(bold);
        model_->appendRow(head);
        tree_->setFirstColumnSpanned(model_->rowCount() - 1, {}, true);
        for (int r : promoted) {
            ++candidates;
            const auto record = promotionOf(t, r);
            auto items = runItems(r, tr("\u25c6 candidate"));
            if (record) {
                items[WhenColumn]->setText(timeText(record->when));
                items[ByColumn]->setText(record->user);
                items[WhyColumn]->setText(record->why.simplified());
                items[WhyColumn]->setToolTip(record->why);
                items[MetricsColumn]->setText(record->metricsText());
                QString how = record->rule.isEmpty() ? tr("promoted with no rule")
                    : record->metRule                ? tr("met the rule: %1").arg(record->rule)
                                                     : tr("promoted against the rule: %1").arg(record->rule);
                if (!record->baseline.isEmpty())
                    how += tr("\nbaseline then: %1").arg(record->baseline);
                items[StateColumn]->setToolTip(how);
                if (!record->metRule && !record->rule.isEmpty())
                    items[StateColumn]->setText(tr("\u25c6 candidate (forced)"));
            }
            // The history: every promotion and demotion of this run, newest first.
            const auto events = history.value(r);
            for (auto it = events.rbegin(); it != events.rend(); ++it) {
                const auto then = it->after ? PromotionRecord::fromJson(*it->after) : std::nullopt;
                QList<QStandardItem*> line;
                for (int c = 0; c < ColumnCount; ++c)
                    line << new QStandardItem;
                line[RunColumn]->setText(it->after ? tr("promoted") : tr("demoted"));
                line[WhenColumn]->setText(QDateTime::fromMSecsSinceEpoch(it->time).toString(QStringLiteral("yyyy-MM-dd HH:mm")));
                line[ByColumn]->setText(it->user);
                if (then) {
                    line[WhyColumn]->setText(then->why.simplified());
                    line[MetricsColumn]->setText(then->metricsText());
                }
                for (auto* item : line)
                    item->setForeground(tree_->palette().color(QPalette::Disabled, QPalette::Text));
                items[RunColumn]->appendRow(line);
            }
            head->appendRow(items);
        }
        for (int r : meets) {
            ++meeting;
            auto items = runItems(r, tr("\u2713 meets rule"));
            items[WhyColumn]->setText(tr("not promoted yet"));
            head->appendRow(items);
        }
        if (promoted.empty() && meets.empty()) {
            auto* none = new QStandardItem(tr("no run meets the rule yet"));
            none->setForeground(tree_->palette().color(QPalette::Disabled, QPalette::Text));
            head->appendRow(none);
        }
    }
    if (model_->rowCount() == 0) {
        summary_->setText(tr("No experiment has a promotion rule or a candidate yet. Select a run and choose "
                             "Promotion Rule… to say what a run of its experiment must meet (for example "
                             "<code>metrics.val_auc &gt;= baseline.val_auc + 0.005 and seeds &gt;= 3 and welch_p &lt; "
                             "0.05</code>), or Promote to Candidate… to graduate it by hand."));
    } else {
        summary_->setText(tr("%1 candidate(s); %2 finished run(s) meet their experiment's rule but are not promoted "
                             "(%3 rule(s)).%4")
                              .arg(candidates)
                              .arg(meeting)
                              .arg(rulesShown)
                              .arg(errors.isEmpty() ? QString() : QStringLiteral("<br>") + errors.join(QStringLiteral("<br>"))));
    }
    // Experiments open, each candidate's history folded under it.
    for (int top = 0; top < model_->rowCount(); ++top)
        tree_->expand(model_->index(top, 0));
    for (int c = 0; c < ColumnCount; ++c)
        tree_->resizeColumnToContents(c);
    // The spanned experiment lines measure in column 0 too; the runs' names decide its width.
    int nameWidth = 0;
    for (int top = 0; top < model_->rowCount(); ++top)
        for (int i = 0; i < model_->item(top)->rowCount(); ++i)
            nameWidth = std::max(nameWidth, tree_->fontMetrics().horizontalAdvance(model_->item(top)->child(i)->text()));
    tree_->setColumnWidth(RunColumn, nameWidth + 3 * tree_->indentation());
    tree_->setColumnWidth(WhyColumn, std::min(tree_->columnWidth(WhyColumn), 320));
    demote_->setEnabled(candidates > 0);
}

std::vector<int> CandidatesView::selectedRows() const
{
    std::vector<int> rows;
    for (const QModelIndex& i : tree_->selectionModel()->selectedRows()) {
        const QVariant r = i.data(kRowRole);
        if (r.isValid())
            rows.push_back(r.toInt());
    }
    return rows;
}

void CandidatesView::setSelectedRows(const std::vector<int>& rows)
{
    const QScopedValueRollback selecting(selecting_, true);
    QItemSelection selection;
    for (int top = 0; top < model_->rowCount(); ++top) {
        QStandardItem* head = model_->item(top);
        for (int i = 0; i < head->rowCount(); ++i) {
            QStandardItem* item = head->child(i);
            const QVariant r = item->data(kRowRole);
            if (r.isValid() && std::find(rows.begin(), rows.end(), r.toInt()) != rows.end())
                selection.select(item->index(), head->child(i, ColumnCount - 1)->index());
        }
    }
    tree_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

} // namespace runlens::ui
