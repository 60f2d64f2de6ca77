// SPDX-License-Identifier: GPL-3.0-or-later
#include "team_connection.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QCoreApplication>
#include <QThread>

#include <atomic>

namespace runlens {

namespace {

QString withoutTrailingNewlines(QString text)
{
    while (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char(' ')))
        text.chop(1);
    return text;
}

} // namespace

TeamConnection::TeamConnection(TeamStoreUrl url, Access access)
    : url_(std::move(url))
    , access_(access)
{
    static std::atomic<quint64> counter{0};
    prefix_ = QStringLiteral("runlens-team-%1-").arg(++counter);
}

TeamConnection::~TeamConnection()
{
    std::lock_guard lock(mutex_);
    // Not database(name): asked from another thread than the one a
    // connection belongs to, Qt refuses it with a warning. removeDatabase()
    // deletes the driver, which closes its socket.
    for (const QString& name : std::as_const(names_))
        QSqlDatabase::removeDatabase(name);
}

Result<std::unique_ptr<TeamConnection>> TeamConnection::open(const TeamStoreUrl& url, Access access)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Failure{QStringLiteral("this Runlens cannot reach PostgreSQL: Qt's PostgreSQL driver (QPSQL, Debian's "
                                      "libqt6sql6-psql) is not installed")};
    auto connection = std::unique_ptr<TeamConnection>(new TeamConnection(url, access));
    auto db = connection->database();
    if (!db)
        return Failure{db.error()};
    return connection;
}

Result<QSqlDatabase> TeamConnection::database()
{
    const Qt::HANDLE thread = QThread::currentThreadId();
    QString name;
    {
        // Only the names are shared: each thread then talks to the server
        // on its own connection, and one waiting for an unreachable server
        // holds no other thread up.
        std::lock_guard lock(mutex_);
        name = names_.value(thread);
        if (name.isEmpty()) {
            name = prefix_ + QString::number(quintptr(thread), 16);
            names_.insert(thread, name);
        }
    }
    QSqlDatabase db;
    if (QSqlDatabase::contains(name)) {
        db = QSqlDatabase::database(name, false);
        // A thread that ended and whose id a new thread took: its
        // connection belongs to the old QThread and reads as invalid here.
        if (!db.isValid()) {
            db = {};
            QSqlDatabase::removeDatabase(name);
        }
    }
    if (!db.isValid()) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(url_.host);
        if (url_.port >= 0)
            db.setPort(url_.port);
        db.setDatabaseName(url_.database);
        db.setUserName(url_.user);
        db.setPassword(url_.password);
        db.setConnectOptions(url_.connectOptions());
        // A pool thread that ends takes its connection with it, so the
        // server is not left holding one per thread that ever read.
        if (QThread* current = QThread::currentThread();
            !QCoreApplication::instance() || current != QCoreApplication::instance()->thread())
            QObject::connect(current, &QThread::finished, current, [name] { QSqlDatabase::removeDatabase(name); },
                Qt::DirectConnection);
    }
    // A connection the server dropped (a restart) is opened anew: libpq
    // reports it as bad, and Qt keeps it "open" until told otherwise.
    if (db.isOpen()) {
        QSqlQuery ping(db);
        if (ping.exec(QStringLiteral("SELECT 1")))
            return db;
        db.close();
    }
    if (!db.open())
        return Failure{describe(db.lastError())};
    QSqlQuery setup(db);
    // Numbers come back as doubles, not as text Qt would keep; all their
    // digits (PostgreSQL before 12 prints 15 unless asked for more).
    db.driver()->setNumericalPrecisionPolicy(QSql::LowPrecisionDouble);
    setup.exec(QStringLiteral("SET extra_float_digits = 3"));
    setup.exec(QStringLiteral("SET application_name = 'runlens'"));
    if (access_ == Access::ReadOnly && !setup.exec(QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"))) {
        const QString why = describe(setup);
        db.close();
        return Failure{why};
    }
    return db;
}

QString TeamConnection::describe(const QSqlError& error) const
{
    QString reason = withoutTrailingNewlines(error.databaseText());
    if (reason.isEmpty())
        reason = withoutTrailingNewlines(error.text());
    // libpq's "connection to server at ... failed: FATAL:  password authentication failed ..."
    reason.replace(QLatin1String("FATAL:  "), QString());
    reason.replace(QLatin1String("ERROR:  "), QString());
    if (reason.contains(QLatin1String("no password supplied")))
        reason += QStringLiteral(" (put it in ~/.pgpass or PGPASSWORD, or in the URL)");
    return QStringLiteral("team store %1: %2").arg(url_.display(), reason);
}

bool TeamConnection::isUnreachable(const QString& message)
{
    // libpq's words for a server it could not reach or that went away, as
    // against one that answered no (a password, a database, a right).
    for (const char* words : {"could not connect", "Connection refused", "server closed the connection", "timeout expired",
             "No route to host", "could not translate host name", "Network is unreachable", "no connection to the server",
             "the database system is starting up", "the database system is shutting down", "terminating connection",
             "Connection timed out", "Connection reset", "could not receive data", "could not send data", "SSL SYSCALL",
             "the database system is in recovery mode", "not yet accepting connections", "Host is down",
             "Temporary failure in name resolution",
             // A server's socket gone during a restart (a host=/socket/dir URL).
             "No such file or directory"})
        if (message.contains(QLatin1String(words), Qt::CaseInsensitive))
            return true;
    return false;
}

QString TeamConnection::describe(const QSqlQuery& failed) const
{
    return describe(failed.lastError());
}

} // namespace runlens
