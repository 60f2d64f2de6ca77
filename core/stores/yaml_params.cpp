// SPDX-License-Identifier: GPL-3.0-or-later
#include "yaml_params.h"

#include "regular_file.h"
#include <QFile>
#include <QFileInfo>

#include <yaml-cpp/yaml.h>

namespace runlens {

namespace {

void flatten(const YAML::Node& n, const QString& prefix, QHash<QString, QString>& out, int depth)
{
    if (depth > 32)
        return;   // a hostile file nests without end; what is above is kept
    if (n.IsMap()) {
        for (const auto& kv : n) {
            const QString key = QString::fromStdString(kv.first.as<std::string>());
            flatten(kv.second, prefix.isEmpty() ? key : prefix + QLatin1Char('.') + key, out, depth + 1);
        }
    } else if (n.IsScalar()) {
        out.insert(prefix, QString::fromStdString(n.Scalar()));
    } else if (n.IsSequence()) {
        YAML::Emitter e;
        e << YAML::Flow << n;
        out.insert(prefix, QString::fromUtf8(e.c_str()));
    } else if (n.IsNull()) {
        out.insert(prefix, QStringLiteral("null"));
    }
}

} // namespace

QHash<QString, QString> readYamlParams(const QString& path, QStringList* problems)
{
    QHash<QString, QString> out;
    if (!QFileInfo::exists(path))
        return out;
    QFile f(path);
    if (const QString why = openRegularFile(f); !why.isEmpty()) {
        if (problems)
            *problems << why;
        return out;
    }
    try {
        const YAML::Node n = YAML::Load(f.read(4 << 20).toStdString());
        if (n.IsMap())
            flatten(n, {}, out, 0);
        else if (!n.IsNull() && problems)
            *problems << QStringLiteral("%1: not a YAML mapping").arg(path);
    } catch (const std::exception& e) {
        if (problems)
            *problems << QStringLiteral("%1: %2").arg(path, QString::fromUtf8(e.what()));
    }
    return out;
}

} // namespace runlens
