// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktop_launch.h"

#include <QFileInfo>

#include <algorithm>
#include <vector>

namespace runlens::cli {

namespace {

// Levenshtein distance (insertions, deletions, substitutions), case-insensitive.
int editDistance(const QString& a, const QString& b)
{
    std::vector<int> row(size_t(b.size()) + 1);
    for (size_t j = 0; j < row.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[size_t(j)];
            const bool same = a[i - 1].toCaseFolded() == b[j - 1].toCaseFolded();
            row[size_t(j)] = std::min({above + 1, row[size_t(j - 1)] + 1, diagonal + (same ? 0 : 1)});
            diagonal = above;
        }
    }
    return row.back();
}

// Qt's own options that take a value (`runlens -platform offscreen store.db`).
bool takesValue(const QString& option)
{
    static const QStringList withValue = {QStringLiteral("-platform"), QStringLiteral("-style"),
        QStringLiteral("-stylesheet"), QStringLiteral("-display"), QStringLiteral("-qwindowgeometry"),
        QStringLiteral("-qwindowtitle"), QStringLiteral("-qwindowicon")};
    QString single = option;
    if (single.startsWith(QLatin1String("--")))
        single.remove(0, 1);
    return withValue.contains(single);
}

} // namespace

DisplayEnvironment DisplayEnvironment::current()
{
    return {qEnvironmentVariable("DISPLAY"), qEnvironmentVariable("WAYLAND_DISPLAY"),
        qEnvironmentVariable("QT_QPA_PLATFORM")};
}

bool DisplayEnvironment::hasDisplay() const
{
    if (!display.isEmpty() || !waylandDisplay.isEmpty())
        return true;
    // "xcb", "wayland", "wayland-egl", or a list like "wayland;xcb": all need a server.
    const QString first = qpaPlatform.section(QLatin1Char(';'), 0, 0).section(QLatin1Char(':'), 0, 0);
    return !first.isEmpty() && first != QLatin1String("xcb") && !first.startsWith(QLatin1String("wayland"));
}

QString closestCommand(const QString& word)
{
    // A start of a name ("snap") is what was meant.
    if (word.size() >= 2)
        for (const auto& c : commands())
            if (c.name.startsWith(word, Qt::CaseInsensitive))
                return c.name;
    // Else a slip of a key or two ("rusn", "shwo"); on a short word one only.
    const int close = word.size() <= 3 ? 1 : 2;
    QString best;
    int bestDistance = close + 1;
    for (const auto& c : commands())
        if (const int d = editDistance(word, c.name); d < bestDistance) {
            best = c.name;
            bestDistance = d;
        }
    return best;
}

std::optional<LaunchRefusal> desktopLaunchRefusal(const QStringList& arguments, const DisplayEnvironment& environment)
{
    bool platformGiven = false;
    QStringList stores;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& a = arguments[i];
        if (a.startsWith(QLatin1Char('-'))) { // Qt's options pass through to QApplication
            platformGiven = platformGiven || a == QLatin1String("-platform") || a == QLatin1String("--platform");
            if (takesValue(a))
                ++i;
            continue;
        }
        const bool path = a.contains(QLatin1Char('/')) || a.contains(QLatin1Char('.'));
        if (!QFileInfo::exists(a) && !path) {
            const QString near = closestCommand(a);
            return LaunchRefusal{QStringLiteral("runlens: unknown command or store: %1%2\nrunlens --help lists the "
                                                "commands; a store is a file or folder that exists.\n")
                                     .arg(a, near.isEmpty() ? QString() : QStringLiteral(" (did you mean '%1'?)").arg(near)),
                Usage};
        }
        stores << a;
    }
    if (platformGiven || environment.hasDisplay())
        return std::nullopt;
    const QString store = stores.isEmpty() ? QStringLiteral("STORE") : stores.first();
    return LaunchRefusal{
        QStringLiteral("runlens: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set).\n"
                       "Here, on the command line: runlens runs %1 lists its runs, runlens report and runlens snapshot "
                       "draw without a display; runlens --help lists every command.\n")
            .arg(store.contains(QLatin1Char(' ')) ? QLatin1Char('"') + store + QLatin1Char('"') : store),
        Failed};
}

} // namespace runlens::cli
