// SPDX-License-Identifier: GPL-3.0-or-later
// The model registry from the command line (runlens/model_registry.h):
// `models` lists a store's registered models and versions with the runs
// they came from (ours, and MLflow's registry tables), `register` makes a
// run's model the next version of a model (promoting the run, as the app
// and runlens.mlflow's register_model do), `alias` moves or clears an
// alias such as champion. Only our stores' registries are written.
#include "cli_command.h"
#include "opened_store.h"

#include "registered_version.h"
#include "run_edit.h"
#include "run_edit_writer.h"
#include "store_run_editor.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace runlens::cli {

namespace {

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

QString when(int64_t ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QJsonObject tagsJson(const std::map<std::string, std::string>& tags)
{
    QJsonObject o;
    for (const auto& [k, v] : tags)
        o.insert(text(k), text(v));
    return o;
}

// Our store's registry, opened for writing; a message for another tool's.
bool writable(const Opened& s, const QString& command, QTextStream& err)
{
    if (keepsEditsInStore(*s.reader))
        return true;
    err << "runlens " << command << ": " << s.reader->location() << " is a " << s.reader->kind()
        << " store: Runlens reads its registry and never writes it (import it into a Runlens store first)\n";
    return false;
}

ExitCode applyChanges(const Opened& s, const std::vector<RegistryChange>& changes, QTextStream& err, qint64* created = nullptr)
{
    std::optional<RegistryErrorKind> refused;
    const auto done = StoreRunEditor::applyRegistry(s.reader->location(), changes, currentUserName(), 60000, &refused);
    if (!done) {
        err << "runlens: " << done.error() << '\n';
        // A missing model or version is "not found" (4), as a missing run is.
        return refused == RegistryErrorKind::NotFound ? RunNotFound : Failed;
    }
    if (created)
        *created = *done;
    return Ok;
}

} // namespace

ExitCode modelsCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return code;
    const auto registry = s->reader->loadModelRegistry();
    if (!registry) {
        call.err << "runlens: cannot read the model registry: " << registry.error() << '\n';
        return StoreError;
    }
    const QString only = call.positionals.value(1);
    if (!only.isEmpty() && !registry->model(only.toStdString())) {
        call.err << "runlens: no registered model '" << oneLine(only) << "'";
        QStringList names;
        for (const auto& m : registry->models)
            names << oneLine(text(m.name));
        call.err << (names.isEmpty() ? QStringLiteral("; the store has none") : QStringLiteral("; there are: ") + names.join(QStringLiteral(", ")))
                 << '\n';
        return RunNotFound;
    }
    const RunTable& t = *s->runs.table;
    const bool json = call.format == QLatin1String("json");
    QJsonArray models;
    for (const auto& m : registry->models) {
        if (!only.isEmpty() && text(m.name) != only)
            continue;
        QJsonArray versions;
        if (!json) {
            QStringList aliases;
            for (const auto& [alias, v] : m.aliases)
                aliases << QStringLiteral("%1 \u2192 v%2").arg(oneLine(text(alias))).arg(v);
            call.out << oneLine(text(m.name)) << "  (" << m.versions.size() << (m.versions.size() == 1 ? " version" : " versions")
                     << (aliases.isEmpty() ? QString() : QStringLiteral("; ") + aliases.join(QStringLiteral(", "))) << ")"
                     << (m.description.empty() ? QString() : QStringLiteral("  ") + oneLine(text(m.description))) << '\n';
        }
        for (const auto& v : m.versions) {
            const RegisteredVersionRun run = registeredVersionRun(t, -1, m.name, v);
            QStringList aliases;
            for (const auto& a : m.aliasesOf(v.version))
                aliases << (json ? text(a) : oneLine(text(a)));
            if (json) {
                QJsonObject metrics;
                for (const auto& [k, value] : run.metrics.metrics)
                    metrics.insert(k, value);
                versions.append(QJsonObject{{QStringLiteral("version"), qint64(v.version)},
                                            {QStringLiteral("stage"), text(v.stage)},
                                            {QStringLiteral("aliases"), QJsonArray::fromStringList(aliases)},
                                            {QStringLiteral("run_id"), text(v.runId)},
                                            {QStringLiteral("run_name"), run.runName},
                                            {QStringLiteral("source"), text(v.source)},
                                            {QStringLiteral("description"), text(v.description)},
                                            {QStringLiteral("user"), text(v.user)},
                                            {QStringLiteral("created"), qint64(v.createdMs)},
                                            {QStringLiteral("tags"), tagsJson(v.tags)},
                                            {QStringLiteral("metrics"), metrics},
                                            {QStringLiteral("metrics_when_registered"), run.registered}});
                continue;
            }
            QString runText = v.runId.empty() ? QStringLiteral("(no run)")
                : run.row < 0                 ? QStringLiteral("run %1 (not in the store)").arg(text(v.runId).left(8))
                                              : QStringLiteral("%1 (%2)").arg(oneLine(run.runName), text(v.runId).left(8));
            call.out << "  v" << v.version << "  " << oneLine(text(v.stage)).leftJustified(10) << "  "
                     << aliases.join(QStringLiteral(",")).leftJustified(12) << "  " << runText;
            if (const QString metrics = run.metrics.metricsText(3); !metrics.isEmpty())
                call.out << "  " << metrics;
            call.out << "  " << when(v.createdMs) << (v.user.empty() ? QString() : QStringLiteral(" by ") + oneLine(text(v.user)))
                     << '\n';
        }
        if (json) {
            QJsonObject aliases;
            for (const auto& [alias, v] : m.aliases)
                aliases.insert(text(alias), qint64(v));
            models.append(QJsonObject{{QStringLiteral("name"), text(m.name)},
                                      {QStringLiteral("description"), text(m.description)},
                                      {QStringLiteral("created"), qint64(m.createdMs)},
                                      {QStringLiteral("updated"), qint64(m.updatedMs)},
                                      {QStringLiteral("tags"), tagsJson(m.tags)},
                                      {QStringLiteral("aliases"), aliases},
                                      {QStringLiteral("versions"), versions}});
        }
    }
    if (json) {
        call.out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("store"), s->reader->location()},
                                                                 {QStringLiteral("history_kept"), registry->historyKept},
                                                                 {QStringLiteral("models"), models}})
                                          .toJson(QJsonDocument::Indented));
    } else if (registry->models.empty()) {
        call.out << "no registered models in " << s->reader->location() << '\n';
    }
    if (registry->skippedEvents > 0)
        call.err << "runlens: warning: " << registry->skippedEvents
                 << " registry record(s) could not be applied and were left out (written by hand or by a newer Runlens)\n";
    return Ok;
}

ExitCode registerCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return code;
    if (!writable(*s, QStringLiteral("register"), call.err))
        return Failed;
    const int row = findRunOrFail(*s->runs.table, call.positionals[1], call.err);
    if (row < 0)
        return RunNotFound;
    const std::string model = call.positionals[2].toStdString();
    const std::string runId = s->runs.table->id(row).toStdString();
    // One transaction: the model made when needed, the version, its aliases.
    RegistryChange create{RegistryAction::CreateModel, model, 0, {}, std::nullopt, {}, {}};
    create.ifMissing = true;
    std::vector<RegistryChange> changes{create};
    RegistryChange version{RegistryAction::CreateVersion, model, 0, {}, std::nullopt, runId, {}};
    version.source = "runs:/" + runId + "/" + call.value(QStringLiteral("path")).toStdString();
    if (call.isSet(QStringLiteral("description")))
        version.value = call.value(QStringLiteral("description")).toStdString();
    changes.push_back(version);
    const QStringList aliases = call.list(QStringLiteral("alias"));
    for (const QString& alias : aliases)
        changes.push_back({RegistryAction::SetAlias, model, kVersionCreatedInBatch, alias.toStdString(), std::nullopt, {}, {}});
    qint64 created = 0;
    if (const ExitCode c = applyChanges(*s, changes, call.err, &created); c != Ok)
        return c;
    call.out << "registered " << oneLine(s->runs.table->name(row)) << " (" << s->runs.table->id(row).left(8) << ") as "
             << oneLine(call.positionals[2]) << " version " << created
             << (aliases.isEmpty() ? QString() : QStringLiteral(" (") + aliases.join(QStringLiteral(", ")) + QLatin1Char(')'))
             << '\n';
    return Ok;
}

ExitCode aliasCommand(const CliCall& call)
{
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), false, call.err, code);
    if (!s)
        return code;
    if (!writable(*s, QStringLiteral("alias"), call.err))
        return Failed;
    const bool clear = call.isSet(QStringLiteral("clear"));
    if (clear == (call.positionals.size() == 4))
        return usageError(QStringLiteral("alias"), QStringLiteral("give a VERSION, or --clear"), call.err);
    qint64 version = 0;
    if (!clear) {
        bool ok = false;
        version = call.positionals[3].startsWith(QLatin1Char('v')) ? call.positionals[3].mid(1).toLongLong(&ok)
                                                                   : call.positionals[3].toLongLong(&ok);
        if (!ok || version <= 0)
            return usageError(QStringLiteral("alias"), QStringLiteral("VERSION is a version number, such as 3"), call.err);
    }
    const RegistryChange change{clear ? RegistryAction::DeleteAlias : RegistryAction::SetAlias,
                                call.positionals[1].toStdString(), version, call.positionals[2].toStdString(),
                                std::nullopt, {}, {}};
    if (const ExitCode c = applyChanges(*s, {change}, call.err); c != Ok)
        return c;
    if (clear)
        call.out << "cleared " << oneLine(call.positionals[2]) << " of " << oneLine(call.positionals[1]) << '\n';
    else
        call.out << oneLine(call.positionals[1]) << '@' << oneLine(call.positionals[2]) << " is version " << version << '\n';
    return Ok;
}

} // namespace runlens::cli
