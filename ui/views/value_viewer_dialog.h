// SPDX-License-Identifier: GPL-3.0-or-later
// One logged value in full, for values a cell only starts (a tag holding
// MLflow's log-model history, a config dumped as JSON, notes over several
// lines): JSON pretty-printed, the text searchable (Enter finds the next
// match, Shift+Enter the previous one) and copyable as logged.
//
// Threading: GUI thread only.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace runlens::ui {

class ValueViewerDialog : public QDialog {
    Q_OBJECT

public:
    // `title` names the value ("tags.mlflow.log-model.history of run-3").
    ValueViewerDialog(const QString& title, const QString& value, QWidget* parent = nullptr);

    QPlainTextEdit* text() const { return text_; }
    QLineEdit* findField() const { return find_; }
    // Moves the selection to the next (or previous) match of the find field,
    // wrapping around; false when there is none.
    bool findNext(bool backward = false);

    // Opens a viewer on `value`, deleted when closed.
    static void open(const QString& title, const QString& value, QWidget* parent);

private:
    QPlainTextEdit* text_;
    QLineEdit* find_;
    QLabel* status_;
    QString value_; // as logged, for Copy
};

} // namespace runlens::ui
