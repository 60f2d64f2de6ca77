// SPDX-License-Identifier: GPL-3.0-or-later
// Sets or removes a tag on the selected runs. The key completes from the
// tags the open stores use and the value from that key's values, so a team's
// vocabulary ("intent", "lr_schedule_comparison") is typed once.
#pragma once

#include "run_table.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QCompleter;

namespace runlens::ui {

class TagEditorDialog : public QDialog {
    Q_OBJECT

public:
    TagEditorDialog(const RunTable& table, std::span<const int> rows, QWidget* parent = nullptr);
    QString key() const;
    // The value to set, or nullopt to remove the tag.
    std::optional<QString> value() const;
    QComboBox* keyBox() const { return key_; }
    QLineEdit* valueEdit() const { return value_; }

private:
    void keyChanged();

    const RunTable& table_;
    std::vector<int> rows_;
    QComboBox* key_;
    QLineEdit* value_;
    QCompleter* valueCompleter_;
    QLabel* current_;
    bool remove_ = false;
};

} // namespace runlens::ui
