#!/usr/bin/env bash
# Installs what faultline needs from Debian 12's apt repositories, builds it, then either runs the
# bundled reference outage (`demo`) or every test (`test`). Run as root on a fresh machine.
#   bash tools/bootstrap.sh demo
#   bash tools/bootstrap.sh test
#   bash tools/bootstrap.sh sanitize [LABELS]   # every test under ASan + UBSan, in build-asan/
#                                               # (LABELS: only those ctest labels, e.g. 'unit|verification')
#   bash tools/bootstrap.sh fuzz [SECONDS]      # the scenario loader under libFuzzer (clang), in build-fuzz/
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-demo}"
case "$what" in
  sanitize) BUILD="${FAULTLINE_BUILD_DIR:-build-asan}" ;;
  fuzz) BUILD="${FAULTLINE_BUILD_DIR:-build-fuzz}" ;;
  *) BUILD="${FAULTLINE_BUILD_DIR:-build}" ;;
esac
[[ "$BUILD" = /* ]] || BUILD="$PWD/$BUILD"  # absolute from here on

packages=(
  build-essential cmake ninja-build pkg-config git
  libsimgrid-dev libboost-dev libboost-graph-dev libboost-random-dev
  libtomlplusplus-dev nlohmann-json3-dev libfmt-dev libcli11-dev catch2 pybind11-dev
  python3 python3-dev python3-pytest python3-numpy python3-pandas python3-matplotlib
  python3-nbclient python3-nbformat python3-ipykernel python3-distributed
  chromium python3-pil
)
[[ "$what" = fuzz ]] && packages+=(clang-14 libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ "$what" = fuzz ]]; then
  # Only the loader and its fuzz target; assertions stay live (no NDEBUG).
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DCMAKE_CXX_COMPILER=clang++-14 -DFAULTLINE_FUZZ=ON >/dev/null
elif [[ "$what" = sanitize ]]; then
  # Optimised as the product is, with debug information for readable reports; no benchmark.
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAULTLINE_SANITIZE=address,undefined \
    -DFAULTLINE_BENCH=OFF -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
else
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
fi
cmake --build "$BUILD" -j"$(nproc)"

run_python_tests() {
  if [[ -d tests/python ]] && ls tests/python/test_*.py >/dev/null 2>&1; then
    PYTHONPATH="$BUILD/bindings/python${PYTHONPATH:+:$PYTHONPATH}" FAULTLINE_BUILD_DIR="$BUILD" \
      /usr/bin/python3 -m pytest -q tests/python
  fi
}

case "$what" in
  demo)
    "$BUILD/faultline" demo
    ;;
  test)
    (cd "$BUILD" && ctest --output-on-failure -j"$(nproc)")
    run_python_tests
    ;;
  sanitize)
    # Any report fails the process that made it. Leaks are not checked: SimGrid and CPython keep
    # their global state to the end of the process on purpose.
    export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    export FAULTLINE_SANITIZED=1  # the one Python test the sanitizer runtime cannot run skips itself
    labels="${2:-}"
    (cd "$BUILD" && ctest --output-on-failure -j"$(nproc)" ${labels:+-L "$labels"})
    if [[ -z "$labels" ]]; then
      # The interpreter is not instrumented: the sanitizers' runtime is loaded first, for the module.
      LD_PRELOAD="$(g++ -print-file-name=libasan.so) $(g++ -print-file-name=libubsan.so)" run_python_tests
    fi
    ;;
  fuzz)
    exec bash fuzz/run.sh "$BUILD" "${2:-600}"
    ;;
  build) ;;
  *) echo "usage: bootstrap.sh demo|test|build|sanitize [LABELS]|fuzz [SECONDS]" >&2; exit 1 ;;
esac
