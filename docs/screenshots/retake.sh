#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Retakes the README's screenshots from the demo store, headless:
#   docs/screenshots/retake.sh [BUILD_DIR]
# `packaging/bootstrap.sh demo` makes the build and the demo store; the HTML
# and PDF pages need chromium and poppler-utils (`bootstrap.sh test`).
set -eu
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
STORE=$BUILD/demo/runlens-demo.db
OUT=docs/screenshots
FIXTURES=../shared/fixtures
snap() { "$BUILD/bin/runlens" snapshot "$@" 2>/dev/null; }
MLP="experiment = 'breast-cancer-mlp'"

snap "$STORE" --view window --size 1500x950 -o $OUT/window.png
snap "$STORE" --view table --size 1400x700 -o $OUT/table.png
snap "$STORE" --view curves --query "params.hidden = 32" --metrics val/auc,val/loss --size 1400x900 -o $OUT/curves.png
snap "$STORE" --view curves --query "$MLP" --group-by params.batch_size --bands sd --x epoch \
    --metrics val/loss,train/epoch_loss --size 1400x850 -o $OUT/curves-groups.png
snap "$STORE" --view artifacts --runs mlp-h4-b16-lr0.1-s1,mlp-h32-b16-lr0.1-s1,mlp-h32-b64-lr0.1-s1 \
    --artifact val/confusion --size 1400x900 -o $OUT/artifacts-confusion.png
snap "$STORE" --view artifacts --runs mlp-h32-b16-lr0.01-s1,mlp-h32-b64-lr0.01-s1,mlp-h32-b16-lr0.1-s1,mlp-h32-b64-lr0.1-s1 \
    --artifact weights/layer1 --size 1400x900 -o $OUT/artifacts-weights.png
snap "$STORE" --view seeds --query "$MLP" --size 1300x600 -o $OUT/seeds.png
snap "$STORE" --view parcoords --query "$MLP" --size 1300x600 -o $OUT/parcoords.png
snap "$STORE" --view scatter --query "$MLP" --metrics val/auc --size 1000x600 -o $OUT/scatter.png
snap "$STORE" --view importance --query "$MLP" --metrics val/auc --size 1000x240 -o $OUT/importance.png
snap "$STORE" --view distributions --query "$MLP" --metrics val/auc --params lr --size 1300x650 -o $OUT/distributions.png
snap "$STORE" --view distributions --query "$MLP" --metrics val/auc --params lr,hidden --size 1100x500 \
    -o $OUT/distributions-heat.png
RUNS=$("$BUILD/bin/runlens" runs "$STORE" --query "$MLP and params.hidden = 32 limit 3" --format csv 2>/dev/null |
    tail -n +2 | cut -d, -f1 | paste -sd, -)
snap "$STORE" --view diff --runs "$RUNS" --size 1400x700 -o $OUT/diff.png
snap "$STORE" --view codediff --runs "$RUNS" --size 1300x700 -o $OUT/codediff.png
snap "$STORE" --view report --runs "$RUNS" --size 1400x900 -o $OUT/report-dialog.png
if [ -d "$FIXTURES" ]; then
    snap "$STORE" "$FIXTURES/mlflow-filestore-v1" "$FIXTURES/tensorboard/strict" "$FIXTURES/mlflow-sqlite/mlflow.db" \
        --view window --size 1600x1000 -o $OUT/several-stores.png
fi

# The report as its readers see it: Chromium for the HTML, poppler for the PDF.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Candidates: a copy of the demo store with a baseline, a rule and two promoted runs.
cp "$STORE" "$TMP/candidates.db"
[ -f "$STORE-wal" ] && cp "$STORE-wal" "$TMP/candidates.db-wal"
R="$BUILD/bin/runlens"
"$R" baseline "$TMP/candidates.db" mlp-h32-b64-lr0.01-s1 >/dev/null
"$R" rule "$TMP/candidates.db" breast-cancer-mlp \
    "seed_mean.val/auc > baseline.seed_mean.val/auc and metrics.val/acc >= baseline.val/acc and seeds >= 3" >/dev/null
"$R" promote "$TMP/candidates.db" mlp-h4-b16-lr0.01-s3 mlp-h4-b16-lr0.01-s2 \
    --why "h4 at batch 16 matches h32 on AUC with an eighth of the parameters; check calibration next" >/dev/null
snap "$TMP/candidates.db" --view candidates --sort -candidate --runs mlp-h4-b16-lr0.01-s3 --size 1400x900 \
    -o $OUT/candidates.png
# Models: the candidates store's runs registered as versions, the champion moved once, stages set.
"$R" register "$TMP/candidates.db" mlp-h32-b64-lr0.01-s1 breast-cancer-mlp --alias champion >/dev/null
"$R" register "$TMP/candidates.db" mlp-h4-b16-lr0.01-s3 breast-cancer-mlp --alias challenger \
    --description "h4 at batch 16: an eighth of the parameters" >/dev/null
"$R" register "$TMP/candidates.db" mlp-h4-b16-lr0.01-s2 breast-cancer-mlp >/dev/null
"$R" alias "$TMP/candidates.db" breast-cancer-mlp champion 2 >/dev/null
"$R" register "$TMP/candidates.db" logreg-lr0.1-l20.01-s1 breast-cancer-logreg-baseline-for-the-quarterly-review >/dev/null
snap "$TMP/candidates.db" --view models --runs mlp-h4-b16-lr0.01-s3 --size 1400x900 -o $OUT/models.png
# Nested runs: an MLflow store of tuning studies and a two-level sweep, best first, two opened by selection.
python3 docs/screenshots/nested_store.py "$TMP/mlruns" >/dev/null
snap "$TMP/mlruns" --view table --sort -metrics.val/acc --runs "trial-013-lr1.4e-03-wd5e-02-bs512,cv/fold-1/seed-0" \
    --size 1400x520 -o $OUT/nested-runs.png
# System metrics: three short trainings sampled every 0.25 s, loss and memory against time.
PYTHONPATH=$BUILD/python python3 docs/screenshots/system_store.py "$TMP/system.db" >/dev/null
snap "$TMP/system.db" --view window --x elapsed \
    --metrics "train/loss,system/process.rss_mb,system/process.cpu_percent,system/memory.available_mb" \
    --size 1400x900 -o $OUT/system-metrics.png
"$BUILD/bin/runlens" report "$STORE" --query "$MLP and params.lr = 0.01" --title "Width and batch at lr 0.01" \
    --notes "Demo sweep: which width and batch size, seeds pooled?" -o "$TMP/report.html" 2>/dev/null
"$BUILD/bin/runlens" report "$STORE" --query "$MLP and params.lr = 0.01" --title "Width and batch at lr 0.01" \
    -o "$TMP/report.pdf" 2>/dev/null
if command -v chromium >/dev/null; then
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,4200 \
        --screenshot="$OUT/report-html.png" "file://$(realpath "$TMP/report.html")" 2>/dev/null
fi
if command -v pdftoppm >/dev/null; then
    pdftoppm -r 90 -png -f 1 -l 1 -singlefile "$TMP/report.pdf" "$OUT/report-pdf"
fi
echo "screenshots in $OUT"

# A derived metric: a copy of the demo store keeping val/loss - train/epoch_loss, drawn per step.
DERIVED=$(mktemp -d)
cp "$STORE" "$DERIVED/demo.db"
"$BUILD/bin/runlens" derive "$DERIVED/demo.db" overfit_gap "metrics.val/loss - metrics.train/epoch_loss" > /dev/null
snap "$DERIVED/demo.db" --view curves --query "$MLP and params.hidden = 32" --metrics overfit_gap,val/loss \
    --size 1400x800 -o $OUT/derived-metric.png
rm -rf "$DERIVED"

# The watch: the window test that makes a run fail under an open window
# leaves its picture (test_main_window, REPORT_ARTIFACTS).
WATCH=$(mktemp -d)
QT_QPA_PLATFORM=offscreen REPORT_ARTIFACTS="$WATCH" "$BUILD/bin/test_main_window" \
    aWatchedRunThatFailsIsNewsOnceWithAClickToIt > /dev/null
cp "$WATCH/watch-banner.png" $OUT/watch.png
rm -rf "$WATCH"
