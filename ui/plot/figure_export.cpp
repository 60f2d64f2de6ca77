// SPDX-License-Identifier: GPL-3.0-or-later
#include "figure_export.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

#include <charconv>
#include <climits>
#include <cmath>

namespace runlens::ui {

namespace {

QImage figureImage(QWidget& figure)
{
    // Twice the screen resolution: sharp on slides and in print.
    const qreal scale = 2.0;
    QImage image(figure.size() * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(figure.palette().color(QPalette::Base));
    QPainter p(&image);
    figure.render(&p);
    return image;
}

// Polyline points to a tenth of a pixel (a thousandth of an inch in print),
// repeats dropped: curves decimated per pixel column repeat many points, and
// the generator writes six digits. Halves a report's size.
void appendTenths(long long tenths, QByteArray& out)
{
    // A tenth of a pixel as decimal text without the locale or a trailing ".0".
    if (tenths < 0) {
        out += '-';
        tenths = -tenths;
    }
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, tenths / 10);
    out.append(digits, end - digits);
    if (tenths % 10) {
        out += '.';
        out += char('0' + tenths % 10);
    }
}

void compactPoints(const char* begin, const char* end, QByteArray& out)
{
    long long last[2] = {LLONG_MIN, LLONG_MIN}, pair[2] = {0, 0};
    int have = 0;
    bool first = true;
    for (const char* p = begin; p < end;) {
        double v = 0;
        const auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc()) { // a separator
            ++p;
            continue;
        }
        p = next;
        pair[have++] = std::llround(v * 10);
        if (have < 2)
            continue;
        have = 0;
        if (pair[0] == last[0] && pair[1] == last[1])
            continue;
        last[0] = pair[0];
        last[1] = pair[1];
        if (!first)
            out += ' ';
        first = false;
        appendTenths(pair[0], out);
        out += ',';
        appendTenths(pair[1], out);
    }
}

// Qt names its own font ("Sans Serif"), which browsers may not know: a
// generic family follows it. Polylines are compacted.
QByteArray compactSvg(const QByteArray& svg)
{
    static const QByteArray family = "font-family=\"";
    static const QByteArray fallback = ", DejaVu Sans, Helvetica, Arial, sans-serif";
    static const QByteArray points = "points=\"";
    QByteArray out;
    out.reserve(svg.size() / 2);
    qsizetype at = 0;
    while (at < svg.size()) {
        const qsizetype f = svg.indexOf(family, at), q = svg.indexOf(points, at);
        if (f < 0 && q < 0)
            break;
        const bool isFamily = f >= 0 && (q < 0 || f < q);
        const qsizetype start = (isFamily ? f + family.size() : q + points.size());
        const qsizetype close = svg.indexOf('"', start);
        if (close < 0)
            break;
        out += svg.mid(at, start - at);
        if (isFamily) {
            out += svg.mid(start, close - start) + fallback;
        } else {
            compactPoints(svg.constData() + start, svg.constData() + close, out);
        }
        at = close;
    }
    out += svg.mid(at);
    return out;
}

} // namespace

QByteArray figureSvg(QWidget& figure)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(figure.size());
    svg.setViewBox(QRect(QPoint(0, 0), figure.size()));
    // The generator writes the title into <title> as it is; it is often a
    // user's metric name, and inline SVG runs <script>: escape it here.
    svg.setTitle(figure.objectName().toHtmlEscaped());
    svg.setDescription(QStringLiteral("Runlens %1").arg(QStringLiteral(RUNLENS_VERSION)));
    {
        QPainter p(&svg);
        figure.render(&p);
    }
    return compactSvg(buffer.data());
}

Result<bool> saveFigure(QWidget& figure, const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (suffix == QLatin1String("svg")) {
        bytes = figureSvg(figure);
    } else if (suffix == QLatin1String("png")) {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (!figureImage(figure).save(&buffer, "PNG"))
            return Failure{QStringLiteral("could not encode the chart as PNG")};
    } else {
        return Failure{QStringLiteral("charts are saved as .png or .svg, not '%1'").arg(QFileInfo(path).fileName())};
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Failure{QStringLiteral("cannot write '%1': %2").arg(path, file.errorString())};
    return true;
}

void addFigureActions(QMenu& menu, QWidget& figure, const QString& suggestedName)
{
    QObject::connect(menu.addAction(QObject::tr("Save Chart As…")), &QAction::triggered, &figure,
        [&figure, suggestedName] {
            QString name = suggestedName;
            name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
            const QString path = QFileDialog::getSaveFileName(&figure, QObject::tr("Save chart"),
                name + QStringLiteral(".png"), QObject::tr("PNG image (*.png);;SVG drawing (*.svg)"));
            if (path.isEmpty())
                return;
            if (const auto saved = saveFigure(figure, path); !saved)
                QMessageBox::warning(&figure, QObject::tr("Save chart"), saved.error());
        });
    QObject::connect(menu.addAction(QObject::tr("Copy Chart")), &QAction::triggered, &figure,
        [&figure] { QApplication::clipboard()->setImage(figureImage(figure)); });
}

void showFigureMenu(QWidget& figure, QPoint globalPos, const QString& suggestedName)
{
    QMenu menu(&figure);
    addFigureActions(menu, figure, suggestedName);
    menu.exec(globalPos);
}

} // namespace runlens::ui
