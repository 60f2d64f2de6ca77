// SPDX-License-Identifier: GPL-3.0-or-later
// The metric curves of the chosen runs: one chart per metric in a grid, all
// runs overlaid, X synced across charts. The controls choose metrics (with
// search), the x axis, log y, smoothing and group bands; the legend hides
// runs. Series load on the Workspace's threads; the view redraws when they
// arrive and ignores answers to requests it has since replaced.
#pragma once

#include "curve_plot.h"
#include "series_smoothing.h"
#include "value_bars.h"

#include <QHash>
#include <QVariantMap>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QScrollArea;
class QTableWidget;

namespace runlens {
class Workspace;
struct SeriesKey;
}

namespace runlens::ui {

struct CurveSettings {
    XAxis axis = XAxis::Step;
    QString xMetric; // with XAxis::Metric: epoch, samples seen, ...
    bool logY = false;
    Smoothing smoothing = Smoothing::Ema;
    double emaWeight = 0.6;
    int meanWindow = 10;
    bool showRaw = true;
    bool groupBands = false;
    BandKind band = BandKind::MinMax;
    int columns = 2;

    bool operator==(const CurveSettings&) const = default;
};

// CurveSettings by name ("axis", "logY", "smoothing", ...), as the window's
// settings and saved views keep them; a missing or bad value keeps the default.
QVariantMap curveSettingsToMap(const CurveSettings& settings);
CurveSettings curveSettingsFromMap(const QVariantMap& map);

class CurvesView : public QWidget {
    Q_OBJECT

public:
    explicit CurvesView(Workspace& workspace, QWidget* parent = nullptr);

    // The runs to plot (rows of the workspace's merged table).
    void setRuns(const std::vector<int>& rows);
    // Groups for band mode: a label per group and each run's group (-1: none).
    void setGrouping(const QStringList& labels, const QHash<int, int>& groupOfRow);
    void setMetrics(const QStringList& metrics);
    QStringList metrics() const { return chosen_; }
    void setSettings(const CurveSettings& s);
    const CurveSettings& settings() const { return settings_; }

    const std::vector<CurvePlot*>& plots() const { return plots_; }
    // True while series for the current request are still loading.
    bool isLoading() const { return loading_; }
    // Loads what the charts need synchronously and draws (headless snapshots).
    void loadNow();
    // Zoomed in: each shown run's min, max, mean, first, last over the x range (hidden otherwise).
    QTableWidget* rangeStatistics() const { return rangeStats_; }
    // Computes them now for the range in view (it follows a zoom by a moment).
    void updateRangeStatistics();

signals:
    void settingsChanged();
    void metricsChanged(const QStringList& metrics);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void rebuildMetricList();
    // Hides what the filter leaves out and the closed System section's metrics.
    void showMetricItems();
    // The data of the System section's header item in the metric list.
    static constexpr int kSystemHeaderRole = Qt::UserRole + 1;
    void request();
    void rebuildPlots();
    // The series to draw: the workspace's, else while loading the one shown before.
    std::shared_ptr<const PlotSeries> shownSeries(const SeriesKey& key);
    std::vector<struct SeriesKeyLite> keysFor(bool smoothed) const;
    void syncControls();
    void syncAxisChoices();
    // The x axis drawn: the one chosen, or step when no run has its metric.
    XAxis axisNow() const;
    // As many chart columns as the width holds, up to the setting's.
    int columnsNow() const;
    // Every shown run that has `metric` has one value of it: bars, not curves.
    bool oneValuePerRun(const QString& metric) const;

    Workspace& workspace_;
    std::vector<int> rows_;
    QStringList chosen_;
    bool userChoseMetrics_ = false;
    bool systemExpanded_ = false; // the metric list's System section is open
    QHash<QString, bool> outliersIgnored_;   // by metric, where the user chose
    QTableWidget* rangeStats_ = nullptr;
    QTimer rangeStatsTimer_;
    std::optional<std::pair<double, double>> zoom_;   // the x range in view when zoomed
    quint64 rangeStatsGeneration_ = 0;
    CurveSettings settings_;
    QStringList groupLabels_;
    QHash<int, int> groupOfRow_;
    QSet<QString> hidden_;   // run ids
    quint64 ticket_ = 0;
    bool loading_ = false;
    QHash<QString, std::shared_ptr<const PlotSeries>> lastShown_, shownNow_; // by SeriesKey::text()

    QLineEdit* metricFilter_;
    QListWidget* metricList_;
    QListWidget* legend_;
    QComboBox* axis_;
    QCheckBox* logY_;
    QComboBox* smoothing_;
    QDoubleSpinBox* smoothingParam_;
    QCheckBox* showRaw_;
    QComboBox* bands_;
    QLabel* status_;
    QScrollArea* scroll_;
    QWidget* grid_;
    QGridLayout* gridLayout_;
    std::vector<CurvePlot*> plots_;
    int columnsShown_ = 0;
    std::vector<ValueBars*> valueBars_; // beside each plot; shown instead for one-value metrics
};

} // namespace runlens::ui
