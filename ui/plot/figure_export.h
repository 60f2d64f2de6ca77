// SPDX-License-Identifier: GPL-3.0-or-later
// Charts leave the app as files: any figure widget (a curve chart, the
// parallel coordinates, the scatter plot) saved as PNG (at twice the screen
// resolution, for slides) or SVG (vector, for papers), or copied to the
// clipboard. The report uses the same SVG rendering.
//
// Threading: GUI thread (widgets render there).
#pragma once

#include "result.h"

#include <QByteArray>
#include <QPoint>
#include <QString>

class QMenu;
class QWidget;

namespace runlens::ui {

// The widget as an SVG document: what it paints, as vectors.
QByteArray figureSvg(QWidget& figure);

// Saves by the file's suffix: .svg or .png.
Result<bool> saveFigure(QWidget& figure, const QString& path);

// The figure's context menu: Save Chart As…, Copy Chart.
void showFigureMenu(QWidget& figure, QPoint globalPos, const QString& suggestedName);
// The same two actions, added to a menu of the figure's own.
void addFigureActions(QMenu& menu, QWidget& figure, const QString& suggestedName);

} // namespace runlens::ui
