// SPDX-License-Identifier: GPL-3.0-or-later
#include "promotion_rule_dialog.h"

#include "promotion_rules.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace runlens::ui {

PromotionRuleDialog::PromotionRuleDialog(const RunTable& table, QueryContext context, const QString& experiment,
                                         const QString& rule, QWidget* parent)
    : QDialog(parent), table_(table), context_(std::move(context)), experiment_(experiment)
{
    setWindowTitle(tr("Promotion Rule of %1").arg(experiment));
    auto* about = new QLabel(
        tr("A run of <b>%1</b> becomes a candidate when it finishes and meets this query. It reaches the "
           "experiment's baseline (<code>baseline.val_auc</code>, <code>baseline.params.lr</code>), the run's seed group "
           "(<code>seeds</code>, <code>seed_mean.val_auc</code>) and Welch's test against the baseline's group "
           "(<code>welch_p</code>), and does arithmetic: <code>baseline.val_auc + 0.005</code>.")
            .arg(experiment.toHtmlEscaped()));
    about->setWordWrap(true);
    edit_ = new QLineEdit(rule);
    edit_->setPlaceholderText(QStringLiteral("metrics.val_auc >= baseline.val_auc + 0.005 and seeds >= 3 and welch_p < 0.05"));
    edit_->setClearButtonEnabled(true);
    check_ = new QLabel;
    check_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    ok_ = buttons->addButton(tr("Keep Rule"), QDialogButtonBox::AcceptRole);
    auto* remove = buttons->addButton(tr("Remove Rule"), QDialogButtonBox::DestructiveRole);
    remove->setEnabled(!rule.isEmpty());
    connect(remove, &QPushButton::clicked, this, [this] {
        cleared_ = true;
        accept();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Checking runs the rule over every run: once typing pauses, not per key.
    recheckTimer_.setSingleShot(true);
    recheckTimer_.setInterval(150);
    connect(&recheckTimer_, &QTimer::timeout, this, &PromotionRuleDialog::recheck);
    connect(edit_, &QLineEdit::textChanged, &recheckTimer_, qOverload<>(&QTimer::start));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(about);
    layout->addWidget(edit_);
    layout->addWidget(check_);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(640, 220);
    recheck();
}

QString PromotionRuleDialog::rule() const
{
    return cleared_ ? QString() : edit_->text().trimmed();
}

void PromotionRuleDialog::recheck()
{
    const QString text = edit_->text().trimmed();
    if (text.isEmpty()) {
        check_->setText(tr("Type a rule."));
        ok_->setEnabled(false);
        return;
    }
    const auto refused = RunQuery::ruleError(text);
    const auto check = refused ? RuleCheck{} : checkPromotionRules(table_, context_, [&](int row) {
        return table_.experiment(row) == experiment_ ? text : QString();
    });
    std::optional<QueryError> error = refused;
    if (!error && !check.errors.empty())
        error = check.errors.front().second;
    if (error) {
        check_->setText(tr("<span style='color:#b00020'>%1</span><br><code>%2</code>")
                            .arg(error->describe().toHtmlEscaped(),
                                 (text.left(error->position) + QStringLiteral("\u25b6") + text.mid(error->position)).toHtmlEscaped()));
        // A metric nobody logged yet is fine to name ahead of the runs; bad syntax is not.
        ok_->setEnabled(!refused);
        return;
    }
    int finished = 0, meets = 0;
    for (int r = 0; r < table_.rowCount(); ++r) {
        if (table_.experiment(r) != experiment_)
            continue;
        finished += check.verdicts[size_t(r)] == RuleVerdict::Meets || check.verdicts[size_t(r)] == RuleVerdict::Fails ? 1 : 0;
        meets += check.verdicts[size_t(r)] == RuleVerdict::Meets ? 1 : 0;
    }
    const bool hasBaseline = std::any_of(context_.baselineRows.begin(), context_.baselineRows.end(), [&](int b) {
        return b >= 0 && table_.experiment(b) == experiment_;
    });
    check_->setText(tr("%1 of %2 judged run(s) of %3 meet it now.%4")
                        .arg(meets)
                        .arg(finished)
                        .arg(experiment_.toHtmlEscaped())
                        .arg(hasBaseline || !text.contains(QLatin1String("baseline"), Qt::CaseInsensitive)
                                 ? QString()
                                 : tr(" The experiment has no baseline yet: mark one (right-click a run) for baseline.X to mean anything.")));
    ok_->setEnabled(true);
}

} // namespace runlens::ui
