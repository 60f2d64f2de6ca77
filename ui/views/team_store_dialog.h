// SPDX-License-Identifier: GPL-3.0-or-later
// File > Open Team Store: where a team's PostgreSQL server is, as fields
// rather than a URL to type. The password is optional (libpq reads
// ~/.pgpass and PGPASSWORD itself, the way to keep it); one typed here is
// used for this session only and never written to the settings, which keep
// the rest for next time.
#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace runlens::ui {

class TeamStoreDialog : public QDialog {
    Q_OBJECT

public:
    explicit TeamStoreDialog(QWidget* parent = nullptr);

    // postgresql://... with the password, if one was typed: for opening only.
    QString url() const;

    void accept() override;

private:
    void updateState();

    QLineEdit* host_;
    QSpinBox* port_;
    QLineEdit* database_;
    QLineEdit* user_;
    QLineEdit* password_;
    QComboBox* sslMode_;
    QLabel* shown_;
};

} // namespace runlens::ui
