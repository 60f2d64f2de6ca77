// SPDX-License-Identifier: GPL-3.0-or-later
#include "team_change_listener.h"

#include "team_connection.h"

#include <QSqlDriver>
#include <QThread>
#include <QTimer>

#include <memory>

namespace runlens {

namespace {

// Lives in the listener's thread: its connection, its subscription, and the
// timer that checks the connection and makes a new one after the server
// went away (a dropped socket stops notifications without a word).
class ListenerWorker : public QObject {
    Q_OBJECT

public:
    explicit ListenerWorker(TeamStoreUrl url)
        : url_(std::move(url))
    {
    }

    void start()
    {
        timer_ = new QTimer(this);
        timer_->setInterval(kCheckMs);
        connect(timer_, &QTimer::timeout, this, &ListenerWorker::check);
        timer_->start();
        check();
    }

    void notified(const QString& channel)
    {
        if (channel == QLatin1String(TeamChangeListener::kChannel))
            emit heard();
    }

signals:
    // Queued to the listener, which Qt disconnects when it goes.
    void heard();

private:
    static constexpr int kCheckMs = 5000;

    void check()
    {
        if (!team_) {
            auto opened = TeamConnection::open(url_, TeamConnection::Access::ReadOnly);
            if (!opened)
                return; // polling reads it meanwhile; tried again at the next check
            team_ = std::move(*opened);
        }
        // database() pings the connection and opens a new one when the old
        // is gone: a new one is not subscribed yet.
        auto db = team_->database();
        if (!db)
            return;
        QSqlDriver* driver = db->driver();
        if (driver->subscribedToNotifications().contains(QLatin1String(TeamChangeListener::kChannel)))
            return;
        if (!driver->subscribeToNotification(QLatin1String(TeamChangeListener::kChannel)))
            return;
        // The same driver reconnects after a restart: connected once.
        connect(driver, &QSqlDriver::notification, this, &ListenerWorker::notified, Qt::UniqueConnection);
        emit heard(); // what was pushed while nobody listened
    }

    TeamStoreUrl url_;
    std::unique_ptr<TeamConnection> team_;
    QTimer* timer_ = nullptr;
};

} // namespace

TeamChangeListener::TeamChangeListener(const TeamStoreUrl& url, std::function<void()> changed, QObject* parent)
    : QObject(parent)
    , thread_(new QThread)
{
    thread_->setObjectName(QStringLiteral("team-store listener"));
    auto* worker = new ListenerWorker(url);
    worker->moveToThread(thread_);
    // Queued to this object's thread, and only while this object lives: the
    // worker may outlive it by a connect_timeout.
    connect(worker, &ListenerWorker::heard, this, [changed = std::move(changed)] { changed(); });
    connect(thread_, &QThread::started, worker, &ListenerWorker::start);
    connect(thread_, &QThread::finished, worker, &QObject::deleteLater);
    thread_->start();
}

TeamChangeListener::~TeamChangeListener()
{
    // Waited for a moment (the usual case: done at once), so that it is not
    // still running when the application tears down Qt Sql; one stuck in a
    // connect to a server that is away ends on its own and deletes itself.
    thread_->quit();
    if (thread_->wait(QDeadlineTimer(kStopWaitMs)))
        delete thread_;
    else
        connect(thread_, &QThread::finished, thread_, &QObject::deleteLater);
}

} // namespace runlens

#include "team_change_listener.moc"
