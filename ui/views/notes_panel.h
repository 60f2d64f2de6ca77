// SPDX-License-Identifier: GPL-3.0-or-later
// A run's notes or hypothesis: Markdown shown rendered, edited in place
// (Edit, then Save with Ctrl+Return or Cancel with Escape). The panel only
// says what the user wrote; the window makes the edit an undoable command.
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTextBrowser;

namespace runlens::ui {

class NotesPanel : public QWidget {
    Q_OBJECT

public:
    NotesPanel(const QString& title, const QString& placeholder, QWidget* parent = nullptr);
    // What the run says now; leaves editing (a refresh must not keep a
    // half-typed text over another run's).
    void setText(const QString& markdown);
    const QString& text() const { return text_; }
    void setEditable(bool editable);
    bool isEditing() const;
    void startEditing();
    // The text being typed (tests type through it).
    QPlainTextEdit* editor() const { return editor_; }
    QTextBrowser* view() const { return view_; }
    void save();
    void cancel();

signals:
    void edited(const QString& markdown);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitHeight();
    void calmHeadings();

    QString text_, placeholder_;
    QLabel* title_;
    QPushButton* edit_;
    QPushButton* save_;
    QPushButton* cancel_;
    QStackedWidget* stack_;
    QTextBrowser* view_;
    QPlainTextEdit* editor_;
};

} // namespace runlens::ui
