// SPDX-License-Identifier: GPL-3.0-or-later
#include "team_store_dialog.h"

#include "team_store_url.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

const QString kSettingsGroup = QStringLiteral("teamStore");

} // namespace

TeamStoreDialog::TeamStoreDialog(QWidget* parent)
    : QDialog(parent)
    , host_(new QLineEdit(this))
    , port_(new QSpinBox(this))
    , database_(new QLineEdit(this))
    , user_(new QLineEdit(this))
    , password_(new QLineEdit(this))
    , sslMode_(new QComboBox(this))
    , shown_(new QLabel(this))
{
    setWindowTitle(tr("Open Team Store"));
    // Named for tests and accessibility tools.
    host_->setObjectName(QStringLiteral("host"));
    port_->setObjectName(QStringLiteral("port"));
    database_->setObjectName(QStringLiteral("database"));
    user_->setObjectName(QStringLiteral("user"));
    password_->setObjectName(QStringLiteral("password"));
    sslMode_->setObjectName(QStringLiteral("sslmode"));
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    host_->setText(settings.value(QStringLiteral("host")).toString());
    host_->setPlaceholderText(tr("this machine (local socket)"));
    port_->setRange(1, 65535);
    port_->setValue(settings.value(QStringLiteral("port"), 5432).toInt());
    database_->setText(settings.value(QStringLiteral("database")).toString());
    user_->setText(settings.value(QStringLiteral("user")).toString());
    user_->setPlaceholderText(tr("your login name"));
    password_->setEchoMode(QLineEdit::Password);
    password_->setPlaceholderText(tr("from ~/.pgpass or PGPASSWORD"));
    // libpq's modes, safest last; "prefer" is libpq's own default.
    for (const char* mode : {"prefer", "require", "verify-ca", "verify-full", "disable"})
        sslMode_->addItem(QString::fromLatin1(mode));
    sslMode_->setCurrentText(settings.value(QStringLiteral("sslmode"), QStringLiteral("prefer")).toString());
    shown_->setWordWrap(true);
    shown_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    form->addRow(tr("&Host:"), host_);
    form->addRow(tr("P&ort:"), port_);
    form->addRow(tr("&Database:"), database_);
    form->addRow(tr("&User:"), user_);
    form->addRow(tr("&Password:"), password_);
    form->addRow(tr("&TLS (sslmode):"), sslMode_);
    auto* note = new QLabel(tr("A password typed here is used until Runlens closes and never saved. "
                               "To keep one, put it in ~/.pgpass."),
        this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(shown_);
    layout->addWidget(note);
    layout->addWidget(buttons);
    for (QLineEdit* edit : {host_, database_, user_, password_})
        connect(edit, &QLineEdit::textChanged, this, &TeamStoreDialog::updateState);
    connect(port_, &QSpinBox::valueChanged, this, &TeamStoreDialog::updateState);
    connect(sslMode_, &QComboBox::currentTextChanged, this, &TeamStoreDialog::updateState);
    updateState();
    setMinimumWidth(460);
}

QString TeamStoreDialog::url() const
{
    TeamStoreUrl u;
    u.host = host_->text().trimmed();
    u.port = port_->value();
    u.database = database_->text().trimmed();
    u.user = user_->text().trimmed();
    u.password = password_->text();
    if (sslMode_->currentText() != QLatin1String("prefer"))
        u.options.append({QStringLiteral("sslmode"), sslMode_->currentText()});
    return u.connectionUrl();
}

void TeamStoreDialog::updateState()
{
    const auto parsed = TeamStoreUrl::parse(url());
    shown_->setText(parsed ? tr("Opens %1").arg(parsed->display()) : parsed.error());
    if (auto* open = findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Open))
        open->setEnabled(parsed.ok());
}

void TeamStoreDialog::accept()
{
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    settings.setValue(QStringLiteral("host"), host_->text().trimmed());
    settings.setValue(QStringLiteral("port"), port_->value());
    settings.setValue(QStringLiteral("database"), database_->text().trimmed());
    settings.setValue(QStringLiteral("user"), user_->text().trimmed());
    settings.setValue(QStringLiteral("sslmode"), sslMode_->currentText());
    QDialog::accept();
}

} // namespace runlens::ui
