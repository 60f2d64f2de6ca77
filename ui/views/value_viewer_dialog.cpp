// SPDX-License-Identifier: GPL-3.0-or-later
#include "value_viewer_dialog.h"

#include "value_text.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

namespace runlens::ui {

ValueViewerDialog::ValueViewerDialog(const QString& title, const QString& value, QWidget* parent)
    : QDialog(parent), value_(value)
{
    setWindowTitle(title);
    text_ = new QPlainTextEdit;
    text_->setReadOnly(true);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text_->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    text_->setPlainText(prettyValue(value));
    find_ = new QLineEdit;
    find_->setPlaceholderText(tr("Find (Enter: next, Shift+Enter: previous)"));
    find_->setClearButtonEnabled(true);
    status_ = new QLabel;
    auto* findBar = new QHBoxLayout;
    findBar->addWidget(find_, 1);
    findBar->addWidget(status_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto* copy = buttons->addButton(tr("Copy Value"), QDialogButtonBox::ActionRole);
    // As logged, not as indented here: what was copied is what the run holds.
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(value_); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(find_, &QLineEdit::returnPressed, this, [this] {
        findNext(QApplication::keyboardModifiers().testFlag(Qt::ShiftModifier));
    });
    connect(find_, &QLineEdit::textChanged, this, [this] {
        // Search as one types, from the top.
        text_->moveCursor(QTextCursor::Start);
        if (find_->text().isEmpty())
            status_->clear();
        else
            findNext();
    });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(findBar);
    layout->addWidget(text_, 1);
    layout->addWidget(buttons);
    resize(720, 560);
    find_->setFocus();
}

bool ValueViewerDialog::findNext(bool backward)
{
    const QString needle = find_->text();
    if (needle.isEmpty())
        return false;
    const QTextDocument::FindFlags flags = backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    bool found = text_->find(needle, flags);
    if (!found) { // wrap around
        const QTextCursor before = text_->textCursor();
        text_->moveCursor(backward ? QTextCursor::End : QTextCursor::Start);
        found = text_->find(needle, flags);
        if (!found)
            text_->setTextCursor(before);
    }
    status_->setText(found ? QString() : tr("not found"));
    return found;
}

void ValueViewerDialog::open(const QString& title, const QString& value, QWidget* parent)
{
    auto* dialog = new ValueViewerDialog(title, value, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace runlens::ui
