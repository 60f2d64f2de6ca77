// SPDX-License-Identifier: GPL-3.0-or-later
#include "zip_archive.h"

#include "regular_file.h"

#include <QFile>

#include <zip.h>

#include <fcntl.h>
#include <unistd.h>

namespace runlens {

namespace {

QString libzipError(int code)
{
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const QString text = QString::fromUtf8(zip_error_strerror(&error));
    zip_error_fini(&error);
    return text;
}

} // namespace

ZipArchive::MemberDevice::MemberDevice(zip_file_t* file) : file_(file) {}

ZipArchive::MemberDevice::~MemberDevice()
{
    if (file_)
        zip_fclose(file_);
}

qint64 ZipArchive::MemberDevice::readData(char* data, qint64 maxSize)
{
    if (!file_)
        return -1;
    const zip_int64_t n = zip_fread(file_, data, zip_uint64_t(maxSize));
    if (n < 0) {
        failure_ = QString::fromUtf8(zip_file_strerror(file_));
        setErrorString(failure_);
        zip_fclose(file_);
        file_ = nullptr;
        return -1;
    }
    return n;
}

void ZipArchive::Discard::operator()(struct zip* z) const
{
    zip_discard(z);
}

ZipArchive::ZipArchive(std::unique_ptr<struct zip, Discard> zip, QString path)
    : zip_(std::move(zip))
    , path_(std::move(path))
{
}

ZipArchive::~ZipArchive() = default;

Result<std::unique_ptr<ZipArchive>> ZipArchive::open(const QString& path)
{
    QFile file(path);
    if (const QString why = openRegularFile(file); !why.isEmpty())
        return Failure{why};
    // libzip owns the descriptor it is given and closes it with the archive;
    // close-on-exec, as Qt's own, so no process Runlens starts holds it.
    const int fd = ::fcntl(file.handle(), F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return Failure{QStringLiteral("'%1' cannot be read: too many open files").arg(path)};
    int code = 0;
    std::unique_ptr<struct zip, Discard> zip(zip_fdopen(fd, ZIP_RDONLY, &code));
    if (!zip) {
        ::close(fd);
        return Failure{QStringLiteral("'%1' is not a zip archive that can be read (%2)").arg(path, libzipError(code))};
    }
    return std::unique_ptr<ZipArchive>(new ZipArchive(std::move(zip), path));
}

int64_t ZipArchive::memberCount() const
{
    return zip_get_num_entries(zip_.get(), 0);
}

std::optional<ZipArchive::Member> ZipArchive::member(const QString& name) const
{
    const zip_int64_t index = zip_name_locate(zip_.get(), name.toUtf8().constData(), 0);
    return index < 0 ? std::nullopt : memberAt(zip_uint64_t(index));
}

std::optional<ZipArchive::Member> ZipArchive::memberAt(uint64_t index) const
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), index, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
        return std::nullopt;
    return Member{QString::fromUtf8(st.name), index, (st.valid & ZIP_STAT_SIZE) ? int64_t(st.size) : int64_t(-1)};
}

Result<QByteArray> ZipArchive::read(const Member& member, int64_t maxBytes) const
{
    if (member.size > maxBytes)
        return Failure{QStringLiteral("'%1' in '%2' is larger than the %3 bytes read of it")
                           .arg(member.name, path_).arg(maxBytes)};
    auto dev = device(member);
    if (!dev)
        return Failure{dev.error()};
    QByteArray out;
    out.reserve(qsizetype(std::max<int64_t>(member.size, 0)));
    char piece[65536];
    for (;;) {
        const qint64 n = (*dev)->read(piece, sizeof piece);
        if (n < 0)
            return Failure{QStringLiteral("'%1' in '%2' cannot be read: %3").arg(member.name, path_, (*dev)->failure())};
        if (n == 0)
            break;
        if (out.size() + n > maxBytes)
            return Failure{QStringLiteral("'%1' in '%2' is larger than the %3 bytes read of it")
                               .arg(member.name, path_).arg(maxBytes)};
        out.append(piece, qsizetype(n));
    }
    return out;
}

Result<std::unique_ptr<ZipArchive::MemberDevice>> ZipArchive::device(const Member& member) const
{
    zip_file_t* file = zip_fopen_index(zip_.get(), member.index, 0);
    if (!file)
        return Failure{QStringLiteral("'%1' in '%2' cannot be read: %3")
                           .arg(member.name, path_, QString::fromUtf8(zip_strerror(zip_.get())))};
    auto dev = std::make_unique<MemberDevice>(file);
    dev->open(QIODevice::ReadOnly);
    return dev;
}

} // namespace runlens
