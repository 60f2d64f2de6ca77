// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_colors.h"

#include <QHash>

#include <array>
#include <cmath>
#include <functional>
#include <string_view>
#include <QPainter>
#include <QPixmap>

namespace runlens::ui {

namespace {

QHash<QString, int>& registry()
{
    static QHash<QString, int> numbers;
    return numbers;
}

QColor colorOfNumber(size_t n)
{
    // Golden-angle hue steps; lightness cycles so that hues that come round
    // again after ~10 runs still look different.
    const double hue = std::fmod(0.07 + double(n) * 0.6180339887498949, 1.0);
    const int light = std::array{118, 92, 145}[(n / 7) % 3];
    const int sat = std::array{200, 230, 170}[(n / 7) % 3];
    return QColor::fromHsl(int(hue * 359), sat, light);
}

} // namespace

void registerRunColors(const QStringList& runIdsInOrder)
{
    auto& numbers = registry();
    for (const auto& id : runIdsInOrder)
        if (!numbers.contains(id))
            numbers.insert(id, int(numbers.size()));
}

QColor runColor(const QString& runId)
{
    const auto& numbers = registry();
    if (auto it = numbers.constFind(runId); it != numbers.constEnd())
        return colorOfNumber(size_t(*it));
    // Not qHash: with a seed it mixes in the process's random hash seed, so
    // the same run got another colour in each report the CLI wrote.
    const std::u16string_view text(reinterpret_cast<const char16_t*>(runId.utf16()), size_t(runId.size()));
    return colorOfNumber(std::hash<std::u16string_view>{}(text) % 1009);
}

QColor statusColor(RunStatus status)
{
    switch (status) {
    case RunStatus::Running: return QColor(0x1e, 0x88, 0xe5);
    case RunStatus::Finished: return QColor(0x43, 0xa0, 0x47);
    case RunStatus::Failed: return QColor(0xe5, 0x39, 0x35);
    case RunStatus::Killed: return QColor(0xfb, 0x8c, 0x00);
    case RunStatus::Crashed: return QColor(0x8e, 0x24, 0xaa);
    }
    return Qt::gray;
}

QIcon statusIcon(RunStatus status)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(status));
    if (it != cache.end())
        return *it;
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(statusColor(status));
    p.drawEllipse(QRectF(6, 6, 20, 20));
    if (status == RunStatus::Running) {
        p.setBrush(Qt::white);
        p.drawEllipse(QRectF(12, 12, 8, 8));
    }
    p.end();
    return *cache.insert(int(status), QIcon(pm));
}

} // namespace runlens::ui
