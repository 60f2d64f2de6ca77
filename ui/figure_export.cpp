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

} // namespace

QByteArray figureSvg(QWidget& figure)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(figure.size());
    svg.setViewBox(QRect(QPoint(0, 0), figure.size()));
    svg.setTitle(figure.objectName());
    svg.setDescription(QStringLiteral("Runlens %1").arg(QStringLiteral(RUNLENS_VERSION)));
    {
        QPainter p(&svg);
        figure.render(&p);
    }
    // Qt names its own font ("Sans Serif"), which browsers may not know:
    // give them a generic family to fall back on.
    QString text = QString::fromUtf8(buffer.data());
    static const QRegularExpression family(QStringLiteral("font-family=\"([^\"]*)\""));
    text.replace(family, QStringLiteral("font-family=\"\\1, DejaVu Sans, Helvetica, Arial, sans-serif\""));
    return text.toUtf8();
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

void showFigureMenu(QWidget& figure, QPoint globalPos, const QString& suggestedName)
{
    QMenu menu(&figure);
    QAction* save = menu.addAction(QObject::tr("Save Chart As…"));
    QAction* copy = menu.addAction(QObject::tr("Copy Chart"));
    QAction* chosen = menu.exec(globalPos);
    if (chosen == copy) {
        QApplication::clipboard()->setImage(figureImage(figure));
    } else if (chosen == save) {
        QString name = suggestedName;
        name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
        const QString path = QFileDialog::getSaveFileName(&figure, QObject::tr("Save chart"), name + QStringLiteral(".png"),
                                                          QObject::tr("PNG image (*.png);;SVG drawing (*.svg)"));
        if (path.isEmpty())
            return;
        if (const auto saved = saveFigure(figure, path); !saved)
            QMessageBox::warning(&figure, QObject::tr("Save chart"), saved.error());
    }
}

} // namespace runlens::ui
