// SPDX-License-Identifier: GPL-3.0-or-later
// A .zip read through libzip, read-only (Comet's offline archives): its
// members by name (libzip's own hash of the central directory, so a lookup
// costs the same in an archive of 80,000 members as of 3), each read whole
// up to a cap or as a sequential device
// (for LineReader), so a 500 MB messages.json costs a piece at a time. The
// archive is discarded, never closed, so nothing can be written back; the
// file is opened by openRegularFile, so a FIFO or a device is refused.
#pragma once

#include "result.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

struct zip;      // libzip's zip_t
struct zip_file; // libzip's zip_file_t

namespace runlens {

class ZipArchive {
public:
    struct Member {
        QString name;
        uint64_t index = 0;
        int64_t size = -1; // uncompressed; -1 when the archive does not say
    };

    // Why not, naming the file, when it is not a readable zip.
    static Result<std::unique_ptr<ZipArchive>> open(const QString& path);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    const QString& path() const { return path_; }
    int64_t memberCount() const;
    // The member named `name`, if there is one.
    std::optional<Member> member(const QString& name) const;
    // The member at `index` (its Member::index), if there is one.
    std::optional<Member> memberAt(uint64_t index) const;
    // The member whole; larger than `maxBytes`, damaged or unreadable: why not.
    Result<QByteArray> read(const Member& member, int64_t maxBytes) const;
    // One member read in order: libzip inflates and checks the CRC as it
    // goes, so damage fails the read that reaches it; the device then ends
    // and failure() says why.
    class MemberDevice final : public QIODevice {
    public:
        explicit MemberDevice(struct zip_file* file);
        ~MemberDevice() override;
        bool isSequential() const override { return true; }
        const QString& failure() const { return failure_; }

    protected:
        qint64 readData(char* data, qint64 maxSize) override;
        qint64 writeData(const char*, qint64) override { return -1; }

    private:
        struct zip_file* file_;
        QString failure_;
    };
    // The member as a device open for reading; it must not outlive the archive.
    Result<std::unique_ptr<MemberDevice>> device(const Member& member) const;

private:
    struct Discard {
        void operator()(struct zip* z) const;
    };
    ZipArchive(std::unique_ptr<struct zip, Discard> zip, QString path);

    std::unique_ptr<struct zip, Discard> zip_;
    QString path_;
};

} // namespace runlens
