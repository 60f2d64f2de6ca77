// SPDX-License-Identifier: GPL-3.0-or-later
#include "event_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace runlens::ui {

EventBanner::EventBanner(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("eventBanner"));
    setFrameShape(QFrame::StyledPanel);
    // A warning's colours, readable in light and dark palettes alike.
    setStyleSheet(QStringLiteral("#eventBanner { background: #fff4ce; border: 1px solid #e0b400; }"
                                 "#eventBanner QLabel { color: #3d2f00; }"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 2, 2);
    label_ = new QLabel;
    label_->setTextFormat(Qt::PlainText);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(label_, 1);
    showRun_ = new QPushButton(tr("Show Run"));
    connect(showRun_, &QPushButton::clicked, this, [this] {
        emit runActivated(runId_);
        hide();
    });
    layout->addWidget(showRun_);
    auto* close = new QToolButton;
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Dismiss (the Watch panel keeps every event)"));
    close->setAutoRaise(true);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    layout->addWidget(close);
    hide();
}

void EventBanner::show(const std::vector<WatchEvent>& events)
{
    if (events.empty())
        return;
    const WatchEvent& e = events.back();
    runId_ = e.runId;
    label_->setText(events.size() == 1 ? e.text()
                                       : tr("%1 (and %n more: View ▸ Watch)", nullptr, int(events.size() - 1)).arg(e.text()));
    QFrame::show();
}

QString EventBanner::text() const
{
    return label_->text();
}

} // namespace runlens::ui
