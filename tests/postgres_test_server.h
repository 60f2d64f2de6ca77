// SPDX-License-Identifier: GPL-3.0-or-later
// A real PostgreSQL server for the team store's tests (Debian's postgresql
// package; no mocks): initdb into a temporary folder, postgres on a free
// loopback port, password authentication, stopped and removed when the
// object goes. PostgreSQL refuses to run as root, and CI runs as root: then
// the server runs as the package's `postgres` user. It is the test process's
// child and gets SIGQUIT when the test process dies, however it dies, so a
// crashed test leaves no server behind.
#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

namespace runlens::test {

// A loopback port nobody listens on now: the kernel's pick for port 0.
inline int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

class PostgresTestServer {
public:
    static constexpr const char* kAdmin = "runlens_admin";
    static constexpr const char* kAdminPassword = "admin-secret";

    PostgresTestServer()
    {
        if (!dir_.isValid()) {
            error_ = QStringLiteral("no temporary folder");
            return;
        }
        const QStringList versions = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString& v : versions)
            if (QFile::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(v))
                && (bin_.isEmpty() || v.toInt() > bin_.section(QLatin1Char('/'), 4, 4).toInt()))
                bin_ = QStringLiteral("/usr/lib/postgresql/%1/bin/").arg(v);
        if (bin_.isEmpty()) {
            error_ = QStringLiteral("PostgreSQL's server is not installed (Debian's postgresql package; the README's "
                                    "test command installs it)");
            return;
        }
        if (::geteuid() == 0) {
            const passwd* pw = ::getpwnam("postgres");
            if (!pw) {
                error_ = QStringLiteral("running as root, and there is no 'postgres' user to run the server as");
                return;
            }
            uid_ = pw->pw_uid;
            gid_ = pw->pw_gid;
            if (::chown(QFile::encodeName(dir_.path()).constData(), uid_, gid_) != 0) {
                error_ = QStringLiteral("cannot hand %1 to the postgres user").arg(dir_.path());
                return;
            }
        }
        QFile pw(dir_.filePath(QStringLiteral("pw")));
        if (!pw.open(QIODevice::WriteOnly) || pw.write(kAdminPassword) < 0) {
            error_ = QStringLiteral("cannot write the password file");
            return;
        }
        pw.close();
        if (uid_ >= 0 && ::chown(QFile::encodeName(pw.fileName()).constData(), uid_, gid_) != 0) {
            error_ = QStringLiteral("cannot hand the password file to the postgres user");
            return;
        }
        QProcess initdb;
        asServerUser(initdb, false);
        initdb.start(bin_ + QStringLiteral("initdb"),
            {QStringLiteral("-D"), data(), QStringLiteral("-U"), QString::fromLatin1(kAdmin), QStringLiteral("--pwfile"),
                pw.fileName(), QStringLiteral("--auth"), QStringLiteral("scram-sha-256"), QStringLiteral("-E"),
                QStringLiteral("UTF8"), QStringLiteral("--no-locale"), QStringLiteral("--no-sync")});
        if (!initdb.waitForFinished(120000) || initdb.exitCode() != 0) {
            error_ = QStringLiteral("initdb failed: %1").arg(QString::fromLocal8Bit(initdb.readAllStandardError()));
            return;
        }
        port_ = freeLoopbackPort();
        start();
    }

    ~PostgresTestServer() { stop(); }

    // Empty when the server is up; why not otherwise (the test fails with it).
    const QString& error() const { return error_; }
    int port() const { return port_; }

    // Starts the server again after stop() (a server that went away and came back).
    bool start()
    {
        if (server_ && server_->state() != QProcess::NotRunning)
            return true;
        server_ = std::make_unique<QProcess>();
        server_->setProcessChannelMode(QProcess::MergedChannels);
        asServerUser(*server_, true);
        // fsync off: a test server's data need not survive a power cut.
        server_->start(bin_ + QStringLiteral("postgres"),
            {QStringLiteral("-D"), data(), QStringLiteral("-p"), QString::number(port_), QStringLiteral("-k"), dir_.path(),
                QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
                QStringLiteral("fsync=off"), QStringLiteral("-c"), QStringLiteral("full_page_writes=off")});
        if (!server_->waitForStarted(10000)) {
            error_ = QStringLiteral("postgres did not start: %1").arg(server_->errorString());
            return false;
        }
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 60000) {
            if (server_->state() == QProcess::NotRunning) {
                error_ = QStringLiteral("postgres stopped: %1").arg(QString::fromLocal8Bit(server_->readAll()));
                return false;
            }
            QString why;
            if (exec(QStringLiteral("postgres"), QStringLiteral("SELECT 1"), &why))
                return true;
            QThread::msleep(100);
        }
        error_ = QStringLiteral("postgres did not accept connections within a minute: %1")
                     .arg(QString::fromLocal8Bit(server_->readAll()));
        return false;
    }

    // A fast shutdown (SIGINT: clients are disconnected, as when a server restarts).
    void stop()
    {
        if (!server_ || server_->state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(server_->processId()), SIGINT);
        if (!server_->waitForFinished(30000)) {
            server_->kill();
            server_->waitForFinished(5000);
        }
    }

    // postgresql://user:password@127.0.0.1:port/database
    QString url(const QString& database, const QString& user = QString::fromLatin1(kAdmin),
        const QString& password = QString::fromLatin1(kAdminPassword)) const
    {
        return QStringLiteral("postgresql://%1:%2@127.0.0.1:%3/%4").arg(user, password).arg(port_).arg(database);
    }

    // Runs `sql` as the administrator in `database`; false and why on failure.
    bool exec(const QString& database, const QString& sql, QString* why = nullptr) const
    {
        bool ok = false;
        asAdmin(database, why, [&](QSqlQuery& q) {
            ok = q.exec(sql);
            if (!ok && why)
                *why = q.lastError().text();
        });
        return ok;
    }

    // The first column of the first row of `sql` in `database`, as text.
    QString value(const QString& database, const QString& sql) const
    {
        QString out, why;
        asAdmin(database, &why, [&](QSqlQuery& q) {
            if (q.exec(sql) && q.next())
                out = q.value(0).toString();
            else
                out = QStringLiteral("<error: %1>").arg(q.lastError().text());
        });
        return out.isNull() ? QStringLiteral("<error: %1>").arg(why) : out;
    }

    // A fresh, empty database for one test.
    QString createDatabase()
    {
        const QString name = QStringLiteral("team_%1").arg(++databases_);
        QString why;
        if (!exec(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE %1").arg(name), &why))
            error_ = QStringLiteral("CREATE DATABASE failed: %1").arg(why);
        return name;
    }

private:
    QString data() const { return dir_.filePath(QStringLiteral("data")); }

    // A connection of its own as the administrator, for `use`, then gone.
    template <class Use> void asAdmin(const QString& database, QString* why, Use use) const
    {
        const QString name = QUuid::createUuid().toString();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(QStringLiteral("127.0.0.1"));
            db.setPort(port_);
            db.setDatabaseName(database);
            db.setUserName(QString::fromLatin1(kAdmin));
            db.setPassword(QString::fromLatin1(kAdminPassword));
            if (db.open()) {
                QSqlQuery q(db);
                use(q);
                q.finish();
                db.close();
            } else if (why) {
                *why = db.lastError().text();
            }
        }
        QSqlDatabase::removeDatabase(name);
    }

    // In the child, after fork: become the postgres user when root, and (for
    // the server) die with the test process. The death signal is set after
    // the user change, which clears it.
    void asServerUser(QProcess& process, bool dieWithParent) const
    {
        const int uid = uid_, gid = gid_;
        const pid_t parent = ::getpid();
        process.setChildProcessModifier([uid, gid, parent, dieWithParent] {
            if (uid >= 0 && (::setgroups(0, nullptr) != 0 || ::setgid(gid_t(gid)) != 0 || ::setuid(uid_t(uid)) != 0))
                ::_exit(126);
            if (dieWithParent) {
                ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
                if (::getppid() != parent)
                    ::_exit(125);
            }
        });
    }

    QTemporaryDir dir_;
    QString bin_;
    QString error_;
    int uid_ = -1, gid_ = -1;
    int port_ = 0;
    int databases_ = 0;
    std::unique_ptr<QProcess> server_;
};

} // namespace runlens::test
