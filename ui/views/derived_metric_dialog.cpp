// SPDX-License-Identifier: GPL-3.0-or-later
#include "derived_metric_dialog.h"

#include "derived_metrics.h"
#include "metric_expression.h"
#include "number_text.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace runlens::ui {

DerivedMetricDialog::DerivedMetricDialog(const RunTable& table, std::vector<StoreDefinitions> stores, int store,
                                         const QStringList& problems, const QString& name, const QString& expression,
                                         QWidget* parent)
    : QDialog(parent), table_(table), stores_(std::move(stores))
{
    setWindowTitle(tr("Derived Metrics"));
    auto* about = new QLabel(
        tr("A derived metric computes a column from each run's metrics and params with <code>+ - * /</code> and "
           "parentheses: <code>1 - metrics.val_acc</code>, <code>metrics.train_loss - metrics.val_loss</code>. "
           "It sorts, filters (<code>metrics.NAME</code>), charts and exports as a logged metric; in the table "
           "<code>metrics.X</code> is the run's last value, on a curve its value at each step that every metric it "
           "reads logged. Kept with the store, so colleagues who open it see it too."));
    about->setWordWrap(true);
    about->setTextFormat(Qt::RichText);

    list_ = new QListWidget;
    list_->setAlternatingRowColors(true);
    name_ = new QLineEdit(name);
    name_->setPlaceholderText(QStringLiteral("gap"));
    expression_ = new QLineEdit(expression);
    expression_->setPlaceholderText(QStringLiteral("metrics.train_loss - metrics.val_loss"));
    expression_->setClearButtonEnabled(true);
    check_ = new QLabel;
    check_->setWordWrap(true);
    check_->setTextFormat(Qt::RichText);
    check_->setMinimumHeight(check_->fontMetrics().lineSpacing() * 2);

    auto* form = new QFormLayout;
    if (stores_.size() > 1) {
        storeBox_ = new QComboBox;
        for (const auto& s : stores_)
            storeBox_->addItem(s.title);
        storeBox_->setCurrentIndex(std::clamp(store, 0, int(stores_.size()) - 1));
        connect(storeBox_, &QComboBox::currentIndexChanged, this, [this] {
            fillList();
            recheck();
        });
        form->addRow(tr("Kept with:"), storeBox_);
    }
    form->addRow(tr("Name:"), name_);
    form->addRow(tr("Expression:"), expression_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    keep_ = buttons->addButton(tr("Keep Metric"), QDialogButtonBox::AcceptRole);
    remove_ = buttons->addButton(tr("Remove Metric"), QDialogButtonBox::DestructiveRole);
    connect(remove_, &QPushButton::clicked, this, [this] {
        removing_ = true;
        accept();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || list_->item(row)->data(Qt::UserRole).toString().isEmpty())
            return;
        name_->setText(list_->item(row)->data(Qt::UserRole).toString());
        expression_->setText(list_->item(row)->data(Qt::UserRole + 1).toString());
    });
    // Evaluating runs the expression over every run: once typing pauses, not per key.
    recheckTimer_.setSingleShot(true);
    recheckTimer_.setInterval(150);
    connect(&recheckTimer_, &QTimer::timeout, this, &DerivedMetricDialog::recheck);
    connect(expression_, &QLineEdit::textChanged, &recheckTimer_, qOverload<>(&QTimer::start));
    connect(name_, &QLineEdit::textChanged, &recheckTimer_, qOverload<>(&QTimer::start));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(about);
    layout->addWidget(list_, 1);
    if (!problems.isEmpty()) {
        auto* left = new QLabel(tr("<span style='color:#b00020'>Left out of the table:</span> %1")
                                    .arg(problems.join(QStringLiteral("; ")).toHtmlEscaped()));
        left->setWordWrap(true);
        layout->addWidget(left);
    }
    layout->addLayout(form);
    layout->addWidget(check_);
    layout->addWidget(buttons);
    resize(680, 440);
    fillList();
    (name.isEmpty() ? name_ : expression_)->setFocus();
    recheck();
}

void DerivedMetricDialog::fillList()
{
    list_->clear();
    const auto& definitions = stores_.empty() ? std::vector<StoreEntry>{} : stores_[size_t(store())].definitions;
    for (const auto& d : definitions) {
        auto* item = new QListWidgetItem(QStringLiteral("%1 = %2").arg(d.name, d.value), list_);
        item->setData(Qt::UserRole, d.name);
        item->setData(Qt::UserRole + 1, d.value);
        item->setToolTip(item->text());
    }
    if (definitions.empty()) {
        auto* none = new QListWidgetItem(tr("No derived metric is kept with this store yet."), list_);
        none->setFlags(Qt::NoItemFlags);
    }
}

int DerivedMetricDialog::store() const
{
    return storeBox_ ? storeBox_->currentIndex() : 0;
}

QString DerivedMetricDialog::name() const
{
    return name_->text().trimmed();
}

QString DerivedMetricDialog::expression() const
{
    return removing_ ? QString() : expression_->text().trimmed();
}

void DerivedMetricDialog::recheck()
{
    const QString name = this->name();
    const QString text = expression_->text().trimmed();
    const auto& definitions = stores_.empty() ? std::vector<StoreEntry>{} : stores_[size_t(store())].definitions;
    remove_->setEnabled(std::any_of(definitions.begin(), definitions.end(), [&](const StoreEntry& e) { return e.name == name; }));
    auto refuse = [this](const QString& why) {
        check_->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(why.toHtmlEscaped()));
        keep_->setEnabled(false);
    };
    if (text.isEmpty()) {
        check_->setText(tr("Type a name and an expression."));
        keep_->setEnabled(false);
        return;
    }
    if (const QString bad = derivedMetricNameError(name); !bad.isEmpty())
        return refuse(bad);
    const MetricColumn* existing = table_.metric(name);
    if (existing && existing->expression.isEmpty())
        return refuse(tr("The runs log a metric '%1'; give the derived one another name.").arg(name));
    const MetricExpression expression(text);
    if (const auto& e = expression.error()) {
        check_->setText(tr("<span style='color:#b00020'>%1</span><br><code>%2</code>")
                            .arg(e->describe().toHtmlEscaped(),
                                 (text.left(e->position) + QStringLiteral("\u25b6") + text.mid(e->position)).toHtmlEscaped()));
        keep_->setEnabled(false);
        return;
    }
    if (existing && expression.seriesKeys(table_).contains(name))
        return refuse(tr("'%1' cannot read itself.").arg(name));
    std::vector<double> values;
    if (const auto unknown = expression.evaluate(table_, nullptr, values)) {
        // A metric nobody logged yet may come with the next run: it can be kept.
        check_->setText(tr("<span style='color:#8a6d00'>%1</span><br>Kept anyway: runs that log it will have a value.")
                            .arg(unknown->describe().toHtmlEscaped()));
        keep_->setEnabled(true);
        return;
    }
    int n = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (const double v : values) {
        if (std::isnan(v))
            continue;
        ++n;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    check_->setText(n == 0 ? tr("No run has a value for it now (a metric it reads is missing, or text).")
                           : tr("%1 of %2 runs have a value, from %3 to %4.")
                                 .arg(n)
                                 .arg(table_.rowCount())
                                 .arg(compactNumber(lo), compactNumber(hi)));
    keep_->setEnabled(true);
}

} // namespace runlens::ui
