// SPDX-License-Identifier: GPL-3.0-or-later
#include "parallel_coordinates_view.h"

#include "colour_ramp.h"
#include "column_key.h"
#include "figure_export.h"
#include "line_rasterizer.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QApplication>
#include <QPointer>
#include <QThreadPool>
#include <QToolTip>

#include <cmath>
#include <thread>

namespace runlens::ui {

namespace {

constexpr double kLeft = 60, kRight = 90, kTop = 46, kBottom = 44;
constexpr double kMissingGap = 24;   // the missing band sits this far below the axes
constexpr size_t kAntialiasedLines = 500;   // more lines are drawn opaque, unsmoothed, by LineRasterizer

QRectF plotRectFor(QSizeF size)
{
    return QRectF(kLeft, kTop, size.width() - kLeft - kRight, size.height() - kTop - kBottom - kMissingGap);
}

double axisXFor(const QRectF& r, int axes, int axis)
{
    return axes <= 1 ? r.center().x() : r.left() + r.width() * axis / (axes - 1);
}

double yOfFor(const QRectF& r, double fraction)
{
    return fraction == ParallelAxes::kMissing ? r.bottom() + kMissingGap : r.bottom() - fraction * r.height();
}

bool constantColour(const ParallelAxes& axes)
{
    if (axes.axes().empty())
        return false;
    const ParallelAxis& last = axes.axes().back();
    return last.categorical ? last.categories.size() < 2 : !(last.max > last.min);
}

QColor colorFor(const ParallelAxes& axes, int row)
{
    const int last = int(axes.axes().size()) - 1;
    if (last < 0)
        return Qt::gray;
    if (constantColour(axes))
        return viridis(0.5);
    const double f = axes.fraction(last, row);
    if (f == ParallelAxes::kMissing)
        return QColor(150, 150, 150);
    return viridis(axes.axes()[size_t(last)].flipped ? 1 - f : f);
}

// Draws every run's line: kept ones in colour over the others in grey.
// Runs on a pool thread for large tables; touches nothing but its arguments.
void drawLines(QPainter& p, const ParallelAxes& axes, QSize size, int* count)
{
    *count = 0;
    const int n = int(axes.axes().size());
    if (n == 0)
        return;
    const QRectF rect = plotRectFor(size);
    const auto& rows = axes.rows();
    const bool many = rows.size() > kAntialiasedLines;
    p.setRenderHint(QPainter::Antialiasing, !many);
    std::vector<QPointF> pts(static_cast<size_t>(n));
    auto line = [&](int r) {
        for (int a = 0; a < n; ++a)
            pts[size_t(a)] = QPointF(axisXFor(rect, n, a), yOfFor(rect, axes.fraction(a, r)));
        p.drawPolyline(pts.data(), n);
        ++*count;
    };
    // QPainter's raster engine draws translucent lines some 40 times slower
    // than opaque ones (measured: 2.3 s against 59 ms for 2,000 polylines),
    // so many lines are drawn opaque in light tints.
    QPen faint(many ? QColor(225, 225, 225) : QColor(160, 160, 160, 60));
    faint.setCosmetic(true);
    p.setPen(faint);
    std::vector<int> kept;
    for (int r : rows) {
        if (axes.passes(r))
            kept.push_back(r);
        else
            line(r);
    }
    for (int r : kept) {
        QColor c = colorFor(axes, r);
        if (!many)
            c.setAlpha(200);
        QPen pen(c, many ? 1 : 1.4);
        pen.setCosmetic(true);
        p.setPen(pen);
        line(r);
    }
}

QImage drawLines(const ParallelAxes& axes, QSize size, qreal dpr, int* count)
{
    QImage image(size * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    const auto& rows = axes.rows();
    const int n = int(axes.axes().size());
    if (rows.size() <= kAntialiasedLines || n == 0) {
        QPainter p(&image);
        drawLines(p, axes, size, count);
        return image;
    }
    // Many lines: our own rasterizer (QPainter took 0.5 s for 10,000 runs),
    // half the runs on each core. Each half draws its grey lines and its
    // kept lines into separate layers; the grey layers go down first (all
    // one colour, their order does not show), the kept ones over them.
    const QRectF rect = plotRectFor(size);
    struct Layers {
        QImage grey, kept;
    };
    auto draw = [&](size_t from, size_t to, Layers& out) {
        for (QImage* layer : {&out.grey, &out.kept}) {
            *layer = QImage(image.size(), QImage::Format_ARGB32_Premultiplied);
            layer->setDevicePixelRatio(dpr);
            layer->fill(Qt::transparent);
        }
        LineRasterizer grey(out.grey), kept(out.kept);
        std::vector<QPointF> pts(static_cast<size_t>(n));
        const QRgb greyColour = qRgb(225, 225, 225);
        for (size_t i = from; i < to; ++i) {
            const int r = rows[i];
            for (int a = 0; a < n; ++a)
                pts[size_t(a)] = QPointF(axisXFor(rect, n, a) * dpr, yOfFor(rect, axes.fraction(a, r)) * dpr);
            if (axes.passes(r))
                kept.drawPolyline(pts, colorFor(axes, r).rgba());
            else
                grey.drawPolyline(pts, greyColour);
        }
    };
    Layers first, second;
    const size_t half = rows.size() / 2;
    std::thread other([&] { draw(half, rows.size(), second); });
    draw(0, half, first);
    other.join();
    {
        QPainter p(&image);
        for (const QImage* layer : {&first.grey, &second.grey, &first.kept, &second.kept})
            p.drawImage(QPointF(0, 0), *layer);
    }
    *count = int(rows.size());
    return image;
}

} // namespace

ParallelCoordinatesView::ParallelCoordinatesView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(400, 260);
}

void ParallelCoordinatesView::setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows,
                                      const QString& sortMetric)
{
    // Axes the user arranged stay; otherwise they follow the shown runs.
    QStringList keys;
    for (const auto& a : axes_.axes())
        keys << a.key;
    const bool sameTable = table_ == table;
    table_ = std::move(table);
    if (!sameTable || !customAxes_ || keys.isEmpty()) {
        keys = ParallelAxes::defaultKeys(*table_, rows, sortMetric);
        customAxes_ = false;
    }
    axes_.build(*table_, rows, keys);
    invalidate();
    emitBrush();
}

void ParallelCoordinatesView::invalidate()
{
    dirty_ = true;
    update();
}

void ParallelCoordinatesView::setBrush(int axis, std::optional<std::pair<double, double>> brush)
{
    axes_.setBrush(axis, brush);
    invalidate();
    emitBrush();
}

void ParallelCoordinatesView::emitBrush()
{
    bool any = false;
    for (const auto& a : axes_.axes())
        any |= a.brush.has_value();
    emit brushChanged(axes_.brushed(), any);
}

QRectF ParallelCoordinatesView::plotRect() const
{
    return plotRectFor(size());
}

double ParallelCoordinatesView::axisX(int axis) const
{
    return axisXFor(plotRect(), int(axes_.axes().size()), axis);
}

double ParallelCoordinatesView::yOf(double fraction) const
{
    return yOfFor(plotRect(), fraction);
}

double ParallelCoordinatesView::fractionAt(double y) const
{
    const QRectF r = plotRect();
    return std::clamp((r.bottom() - y) / r.height(), 0.0, 1.0);
}

int ParallelCoordinatesView::axisNear(double x, double tolerance) const
{
    for (int a = 0; a < int(axes_.axes().size()); ++a)
        if (std::abs(axisX(a) - x) <= tolerance)
            return a;
    return -1;
}

bool ParallelCoordinatesView::colourIsConstant() const
{
    return constantColour(axes_);
}

QStringList ParallelCoordinatesView::axisChoices() const
{
    QStringList shown, out;
    for (const auto& a : axes_.axes())
        shown << a.key;
    if (!table_)
        return out;
    const auto& rows = axes_.rows();
    auto anyHas = [&](const auto& column) { return std::any_of(rows.begin(), rows.end(), [&](int r) { return column.has(r); }); };
    for (const auto& c : table_->params())
        if (anyHas(c) && !shown.contains(QStringLiteral("params.") + c.key))
            out << QStringLiteral("params.") + c.key;
    for (const auto& m : table_->metrics())
        if (anyHas(m) && !shown.contains(QStringLiteral("metrics.") + m.key))
            out << QStringLiteral("metrics.") + m.key;
    return out;
}

void ParallelCoordinatesView::rebuildAxes(const QStringList& keys)
{
    if (!table_)
        return;
    axes_.build(*table_, axes_.rows(), keys);
    customAxes_ = true;
    invalidate();
    emitBrush();
}

void ParallelCoordinatesView::addAxis(const QString& key)
{
    QStringList keys;
    for (const auto& a : axes_.axes())
        keys << a.key;
    if (keys.contains(key))
        return;
    keys.insert(std::max<qsizetype>(0, keys.size() - 1), key);
    rebuildAxes(keys);
}

void ParallelCoordinatesView::moveAxisFirst(const QString& key)
{
    QStringList keys;
    for (const auto& a : axes_.axes())
        if (a.key != key)
            keys << a.key;
    keys.prepend(key);
    rebuildAxes(keys);
}

void ParallelCoordinatesView::colourBy(const QString& metric)
{
    const QString key = QStringLiteral("metrics.") + metric;
    QStringList keys;
    for (const auto& a : axes_.axes())
        if (a.key != key)
            keys << a.key;
    if (!keys.isEmpty() && keys.back().startsWith(QLatin1String("metrics.")))
        keys.removeLast(); // the old colour metric: one colour axis at a time
    keys << key;
    rebuildAxes(keys);
}

QColor ParallelCoordinatesView::colorOf(int row) const
{
    return colorFor(axes_, row);
}

void ParallelCoordinatesView::renderLines()
{
    dirty_ = false;
    if (!table_) {
        lines_ = QImage();
        return;
    }
    // Up to a few thousand runs a frame costs little: draw now. More goes to
    // a pool thread; the last image stays on screen until the new one lands,
    // and an image for a superseded state is dropped.
    if (synchronous_ || axes_.rows().size() <= 2000) {
        lines_ = drawLines(axes_, size(), devicePixelRatioF(), &lastLines_);
        return;
    }
    const quint64 generation = ++generation_;
    rendering_ = true;
    QPointer<ParallelCoordinatesView> self(this);
    QThreadPool::globalInstance()->start([self, generation, axes = axes_, table = table_, size = size(),
                                          dpr = devicePixelRatioF()] {
        int count = 0;
        QImage image = drawLines(axes, size, dpr, &count);
        QMetaObject::invokeMethod(qApp, [self, generation, image = std::move(image), count]() mutable {
            if (!self || generation != self->generation_)
                return;
            self->lines_ = std::move(image);
            self->lastLines_ = count;
            self->rendering_ = false;
            self->update();
        });
    });
}

void ParallelCoordinatesView::setSynchronous(bool synchronous)
{
    synchronous_ = synchronous;
}

void ParallelCoordinatesView::resizeEvent(QResizeEvent*)
{
    dirty_ = true;
}

void ParallelCoordinatesView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    // Rendered into an SVG or PDF (a saved chart, a report), the lines are
    // vectors; on screen they come from the cached image.
    const bool vector = p.paintEngine() && p.paintEngine()->type() != QPaintEngine::Raster;
    if (dirty_ && !vector)
        renderLines();
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QRectF r = plotRect();
    const auto& axes = axes_.axes();
    if (axes.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No params or metrics to show"));
        return;
    }
    // The missing band.
    QColor band = pal.color(QPalette::AlternateBase);
    p.fillRect(QRectF(r.left() - 20, r.bottom() + kMissingGap - 7, r.width() + 40, 14), band);
    p.setPen(pal.color(QPalette::PlaceholderText));
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    p.drawText(QRectF(0, r.bottom() + kMissingGap - 8, kLeft - 4, 16), Qt::AlignRight | Qt::AlignVCenter, tr("missing"));
    if (vector) {
        p.save();
        int count = 0;
        drawLines(p, axes_, size(), &count);
        p.restore();
    } else if (!lines_.isNull()) {
        p.drawImage(QPointF(0, 0), lines_);
    }
    if (rendering_ && !vector) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(0, height() - 18, width() - 8, 16), Qt::AlignRight, tr("drawing %1 runs…").arg(axes_.rows().size()));
    }

    const QFontMetrics fm(small);
    const double spacing = axes.size() > 1 ? r.width() / double(axes.size() - 1) : r.width();
    for (int a = 0; a < int(axes.size()); ++a) {
        const ParallelAxis& ax = axes[size_t(a)];
        const double x = axisX(a);
        p.setPen(QPen(pal.color(QPalette::Text), 1.2));
        p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
        // Title (two lines: name and scale), elided in the middle to the axis spacing.
        QFont bold = small;
        bold.setBold(true);
        p.setFont(bold);
        const QString title = QFontMetrics(bold).elidedText(ax.title, Qt::ElideMiddle, int(std::max(60.0, spacing - 6)));
        p.drawText(QRectF(x - spacing / 2, 4, spacing, 18), Qt::AlignHCenter | Qt::AlignBottom, title);
        p.setFont(small);
        const QString scale = ax.categorical ? tr("categories") : ax.log ? tr("log") : QString();
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(x - spacing / 2, 22, spacing, 16), Qt::AlignHCenter | Qt::AlignTop,
                   scale + (ax.flipped ? tr(" · flipped") : QString()));
        // Ticks: categories, or min / middle / max.
        p.setPen(pal.color(QPalette::Text));
        if (ax.categorical) {
            const auto n = ax.categories.size();
            const int every = std::max<qsizetype>(1, n / std::max(1, int(r.height() / 16)));
            for (qsizetype i = 0; i < n; i += every) {
                const double f = n <= 1 ? 0.5 : double(i) / double(n - 1);
                const double y = yOf(ax.flipped ? 1 - f : f);
                const QString label = fm.elidedText(ax.categories[i], Qt::ElideMiddle, int(std::max(40.0, spacing / 2 - 8)));
                p.drawText(QRectF(x + 4, y - 8, spacing / 2, 16), Qt::AlignLeft | Qt::AlignVCenter, label);
            }
        } else {
            for (double f : {0.0, 0.5, 1.0}) {
                const double y = yOf(f);
                p.drawLine(QPointF(x - 3, y), QPointF(x + 3, y));
                p.drawText(QRectF(x + 5, y - 8, spacing / 2, 16), Qt::AlignLeft | Qt::AlignVCenter, axes_.labelAt(a, f));
            }
        }
        // The brush.
        const auto& b = (drag_ == Drag::Brush && dragAxis_ == a) ? std::optional(std::pair(std::min(dragFrom_, dragTo_), std::max(dragFrom_, dragTo_)))
                                                                  : ax.brush;
        if (b) {
            QColor c = pal.color(QPalette::Highlight);
            c.setAlpha(70);
            const QRectF box(x - 7, yOf(b->second), 14, yOf(b->first) - yOf(b->second));
            p.fillRect(box, c);
            p.setPen(pal.color(QPalette::Highlight));
            p.drawRect(box);
        }
    }
    // Colour bar for the last axis; one value for every run has no scale.
    const ParallelAxis& last = axes.back();
    if (constantColour(axes_)) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(width() - kRight + 8, r.top(), kRight - 12, r.height()), Qt::AlignCenter | Qt::TextWordWrap,
            tr("%1 is %2 for every run: one colour").arg(last.title, last.categorical
                    ? last.categories.value(0)
                    : axes_.labelAt(int(axes.size()) - 1, 0)));
    } else {
        const QRectF bar(width() - kRight + 44, r.top(), 12, r.height());
        for (int i = 0; i < int(bar.height()); ++i)
            p.fillRect(QRectF(bar.left(), bar.bottom() - i - 1, bar.width(), 1), viridis(i / bar.height()));
        p.setPen(pal.color(QPalette::Text));
        p.drawRect(bar);
    }
    if (!last.categorical && !constantColour(axes_)) {
        const QRectF bar(width() - kRight + 44, r.top(), 12, r.height());
        const int lastAxis = int(axes.size()) - 1;
        p.drawText(QRectF(bar.left() - 40, bar.top() - 18, 90, 16), Qt::AlignHCenter,
                   axes_.labelAt(lastAxis, last.flipped ? 0 : 1));
        p.drawText(QRectF(bar.left() - 40, bar.bottom() + 2, 90, 16), Qt::AlignHCenter,
                   axes_.labelAt(lastAxis, last.flipped ? 1 : 0));
    }
    // The hovered run on top.
    if (hoverRow_ >= 0) {
        std::vector<QPointF> pts;
        for (int a = 0; a < int(axes.size()); ++a)
            pts.emplace_back(axisX(a), yOf(axes_.fraction(a, hoverRow_)));
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(pal.color(QPalette::Text), 2.4));
        p.drawPolyline(pts.data(), int(pts.size()));
        p.setPen(QPen(colorOf(hoverRow_), 1.4));
        p.drawPolyline(pts.data(), int(pts.size()));
    }
}

void ParallelCoordinatesView::mousePressEvent(QMouseEvent* e)
{
    if (e->button() != Qt::LeftButton)
        return;
    const QPointF pos = e->position();
    const int a = axisNear(pos.x(), 10);
    if (a < 0)
        return;
    dragAxis_ = a;
    if (pos.y() < kTop) {
        drag_ = Drag::Move;
    } else {
        drag_ = Drag::Brush;
        dragFrom_ = dragTo_ = fractionAt(pos.y());
    }
}

void ParallelCoordinatesView::mouseMoveEvent(QMouseEvent* e)
{
    const QPointF pos = e->position();
    if (drag_ == Drag::Brush) {
        dragTo_ = fractionAt(pos.y());
        update();
        return;
    }
    if (drag_ == Drag::Move)
        return;
    // Hover: the kept run whose line passes nearest the pointer.
    const int n = int(axes_.axes().size());
    hoverRow_ = -1;
    if (n >= 2 && pos.x() >= axisX(0) && pos.x() <= axisX(n - 1)) {
        int seg = 0;
        while (seg + 2 < n && pos.x() > axisX(seg + 1))
            ++seg;
        const double t = (pos.x() - axisX(seg)) / (axisX(seg + 1) - axisX(seg));
        double best = 6;
        for (int r : axes_.rows()) {
            if (!axes_.passes(r))
                continue;
            const double y = yOf(axes_.fraction(seg, r)) * (1 - t) + yOf(axes_.fraction(seg + 1, r)) * t;
            if (std::abs(y - pos.y()) < best) {
                best = std::abs(y - pos.y());
                hoverRow_ = r;
            }
        }
    }
    if (hoverRow_ >= 0) {
        QString tip = QStringLiteral("<b>%1</b>").arg(table_->name(hoverRow_).toHtmlEscaped());
        for (int a = 0; a < n; ++a) {
            const double f = axes_.fraction(a, hoverRow_);
            tip += QStringLiteral("<br>%1: %2").arg(axes_.axes()[size_t(a)].title.toHtmlEscaped(),
                                                    f == ParallelAxes::kMissing ? tr("missing") : axes_.labelAt(a, f).toHtmlEscaped());
        }
        QToolTip::showText(e->globalPosition().toPoint(), tip, this);
    } else {
        QToolTip::hideText();
    }
    update();
}

void ParallelCoordinatesView::mouseReleaseEvent(QMouseEvent* e)
{
    if (drag_ == Drag::Brush) {
        // A click (no drag) clears the axis' brush.
        if (std::abs(dragTo_ - dragFrom_) * plotRect().height() < 3)
            setBrush(dragAxis_, std::nullopt);
        else
            setBrush(dragAxis_, std::pair(std::min(dragFrom_, dragTo_), std::max(dragFrom_, dragTo_)));
    } else if (drag_ == Drag::Move) {
        const int n = int(axes_.axes().size());
        const QRectF r = plotRect();
        const int to = n <= 1 ? 0 : std::clamp(int(std::lround((e->position().x() - r.left()) / r.width() * (n - 1))), 0, n - 1);
        axes_.moveAxis(dragAxis_, to);
        customAxes_ = true;
        invalidate();
    }
    drag_ = Drag::None;
    dragAxis_ = -1;
    update();
}

void ParallelCoordinatesView::contextMenuEvent(QContextMenuEvent* e)
{
    const int a = axisNear(e->pos().x(), 14);
    if (a < 0) {
        QMenu menu(this);
        const QStringList choices = axisChoices();
        QMenu* add = menu.addMenu(tr("Add Axis"));
        QMenu* colour = menu.addMenu(tr("Colour By"));
        for (const auto& key : choices) {
            const ColumnKey column = ColumnKey::parse(key);
            add->addAction(key, this, [this, key] { addAxis(key); });
            if (column.kind == ColumnKey::Kind::Metric)
                colour->addAction(column.name, this, [this, name = column.name] { colourBy(name); });
        }
        add->setEnabled(!add->isEmpty());
        colour->setEnabled(!colour->isEmpty());
        menu.addSeparator();
        addFigureActions(menu, *this, QStringLiteral("parallel-coordinates"));
        menu.exec(e->globalPos());
        return;
    }
    const ParallelAxis& ax = axes_.axes()[size_t(a)];
    QMenu menu(this);
    auto* flip = menu.addAction(tr("Flip"));
    flip->setCheckable(true);
    flip->setChecked(ax.flipped);
    auto* log = menu.addAction(tr("Log scale"));
    log->setCheckable(true);
    log->setChecked(ax.log);
    log->setEnabled(ax.canLog);
    auto* clear = menu.addAction(tr("Clear brush"));
    clear->setEnabled(ax.brush.has_value());
    auto* remove = menu.addAction(tr("Remove axis"));
    QAction* chosen = menu.exec(e->globalPos());
    if (chosen == flip)
        axes_.setFlipped(a, !ax.flipped);
    else if (chosen == log)
        axes_.setLog(a, !ax.log);
    else if (chosen == clear)
        axes_.setBrush(a, std::nullopt);
    else if (chosen == remove) {
        QStringList keys;
        for (const auto& x : axes_.axes())
            if (x.key != ax.key)
                keys << x.key;
        axes_.build(*table_, axes_.rows(), keys);
        customAxes_ = true;
    } else {
        return;
    }
    invalidate();
    emitBrush();
}

} // namespace runlens::ui
