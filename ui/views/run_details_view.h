// SPDX-License-Identifier: GPL-3.0-or-later
// Everything recorded about the current run, in sections: params, tags,
// notes, git, data versions, environment, artifacts.
#pragma once

#include "run_details.h"

#include <QWidget>

class QLabel;
class QTreeWidget;
class QPushButton;

namespace runlens::ui {

class RunDetailsView : public QWidget {
    Q_OBJECT

public:
    explicit RunDetailsView(QWidget* parent = nullptr);
    void showRun(const RunDetails& details);
    void showMessage(const QString& message);
    QTreeWidget* tree() const { return tree_; }

private:
    QLabel* header_;
    QTreeWidget* tree_;
    QPushButton* openArtifacts_;
    QString artifactFolder_;
};

} // namespace runlens::ui
