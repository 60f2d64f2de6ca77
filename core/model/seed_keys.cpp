// SPDX-License-Identifier: GPL-3.0-or-later
#include "seed_keys.h"

namespace runlens {

QStringList defaultSeedKeys()
{
    return {QStringLiteral("seed"), QStringLiteral("*.seed"), QStringLiteral("*_seed")};
}

bool isSeedKey(const QString& key, const QStringList& seedKeys)
{
    for (const auto& pattern : seedKeys) {
        // "*suffix" matches by ending; anything else names a key.
        if (pattern.startsWith(QLatin1Char('*')) ? key.endsWith(pattern.mid(1), Qt::CaseInsensitive)
                                                 : key.compare(pattern, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace runlens
