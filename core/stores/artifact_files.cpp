// SPDX-License-Identifier: GPL-3.0-or-later
#include "artifact_files.h"

#include "regular_file.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QLocale>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

namespace runlens {

namespace {

const QStringList& imageSuffixes()
{
    static const QStringList s{QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
        QStringLiteral("gif"), QStringLiteral("webp"), QStringLiteral("bmp"), QStringLiteral("svg")};
    return s;
}

const QStringList& textSuffixes()
{
    static const QStringList s{QStringLiteral("txt"), QStringLiteral("json"), QStringLiteral("yaml"),
        QStringLiteral("yml"), QStringLiteral("md"), QStringLiteral("py"), QStringLiteral("log"),
        QStringLiteral("html"), QStringLiteral("xml"), QStringLiteral("toml"), QStringLiteral("ini"),
        QStringLiteral("cfg"), QStringLiteral("sh"), QStringLiteral("diff"), QStringLiteral("patch")};
    return s;
}

// MLflow 2.x's log_image(key=, step=): images/<key, / as #>%step%<n>%timestamp%<ms>%<uuid>.png,
// beside a %compressed.webp thumbnail of it (left out).
bool parseMlflowStepImage(ArtifactItem& item)
{
    if (!item.file.startsWith(QStringLiteral("images/")))
        return false;
    const QStringList parts = item.file.mid(7).split(QLatin1Char('%'));
    if (parts.size() < 6 || parts[1] != QStringLiteral("step") || parts[3] != QStringLiteral("timestamp"))
        return false;
    bool stepOk = false, timeOk = false;
    const qlonglong step = parts[2].toLongLong(&stepOk);
    const qlonglong time = parts[4].toLongLong(&timeOk);
    if (!stepOk || !timeOk)
        return false;
    item.path = QString(parts[0]).replace(QLatin1Char('#'), QLatin1Char('/'));
    item.step = step;
    item.stepped = true;
    item.time = time;
    return true;
}

} // namespace

void classifyArtifactFile(ArtifactItem& item)
{
    const QString name = QFileInfo(item.file.isEmpty() ? item.path : item.file).fileName();
    const QString suffix = QFileInfo(name).suffix().toLower();
    item.format = suffix == QStringLiteral("jpg") ? QStringLiteral("jpeg")
        : suffix == QStringLiteral("yml")         ? QStringLiteral("yaml")
                                                  : suffix;
    if (imageSuffixes().contains(suffix))
        item.kind = ArtifactKind::Image;
    else if (suffix == QStringLiteral("csv") || suffix == QStringLiteral("tsv"))
        item.kind = ArtifactKind::Table;
    else if (textSuffixes().contains(suffix) || name == QStringLiteral("MLmodel")
        || name == QStringLiteral("requirements.txt") || name == QStringLiteral("Dockerfile"))
        item.kind = ArtifactKind::Text;
    else
        item.kind = ArtifactKind::File;
    if (name == QStringLiteral("MLmodel"))
        item.format = QStringLiteral("yaml");
}

RunArtifacts artifactsOf(const std::vector<ArtifactRecord>& records, QString root)
{
    RunArtifacts out;
    // The folder: given, else the common part of a file:// URI and its path.
    if (root.isEmpty()) {
        for (const auto& r : records) {
            const QUrl url(r.uri);
            if (!url.isLocalFile())
                continue;
            const QString local = url.toLocalFile();
            if (local.endsWith(QLatin1Char('/') + r.path)) {
                root = local.left(local.size() - r.path.size() - 1);
                break;
            }
        }
    }
    out.root = root;
    std::map<QString, int64_t> modelSizes; // model folder -> bytes of its files
    for (const auto& r : records) {
        ArtifactItem item;
        item.path = r.path;
        item.sha256 = r.sha256;
        item.size = r.size;
        const QUrl url(r.uri);
        if (url.isLocalFile() || r.uri.isEmpty())
            item.file = r.path;
        else
            item.remoteUri = r.uri;
        classifyArtifactFile(item);
        if (item.file.endsWith(QStringLiteral("%compressed.webp")))
            continue;
        if (item.kind == ArtifactKind::Image && parseMlflowStepImage(item)) {
            out.items.push_back(item);
            continue;
        }
        if (QFileInfo(r.path).fileName() == QStringLiteral("MLmodel"))
            modelSizes.emplace(QFileInfo(r.path).path(), 0);
        out.items.push_back(item);
    }
    for (auto& [folder, bytes] : modelSizes) {
        const QString prefix = folder == QStringLiteral(".") ? QString() : folder + QLatin1Char('/');
        for (const auto& item : out.items)
            if (item.path.startsWith(prefix) && item.size > 0)
                bytes += item.size;
        ArtifactItem model;
        model.path = folder == QStringLiteral(".") ? QStringLiteral("(model)") : folder;
        model.kind = ArtifactKind::Model;
        model.file = prefix + QStringLiteral("MLmodel");
        model.size = bytes;
        out.items.push_back(model);
    }
    std::sort(out.items.begin(), out.items.end(), artifactOrder);
    return out;
}

RunArtifacts listArtifactFolder(const QString& root, int maxFiles)
{
    std::vector<ArtifactRecord> records;
    const QDir dir(root);
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    bool cut = false;
    while (it.hasNext()) {
        const QString file = it.next();
        if (int(records.size()) >= maxFiles) {
            cut = true;
            break;
        }
        records.push_back({dir.relativeFilePath(file), QUrl::fromLocalFile(file).toString(), {}, it.fileInfo().size()});
    }
    RunArtifacts out = artifactsOf(records, root);
    if (cut)
        out.problems << QStringLiteral("the artifact folder holds more than %L1 files; the first %L1 are listed").arg(maxFiles);
    return out;
}

QString tooLargeToShow(const QString& path, int64_t size, int64_t limit)
{
    return QStringLiteral("'%1' is %2; above the %3 shown without asking")
        .arg(path, QLocale().formattedDataSize(size), QLocale().formattedDataSize(limit));
}

bool isTooLargeToShow(const QString& message)
{
    return message.endsWith(QStringLiteral(" shown without asking"));
}

Result<QString> artifactFilePath(const QString& root, const QString& file)
{
    if (root.isEmpty())
        return Failure{QStringLiteral("the run has no artifact folder")};
    if (file.isEmpty() || QDir::isAbsolutePath(file) || QDir::cleanPath(file).startsWith(QStringLiteral("..")))
        return Failure{QStringLiteral("'%1' is outside the run's artifact folder; not read").arg(file)};
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    if (canonicalRoot.isEmpty())
        return Failure{QStringLiteral("the artifact folder '%1' is not there").arg(QDir::toNativeSeparators(root))};
    const QString full = QDir(root).filePath(file);
    const QString canonical = QFileInfo(full).canonicalFilePath();
    if (canonical.isEmpty())
        return Failure{QStringLiteral("'%1' is not there").arg(QDir::toNativeSeparators(full))};
    // Resolving symlinks: one pointing out of the folder is refused like "..".
    if (!canonical.startsWith(canonicalRoot + QLatin1Char('/')))
        return Failure{QStringLiteral("'%1' leads outside the run's artifact folder; not read").arg(file)};
    return canonical;
}

Result<QByteArray> readArtifactFile(const QString& root, const QString& file, int64_t limit)
{
    const auto canonical = artifactFilePath(root, file);
    if (!canonical)
        return Failure{canonical.error()};
    QFile f(*canonical);
    if (auto why = openRegularFile(f); !why.isEmpty())
        return Failure{why};
    if (f.size() > limit)
        return Failure{tooLargeToShow(file, f.size(), limit)};
    QByteArray bytes = f.read(limit + 1);
    if (bytes.size() > limit) // grew while we read
        return Failure{QStringLiteral("'%1' is being written; try again").arg(file)};
    return bytes;
}

QStringList mlmodelFlavors(const QByteArray& mlmodelYaml)
{
    QStringList flavors;
    try {
        const YAML::Node doc = YAML::Load(mlmodelYaml.toStdString());
        const YAML::Node f = doc["flavors"];
        if (f && f.IsMap())
            for (const auto& kv : f)
                flavors << QString::fromStdString(kv.first.as<std::string>());
    } catch (const std::exception&) {
        // Not YAML, or not MLflow's: no flavors to name.
    }
    return flavors;
}

} // namespace runlens
