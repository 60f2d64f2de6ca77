// SPDX-License-Identifier: GPL-3.0-or-later
#include "promote_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace runlens::ui {

PromoteDialog::PromoteDialog(const RunTable& table, std::span<const int> rows, const std::vector<RuleVerdict>& verdicts,
                             const std::vector<QString>& rules, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(rows.size() == 1 ? tr("Promote Run to Candidate") : tr("Promote %1 Runs to Candidate").arg(rows.size()));
    QStringList lines;
    int failing = 0;
    for (int r : rows) {
        const RuleVerdict v = size_t(r) < verdicts.size() ? verdicts[size_t(r)] : RuleVerdict::NoRule;
        const QString rule = size_t(r) < rules.size() ? rules[size_t(r)] : QString();
        const bool insist = !rule.isEmpty() && promotionNeedsForce(v);
        failing += insist ? 1 : 0;
        const QString state = (v == RuleVerdict::Meets ? QStringLiteral("\u2713 ") : insist ? QStringLiteral("\u2717 ") : QString())
            + verdictText(rule.isEmpty() ? RuleVerdict::NoRule : v);
        if (lines.size() < 12)
            lines << tr("<b>%1</b> (%2): %3").arg(table.name(r).toHtmlEscaped(), table.experiment(r).toHtmlEscaped(), state);
    }
    if (rows.size() > 12)
        lines << tr("… and %1 more").arg(rows.size() - 12);
    auto* list = new QLabel(lines.join(QStringLiteral("<br>")));
    list->setTextFormat(Qt::RichText);
    list->setWordWrap(true);
    QString ruleText;
    for (int r : rows)
        if (size_t(r) < rules.size() && !rules[size_t(r)].isEmpty()) {
            ruleText = rules[size_t(r)];
            break;
        }
    auto* rule = new QLabel(ruleText.isEmpty() ? tr("No promotion rule applies: the record says so.")
                                               : tr("Rule: <code>%1</code>").arg(ruleText.toHtmlEscaped()));
    rule->setWordWrap(true);
    why_ = new QPlainTextEdit;
    why_->setPlaceholderText(tr("Why these runs graduate: what they show, what to check next"));
    why_->setTabChangesFocus(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    ok_ = buttons->addButton(tr("Promote"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(list);
    layout->addWidget(rule);
    layout->addWidget(new QLabel(tr("Why:")));
    layout->addWidget(why_, 1);
    if (failing > 0) {
        force_ = new QCheckBox(failing == 1 ? tr("Promote it anyway; the record says the rule was not met")
                                            : tr("Promote them anyway; the records say the rule was not met"));
        layout->addWidget(force_);
        ok_->setEnabled(false);
        connect(force_, &QCheckBox::toggled, ok_, &QPushButton::setEnabled);
    }
    layout->addWidget(buttons);
    resize(560, 360);
}

QString PromoteDialog::why() const
{
    return why_->toPlainText().trimmed();
}

} // namespace runlens::ui
