// SPDX-License-Identifier: GPL-3.0-or-later
// What the window tests share: waiting until a window's edits are kept and
// its stores loaded, and reading a store again as a second reader does.
#pragma once

#include "main_window.h"
#include "store_registry.h"
#include "test_support.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QTemporaryDir>

namespace runlens::test {

// A window test's own world in `dir`: settings (recent stores, layout) and
// annotation overlays there, never the user's.
inline void isolateSettings(const QTemporaryDir& dir)
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    qputenv("RUNLENS_ANNOTATIONS_DIR", dir.filePath(QStringLiteral("overlays")).toUtf8());
}

// Edits first: a kept edit may start a reload (emptying the trash).
inline void settle(ui::MainWindow& w)
{
    w.workspace().waitForEdits();
    w.workspace().waitForIdle();
    QCoreApplication::processEvents();
}

// Into the build's test-artifacts folder ($REPORT_ARTIFACTS), to be looked
// at: shown first, so layouts that wait for a show have run.
inline void saveForALook(QWidget& widget, const QString& name)
{
    const QString artifacts = QString::fromLocal8Bit(qgetenv("REPORT_ARTIFACTS"));
    if (artifacts.isEmpty())
        return;
    QDir().mkpath(artifacts);
    widget.show();
    QCoreApplication::processEvents();
    widget.grab().save(artifacts + QLatin1Char('/') + name);
}

// What a second reader of the store says: what is kept, not what is shown.
inline std::shared_ptr<const RunTable> keptIn(const QString& store)
{
    auto r = openStore(store);
    return mustLoad(**r);
}

} // namespace runlens::test
