// SPDX-License-Identifier: GPL-3.0-or-later
// What runs produced besides numbers, from the command line: `artifacts`
// lists a run's artifact files and logged media (images, tables, text,
// confusion matrices, models) as the app's Artifacts tab does, `artifact`
// writes one of them to a file or stdout. Every store kind; a path that
// climbs out of the run's folder is refused (core/stores/artifact_files.h).
#include "cli_command.h"
#include "opened_store.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>

#include <cstdio>

namespace runlens::cli {

namespace {

QJsonObject itemJson(const ArtifactItem& item)
{
    QJsonObject o{{QStringLiteral("path"), item.path}, {QStringLiteral("kind"), artifactKindText(item.kind)},
        {QStringLiteral("format"), item.format}, {QStringLiteral("size"), double(item.size)},
        {QStringLiteral("sha256"), item.sha256},
        {QStringLiteral("stored"), item.inStore() ? QStringLiteral("store") : !item.remoteUri.isEmpty() ? QStringLiteral("remote") : QStringLiteral("file")}};
    if (item.stepped)
        o.insert(QStringLiteral("step"), double(item.step));
    if (item.width > 0)
        o.insert(QStringLiteral("width"), item.width);
    if (item.height > 0)
        o.insert(QStringLiteral("height"), item.height);
    if (!item.caption.isEmpty())
        o.insert(QStringLiteral("caption"), item.caption);
    if (!item.file.isEmpty())
        o.insert(QStringLiteral("file"), item.file);
    if (!item.remoteUri.isEmpty())
        o.insert(QStringLiteral("uri"), item.remoteUri);
    return o;
}

// The run's artifacts, after saying why not when they cannot be listed.
std::optional<RunArtifacts> artifactsOf(Opened& s, const QString& run, QTextStream& err, ExitCode& code, QString* id)
{
    const int row = findRunOrFail(*s.runs.table, run, err);
    if (row < 0) {
        code = RunNotFound;
        return std::nullopt;
    }
    *id = s.runs.table->id(row);
    auto listed = s.reader->loadArtifacts(*id);
    if (!listed) {
        err << "runlens: " << listed.error() << '\n';
        code = StoreError;
        return std::nullopt;
    }
    for (const QString& p : listed->problems)
        err << "runlens: warning: " << p << '\n';
    return std::move(*listed);
}

ExitCode printArtifacts(const CliCall& call, const Opened& store, const RunArtifacts& listed, const QString& id);
ExitCode writeArtifact(const CliCall& call, Opened& store, const RunArtifacts& listed, const QString& id);

// Opens the call's store, finds its run (the second argument) and lists
// its artifacts, then runs `command` on them; else the exit code of what failed.
template <class Command> ExitCode withRunArtifacts(const CliCall& call, Command&& command)
{
    ExitCode code = Ok;
    auto s = openAndLoad(call.positionals[0], call.value(QStringLiteral("kind")), call.isSet(QStringLiteral("deleted")),
        call.err, code);
    if (!s)
        return code;
    QString id;
    auto a = artifactsOf(*s, call.positionals[1], call.err, code, &id);
    if (!a)
        return code;
    return command(*s, *a, id);
}

} // namespace

ExitCode artifactsCommand(const CliCall& call)
{
    return withRunArtifacts(call, [&](Opened& s, const RunArtifacts& listed, const QString& id) {
        return printArtifacts(call, s, listed, id);
    });
}

ExitCode artifactCommand(const CliCall& call)
{
    return withRunArtifacts(call, [&](Opened& s, const RunArtifacts& listed, const QString& id) {
        return writeArtifact(call, s, listed, id);
    });
}

namespace {

ExitCode printArtifacts(const CliCall& call, const Opened& store, const RunArtifacts& listed, const QString& id)
{
    if (call.format == QLatin1String("json")) {
        QJsonArray items;
        for (const auto& item : listed.items)
            items.append(itemJson(item));
        call.out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("run"), id},
                                          {QStringLiteral("folder"), listed.root}, {QStringLiteral("artifacts"), items}})
                                          .toJson(QJsonDocument::Indented));
        return Ok;
    }
    if (listed.items.empty()) {
        // A push sends artifacts as references and no media: the run may
        // well have logged some, in the store it was logged to.
        if (store.reader->kind() == QLatin1String("runlens-team"))
            call.err << "runlens: the team store holds no artifact references of run " << id
                     << "; its media and files stay in the store it was logged to\n";
        else
            call.err << "runlens: run " << id << " logged no artifacts or media\n";
        return Ok;
    }
    std::vector<QStringList> rows;
    for (const auto& item : listed.items) {
        QString what = artifactKindText(item.kind);
        if (!item.format.isEmpty())
            what += QStringLiteral(" (%1)").arg(item.format);
        rows.push_back({oneLine(item.path), item.stepped ? QString::number(item.step) : QStringLiteral("-"), what,
            item.size < 0 ? QStringLiteral("-") : QLocale::c().formattedDataSize(item.size, 1, QLocale::DataSizeTraditionalFormat),
            item.sha256.left(12),
            item.inStore() ? QStringLiteral("store") : !item.remoteUri.isEmpty() ? item.remoteUri : QStringLiteral("file")});
    }
    printAligned(call.out,
        {QStringLiteral("PATH"), QStringLiteral("STEP"), QStringLiteral("KIND"), QStringLiteral("SIZE"),
            QStringLiteral("SHA256"), QStringLiteral("WHERE")},
        rows);
    return Ok;
}

ExitCode writeArtifact(const CliCall& call, Opened& store, const RunArtifacts& listed, const QString& id)
{
    const QString path = call.positionals[2];
    std::optional<qint64> step;
    if (call.isSet(QStringLiteral("step"))) {
        bool ok = false;
        step = call.value(QStringLiteral("step")).toLongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("artifact"), QStringLiteral("--step takes a number"), call.err);
    }
    // The item at the step asked (exactly), else the latest step logged.
    const ArtifactItem* found = nullptr;
    QStringList steps;
    for (const auto& item : listed.items) {
        if (item.path != path)
            continue;
        if (item.stepped)
            steps << QString::number(item.step);
        if (!step || (item.stepped && item.step == *step) || !item.stepped)
            found = &item; // sorted by step: the last wins
    }
    if (!found || (step && found->stepped && found->step != *step)) {
        if (found && step)
            call.err << "runlens: '" << oneLine(path) << "' has no step " << *step << "; it has steps " << steps.join(QStringLiteral(", ")) << '\n';
        else {
            QStringList known;
            for (const auto& item : listed.items)
                if (!known.contains(item.path))
                    known << oneLine(item.path);
            call.err << "runlens: run " << id << " has no artifact '" << oneLine(path) << "'"
                     << (known.isEmpty() ? QStringLiteral("; it has none") : QStringLiteral("; it has: ") + known.join(QStringLiteral(", ")))
                     << '\n';
        }
        return RunNotFound;
    }
    auto bytes = store.reader->loadArtifactBytes(listed.root, *found, int64_t(4) << 30);
    if (!bytes) {
        call.err << "runlens: " << bytes.error() << '\n';
        return Failed;
    }
    const QString output = call.value(QStringLiteral("output"));
    if (output.isEmpty() || output == QLatin1String("-")) {
        call.out.flush();
        std::fwrite(bytes->constData(), 1, size_t(bytes->size()), stdout);
        std::fflush(stdout);
        return Ok;
    }
    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly) || file.write(*bytes) != bytes->size() || !file.commit()) {
        call.err << "runlens: cannot write '" << output << "': " << file.errorString() << '\n';
        return Failed;
    }
    call.err << "runlens: wrote " << output << " (" << bytes->size() << " bytes)\n";
    return Ok;
}

} // namespace

} // namespace runlens::cli
