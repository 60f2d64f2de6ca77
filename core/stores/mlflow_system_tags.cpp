// SPDX-License-Identifier: GPL-3.0-or-later
#include "mlflow_system_tags.h"

namespace runlens {

void applyMlflowSystemTags(RunTable& table, const std::vector<QString>& users)
{
    const ValueColumn* commit = table.tag(QStringLiteral("mlflow.source.git.commit"));
    const ValueColumn* branch = table.tag(QStringLiteral("mlflow.source.git.branch"));
    const ValueColumn* note = table.tag(QStringLiteral("mlflow.note.content"));
    const ValueColumn* user = table.tag(QStringLiteral("mlflow.user"));
    const ValueColumn* sourceName = table.tag(QStringLiteral("mlflow.source.name"));
    const ValueColumn* sourceType = table.tag(QStringLiteral("mlflow.source.type"));
    auto value = [](const ValueColumn* c, int row) { return c && c->has(row) ? c->text[size_t(row)] : QString(); };
    for (int r = 0; r < table.rowCount(); ++r) {
        RunGit git;
        git.commit = value(commit, r);
        git.branch = value(branch, r);
        git.dirty = -1; // MLflow records the commit, not the working tree
        if (git.present())
            table.setGit(r, std::move(git));
        if (note && note->has(r))
            table.setNotes(r, note->text[size_t(r)]);
        Environment env;
        const QString who = size_t(r) < users.size() && !users[size_t(r)].isEmpty() ? users[size_t(r)] : value(user, r);
        if (!who.isEmpty())
            env.emplace_back(QStringLiteral("user"), who);
        if (sourceName && sourceName->has(r))
            env.emplace_back(QStringLiteral("source.name"), sourceName->text[size_t(r)]);
        if (sourceType && sourceType->has(r))
            env.emplace_back(QStringLiteral("source.type"), sourceType->text[size_t(r)]);
        if (!env.empty())
            table.setEnvironment(r, env);
    }
}

} // namespace runlens
