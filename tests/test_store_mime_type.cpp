// SPDX-License-Identifier: GPL-3.0-or-later
// A Runlens store is recognised as one by the desktop's MIME database (what a
// file manager asks before offering Runlens to open a file), through the
// installed resources/runlens-mime.xml, and other SQLite files are not.
#include "runlens/runlens.h"
#include "runlens/sqlite_db.h"

#include <QMimeDatabase>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

class TestStoreMimeType : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase()
    {
        // The database as it is once the package is installed: our file beside
        // the system's in one mime/packages folder, compiled into one cache by
        // shared-mime-info's own tool (dpkg's trigger does the same). Nothing
        // may have asked QMimeDatabase before this.
        const QString data = dir_.filePath(QStringLiteral("share"));
        const QString packages = data + QStringLiteral("/mime/packages/");
        QVERIFY(QDir().mkpath(packages));
        const QString system = QStringLiteral("/usr/share/mime/packages/freedesktop.org.xml");
        QVERIFY2(QFile::exists(system), "shared-mime-info is missing; packaging/bootstrap.sh test installs it");
        QVERIFY(QFile::copy(system, packages + QStringLiteral("freedesktop.org.xml")));
        QVERIFY(QFile::copy(QStringLiteral(RUNLENS_SOURCE_DIR "/resources/runlens-mime.xml"),
                            packages + QStringLiteral("runlens.xml")));
        const QString tool = QStandardPaths::findExecutable(QStringLiteral("update-mime-database"));
        QVERIFY2(!tool.isEmpty(), "update-mime-database is missing; packaging/bootstrap.sh test installs shared-mime-info");
        QProcess update;
        update.start(tool, {data + QStringLiteral("/mime")});
        QVERIFY(update.waitForFinished(60000));
        QCOMPARE(update.exitCode(), 0);
        QVERIFY(QFile::exists(data + QStringLiteral("/mime/mime.cache")));
        qputenv("XDG_DATA_HOME", dir_.filePath(QStringLiteral("empty-home")).toLocal8Bit());
        qputenv("XDG_DATA_DIRS", data.toLocal8Bit());
    }

    void aStoreIsARunlensStore()
    {
        // Named as nothing in particular: the header, not the name, says what it is.
        const QString store = dir_.filePath(QStringLiteral("experiments-2026.sqlite"));
        runlens::RunOptions o;
        o.capture_git = false;
        runlens::Run::start(store.toStdString(), o).finish();
        QVERIFY2(QMimeDatabase().mimeTypeForName(QStringLiteral("application/x-runlens-store")).isValid(),
                 "the installed MIME type is not in the database");
        const QMimeType type = QMimeDatabase().mimeTypeForFile(store, QMimeDatabase::MatchContent);
        QCOMPARE(type.name(), QStringLiteral("application/x-runlens-store"));
        QVERIFY(type.inherits(QStringLiteral("application/vnd.sqlite3")));
    }

    void anotherSqliteFileIsNot()
    {
        const QString other = dir_.filePath(QStringLiteral("other.sqlite"));
        {
            runlens::SqliteDb db(other.toStdString(), runlens::SqliteDb::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)");
        }
        const QMimeType type = QMimeDatabase().mimeTypeForFile(other, QMimeDatabase::MatchContent);
        QCOMPARE(type.name(), QStringLiteral("application/vnd.sqlite3"));
    }
};

QTEST_GUILESS_MAIN(TestStoreMimeType)
#include "test_store_mime_type.moc"
