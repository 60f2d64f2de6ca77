// SPDX-License-Identifier: GPL-3.0-or-later
// The stores and their experiments as a tree with run counts; choosing one
// narrows the run table to it.
#pragma once

#include <QTreeWidget>

namespace runlens {
class Workspace;
}

namespace runlens::ui {

struct NavigatorFilter {
    int store = -1;        // -1: every store
    QString experiment;    // empty: every experiment
};

class NavigatorView : public QTreeWidget {
    Q_OBJECT

public:
    explicit NavigatorView(Workspace& workspace, QWidget* parent = nullptr);
    void rebuild();
    NavigatorFilter filter() const;

signals:
    void filterChanged();

private:
    Workspace& workspace_;
};

} // namespace runlens::ui
