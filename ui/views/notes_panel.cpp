// SPDX-License-Identifier: GPL-3.0-or-later
#include "notes_panel.h"

#include <algorithm>
#include <cmath>

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

namespace runlens::ui {

NotesPanel::NotesPanel(const QString& title, const QString& placeholder, QWidget* parent)
    : QWidget(parent), placeholder_(placeholder)
{
    title_ = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
    edit_ = new QPushButton(tr("Edit"));
    save_ = new QPushButton(tr("Save"));
    cancel_ = new QPushButton(tr("Cancel"));
    for (QPushButton* b : {edit_, save_, cancel_})
        b->setAutoDefault(false);
    save_->setToolTip(tr("Save (Ctrl+Return)"));
    cancel_->setToolTip(tr("Cancel (Escape)"));
    view_ = new QTextBrowser;
    view_->setOpenExternalLinks(true);
    view_->setFrameShape(QFrame::NoFrame);
    editor_ = new QPlainTextEdit;
    editor_->setPlaceholderText(tr("Markdown: # headings, **bold**, - lists, [links](https://…)"));
    editor_->installEventFilter(this);
    stack_ = new QStackedWidget;
    stack_->addWidget(view_);
    stack_->addWidget(editor_);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(title_, 1);
    bar->addWidget(edit_);
    bar->addWidget(save_);
    bar->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(stack_);
    connect(edit_, &QPushButton::clicked, this, &NotesPanel::startEditing);
    connect(save_, &QPushButton::clicked, this, &NotesPanel::save);
    connect(cancel_, &QPushButton::clicked, this, &NotesPanel::cancel);
    setText({});
}

void NotesPanel::setText(const QString& markdown)
{
    text_ = markdown;
    if (markdown.trimmed().isEmpty())
        view_->setHtml(QStringLiteral("<i style='color:#57606a'>%1</i>").arg(placeholder_.toHtmlEscaped()));
    else
        view_->setMarkdown(markdown);
    calmHeadings();
    cancel();
}

void NotesPanel::setEditable(bool editable)
{
    edit_->setEnabled(editable);
    edit_->setToolTip(editable ? QString() : tr("Select one run to edit"));
}

bool NotesPanel::isEditing() const
{
    return stack_->currentWidget() == editor_;
}

void NotesPanel::startEditing()
{
    editor_->setPlainText(text_);
    stack_->setCurrentWidget(editor_);
    edit_->setVisible(false);
    save_->setVisible(true);
    cancel_->setVisible(true);
    fitHeight();
    editor_->setFocus();
    editor_->moveCursor(QTextCursor::End);
}

void NotesPanel::save()
{
    if (!isEditing())
        return;
    const QString typed = editor_->toPlainText();
    cancel();
    if (typed != text_)
        emit edited(typed);
}

void NotesPanel::cancel()
{
    stack_->setCurrentWidget(view_);
    edit_->setVisible(true);
    save_->setVisible(false);
    cancel_->setVisible(false);
    fitHeight();
}

bool NotesPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == editor_ && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && key->modifiers().testFlag(Qt::ControlModifier)) {
            save();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            cancel();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void NotesPanel::calmHeadings()
{
    // Markdown's headings are set for a page; in a side panel an "# H1" would
    // fill it. A heading here is bold and a little larger, by level.
    QTextDocument* doc = view_->document();
    const qreal base = font().pointSizeF();
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        const int level = b.blockFormat().headingLevel();
        if (level == 0)
            continue;
        QTextCursor c(b);
        c.select(QTextCursor::BlockUnderCursor);
        QTextCharFormat f;
        f.setProperty(QTextFormat::FontSizeAdjustment, 0);   // the importer's size steps
        f.setFontPointSize(base + std::max(0, 3 - level));
        f.setFontWeight(QFont::Bold);
        c.mergeCharFormat(f);
    }
}

void NotesPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitHeight();
}

void NotesPanel::fitHeight()
{
    // As tall as the rendered text at the panel's width, within reason: a
    // long note scrolls.
    const int line = fontMetrics().lineSpacing();
    if (isEditing()) {
        stack_->setFixedHeight(8 * line + 12);
        return;
    }
    // The panel's width, not the viewport's: a scroll bar shown because the
    // height was short would narrow the text and keep it short.
    QTextDocument* doc = view_->document();
    doc->setTextWidth(std::max(50, width() - 2 * view_->frameWidth()));
    const int height = int(std::ceil(doc->size().height())) + 2 * view_->frameWidth();
    stack_->setFixedHeight(std::clamp(height, line + 8, 12 * line));
}

} // namespace runlens::ui
