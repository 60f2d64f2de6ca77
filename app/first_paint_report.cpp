// SPDX-License-Identifier: GPL-3.0-or-later
#include "first_paint_report.h"

#include "main_window.h"
#include "run_table_view.h"
#include "workspace.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QEvent>
#include <QTimer>

#include <cstdio>

namespace runlens::cli {

namespace {

class FirstTablePaint final : public QObject {
public:
    explicit FirstTablePaint(ui::MainWindow& window)
        : QObject(&window)
        , window_(window)
    {
        QWidget* viewport = window.tableView()->viewport();
        viewport->installEventFilter(this);
        // The paint that follows the end of loading, should the table have painted its rows before.
        connect(&window.workspace(), &Workspace::loadingChanged, this, [viewport](bool loading) {
            if (!loading)
                viewport->update();
        });
    }

    bool eventFilter(QObject*, QEvent* event) override
    {
        const QAbstractItemModel* model = window_.tableView()->model();
        const Workspace& workspace = window_.workspace();
        // The table with the store's runs (none, for an empty store): loaded, not a row at a time on the way.
        if (event->type() != QEvent::Paint || done_ || !model || workspace.isLoading() || workspace.storeCount() == 0)
            return false;
        done_ = true;
        // Queued: the paint this event starts is over when it runs.
        QTimer::singleShot(0, this, [runs = workspace.runs() ? workspace.runs()->rowCount() : 0] {
            std::printf("painted %d runs\n", runs);
            std::fflush(stdout);
            QApplication::quit();
        });
        return false;
    }

private:
    ui::MainWindow& window_;
    bool done_ = false;
};

} // namespace

void reportFirstTablePaintIfAsked(ui::MainWindow& window)
{
    if (qEnvironmentVariableIsSet("RUNLENS_REPORT_FIRST_PAINT"))
        new FirstTablePaint(window);   // owned by the window
}

} // namespace runlens::cli
