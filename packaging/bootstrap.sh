#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sets up a Debian/Ubuntu machine for Runlens, builds it, and then either
# opens the app on a demo store made by the example training programs, or runs
# the whole test suite.
#
#   packaging/bootstrap.sh demo    # install what is missing, build, make the demo store, open it
#   packaging/bootstrap.sh test    # install what is missing, build, run ctest
#
# BUILD_DIR (default: build) and JOBS (default: 2) may be set in the environment.
set -euo pipefail

mode=${1:-}
case "$mode" in
  demo|test|packages) ;;
  *) echo "usage: $0 demo|test|packages" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
# ccache hits across checkouts in other folders (CI clones afresh).
export CCACHE_BASEDIR="$root"
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-2}

# What the build needs. packaging/dependencies.txt says which CMake lookup each
# one serves; tests/packaging checks that every lookup of the CMake tree has its
# package here (qt6-charts-dev, for one, needs libqt6opengl6-dev beside it and
# does not pull it in without recommends).
packages=(
  cmake ninja-build g++ pkg-config ccache git python3
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libqt6sql6-sqlite libqt6sql6-psql libgl-dev
  libgit2-dev libzip-dev libsqlite3-dev libssl-dev libpng-dev nlohmann-json3-dev libyaml-cpp-dev libcsv-dev libboost-math-dev
)
# The tests also fuzz the parsers (clang's libFuzzer), run the app under Xvfb, open
# reports the way their readers do (Chromium, poppler), build and check the .deb
# (dpkg-dev, desktop-file-utils, appstream, groff, bash-completion, shared-mime-info)
# and pip-install the Python package into a venv offline. The MLflow drop-in is
# tested against the frameworks MLflow projects use (tests/python/test_mlflow_compat.py),
# runlens.plot against matplotlib (tests/python/test_reading.py). The team store is
# tested on a real PostgreSQL server the tests start themselves (postgresql).
test_packages=(
  clang libclang-rt-14-dev xvfb xauth
  chromium poppler-utils fonts-dejavu-core
  dpkg-dev file desktop-file-utils appstream groff-base bash-completion shared-mime-info
  python3-venv python3-setuptools-whl python3-wheel-whl
  python3-numpy python3-pandas python3-matplotlib python3-sklearn python3-torch python3-xgboost
  postgresql
)
[ "$mode" = demo ] || packages+=("${test_packages[@]}")
if [ "$mode" = packages ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The demo needs the app and the examples only; the test command builds
# everything (the tests, the benchmarks) in the same folder.
with_tests=OFF
[ "$mode" = test ] && with_tests=ON
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBUILD_TESTING=$with_tests -DRUNLENS_BUILD_BENCH=$with_tests
cmake --build "$build" -j "$jobs"

if [ "$mode" = test ]; then
  # The parsers of other tools' files under libFuzzer + ASan, briefly; then
  # the test suite, whose summary closes the output.
  fuzz="${build}-fuzz"
  CC=clang CXX=clang++ cmake -S "$root" -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRUNLENS_FUZZ=ON \
    -DBUILD_TESTING=OFF -DRUNLENS_BUILD_BENCH=OFF > /dev/null
  fuzz_targets=(fuzz_tensorboard_events fuzz_wandb_records fuzz_mlflow_store fuzz_run_query fuzz_chunk_codec fuzz_comet_archive)
  cmake --build "$fuzz" -j "$jobs" --target "${fuzz_targets[@]}"
  for target in "${fuzz_targets[@]}"; do
    echo "bootstrap: fuzzing $target for ${FUZZ_SECONDS:-20} s"
    "$fuzz/bin/$target" -max_total_time="${FUZZ_SECONDS:-20}" -max_len=4096 -print_final_stats=0 2>&1 | tail -n 2
  done
  cd "$build"
  exec ctest --output-on-failure -j "$jobs"
fi

# A demo store made by real training: a 36-run C++ sweep (some runs diverge
# and are recorded as failed) and an MLflow-style Python script.
demo="$build/demo/runlens-demo.db"
mkdir -p "$(dirname "$demo")"
rm -rf "$demo" "$demo-wal" "$demo-shm" "$demo.artifacts"
(cd "$root" && "$build/bin/train_mlp" --store "$demo" --sweep)
(cd "$root" && PYTHONPATH="$build/python" python3 examples/python/train_logreg.py --store "$demo" --sweep)
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
  echo "bootstrap: no display; showing the runs in the terminal" >&2
  exec "$build/bin/runlens" runs "$demo"
fi
exec "$build/bin/runlens" "$demo"
