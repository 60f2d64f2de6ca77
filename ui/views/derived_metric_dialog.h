// SPDX-License-Identifier: GPL-3.0-or-later
// Derived metrics (core/query/derived_metrics.h), listed and edited with their
// answer in sight: as the expression is typed it is evaluated over the open
// runs, and the dialog says where it is wrong or how many runs get a value
// and their range. The window keeps what the dialog returns.
#pragma once

#include "run_table.h"
#include "store_entries.h"

#include <QDialog>
#include <QTimer>

#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace runlens::ui {

class DerivedMetricDialog : public QDialog {
    Q_OBJECT

public:
    // `stores`: each open store's name and its definitions; `store` is
    // chosen first. `name`/`expression` prefill the editor (a column's
    // "Derive from…").
    struct StoreDefinitions {
        QString title;
        std::vector<StoreEntry> definitions;
    };
    DerivedMetricDialog(const RunTable& table, std::vector<StoreDefinitions> stores, int store,
                        const QStringList& problems, const QString& name = {}, const QString& expression = {},
                        QWidget* parent = nullptr);

    int store() const;
    QString name() const;
    // Empty: remove the derived metric name().
    QString expression() const;

    QLineEdit* nameEdit() const { return name_; }
    QLineEdit* expressionEdit() const { return expression_; }
    QLabel* checkLabel() const { return check_; }
    QListWidget* list() const { return list_; }
    // Checks now (it is checked a moment after typing pauses).
    void recheck();

private:
    void fillList();

    const RunTable& table_;
    std::vector<StoreDefinitions> stores_;
    QComboBox* storeBox_ = nullptr;
    QListWidget* list_;
    QLineEdit* name_;
    QLineEdit* expression_;
    QLabel* check_;
    QPushButton* keep_;
    QPushButton* remove_;
    bool removing_ = false;
    QTimer recheckTimer_;
};

} // namespace runlens::ui
