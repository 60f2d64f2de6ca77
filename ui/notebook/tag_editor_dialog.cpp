// SPDX-License-Identifier: GPL-3.0-or-later
#include "tag_editor_dialog.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QStringListModel>
#include <QVBoxLayout>

namespace runlens::ui {

TagEditorDialog::TagEditorDialog(const RunTable& table, std::span<const int> rows, QWidget* parent)
    : QDialog(parent), table_(table), rows_(rows.begin(), rows.end())
{
    setWindowTitle(rows_.size() == 1 ? tr("Tag Run") : tr("Tag %1 Runs").arg(rows_.size()));
    key_ = new QComboBox;
    key_->setEditable(true);
    key_->setInsertPolicy(QComboBox::NoInsert);
    QStringList keys;
    for (const ValueColumn& c : table.tags())
        if (c.key != kStarredTag && c.key != kTrashedTag)
            keys << c.key;
    key_->addItems(keys);
    key_->setCurrentText(QString());
    key_->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    key_->completer()->setFilterMode(Qt::MatchContains);
    value_ = new QLineEdit;
    valueCompleter_ = new QCompleter(this);
    valueCompleter_->setCaseSensitivity(Qt::CaseInsensitive);
    valueCompleter_->setFilterMode(Qt::MatchContains);
    valueCompleter_->setModel(new QStringListModel(valueCompleter_));
    value_->setCompleter(valueCompleter_);
    current_ = new QLabel;
    current_->setWordWrap(true);
    current_->setStyleSheet(QStringLiteral("color: palette(placeholder-text)"));
    auto* form = new QFormLayout;
    form->addRow(tr("&Key:"), key_);
    form->addRow(tr("&Value:"), value_);
    form->addRow(QString(), current_);
    auto* buttons = new QDialogButtonBox;
    auto* set = buttons->addButton(tr("&Set"), QDialogButtonBox::AcceptRole);
    auto* remove = buttons->addButton(tr("&Remove Tag"), QDialogButtonBox::DestructiveRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    set->setDefault(true);
    connect(set, &QPushButton::clicked, this, [this] {
        remove_ = false;
        if (!key().isEmpty())
            accept();
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        remove_ = true;
        if (!key().isEmpty())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(key_, &QComboBox::currentTextChanged, this, &TagEditorDialog::keyChanged);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(420);
    keyChanged();
}

QString TagEditorDialog::key() const
{
    return key_->currentText().trimmed();
}

std::optional<QString> TagEditorDialog::value() const
{
    if (remove_)
        return std::nullopt;
    return value_->text();
}

void TagEditorDialog::keyChanged()
{
    // The key's values anywhere, for completion; what the chosen runs say now.
    const ValueColumn* column = table_.tag(key());
    QSet<QString> seen;
    QStringList values, here;
    if (column) {
        for (size_t r = 0; r < column->text.size(); ++r)
            if (column->present[r] && !seen.contains(column->text[r])) {
                seen.insert(column->text[r]);
                values << column->text[r];
            }
        QSet<QString> mine;
        for (int r : rows_)
            mine.insert(column->has(r) ? column->text[size_t(r)] : tr("(none)"));
        here = mine.values();
        here.sort();
    }
    values.sort();
    static_cast<QStringListModel*>(valueCompleter_->model())->setStringList(values);
    if (here.size() == 1 && column && !rows_.empty() && column->has(rows_.front()))
        value_->setText(here.front());
    current_->setText(here.isEmpty() ? QString()
                                     : tr("Now: %1").arg(here.size() > 5 ? tr("%1 different values").arg(here.size())
                                                                         : here.join(QStringLiteral(", "))));
}

} // namespace runlens::ui
