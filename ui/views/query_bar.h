// SPDX-License-Identifier: GPL-3.0-or-later
// The query bar: a line edit for the run query language with the error
// underlined where it is, completion of fields and keys, and a history
// (Up / Down).
#pragma once

#include "run_query.h"

#include <QLineEdit>
#include <QStringList>
#include <QTimer>

#include <optional>

class QCompleter;
class QStringListModel;

namespace runlens::ui {

class QueryBar : public QLineEdit {
    Q_OBJECT

public:
    explicit QueryBar(QWidget* parent = nullptr);

    // Keys offered after "params.", "metrics.", "tags.", "data.", "env.".
    void setKeys(const QStringList& params, const QStringList& metrics, const QStringList& tags,
                 const QStringList& data = {}, const QStringList& environment = {});
    // Shows an error under its columns (or clears it).
    void setError(const std::optional<QueryError>& error);
    const std::optional<QueryError>& error() const { return error_; }
    QStringList history() const { return history_; }
    void setHistory(const QStringList& history);
    // Remembers the current text at the top of the history.
    void commitToHistory();

signals:
    // The text to run, after a pause in typing or on Enter.
    void queryEdited(const QString& text);
    // Save Query… in the context menu: keep the text under a name.
    void saveQueryRequested();

protected:
    void paintEvent(QPaintEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void updateCompletion();
    void insertCompletion(const QString& completion);
    std::pair<int, int> wordAtCursor() const;

    std::optional<QueryError> error_;
    QStringList history_;
    int historyPos_ = -1;
    QTimer debounce_;
    QCompleter* completer_;
    QStringListModel* completions_;
    QStringList allWords_;
};

} // namespace runlens::ui
