// SPDX-License-Identifier: GPL-3.0-or-later
// bench_startup's baseline: Qt's own start-up, a bare QWidget window linked
// against Qt Widgets alone, shown, and quit after its first paint (printing
// "painted", as the app does with RUNLENS_REPORT_FIRST_PAINT).
#include <QApplication>
#include <QPaintEvent>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <utility>

namespace {

class Window final : public QWidget {
protected:
    void paintEvent(QPaintEvent*) override
    {
        if (std::exchange(painted_, true))
            return;
        QTimer::singleShot(0, this, [] {
            std::printf("painted\n");
            std::fflush(stdout);
            QApplication::quit();
        });
    }

private:
    bool painted_ = false;
};

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    Window window;
    window.resize(1200, 800);
    window.show();
    return app.exec();
}
