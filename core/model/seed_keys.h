// SPDX-License-Identifier: GPL-3.0-or-later
// Which params are random seeds: runs that differ only by them are repeats
// of one configuration (a seed group). One rule for the Seeds view, seed
// statistics, diffs, reports and the query language's `seeds`.
#pragma once

#include <QString>
#include <QStringList>

namespace runlens {

// Param keys taken as seeds: "seed", and keys ending in ".seed" or "_seed"
// ("*suffix" patterns). Configurable: pass another list.
QStringList defaultSeedKeys();
bool isSeedKey(const QString& key, const QStringList& seedKeys);

} // namespace runlens
