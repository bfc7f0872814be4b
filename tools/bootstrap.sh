#!/usr/bin/env bash
# Installs what faultline needs from Debian 12's apt repositories, builds it, then either runs the
# bundled reference outage (`demo`) or every test (`test`). Run as root on a fresh machine.
#   bash tools/bootstrap.sh demo
#   bash tools/bootstrap.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-demo}"
BUILD="${FAULTLINE_BUILD_DIR:-build}"
[[ "$BUILD" = /* ]] || BUILD="$PWD/$BUILD"  # absolute from here on

packages=(
  build-essential cmake ninja-build pkg-config git
  libsimgrid-dev libboost-dev libboost-graph-dev libboost-random-dev
  libtomlplusplus-dev nlohmann-json3-dev libfmt-dev libcli11-dev catch2 pybind11-dev
  python3 python3-dev python3-pytest python3-numpy python3-pandas python3-matplotlib
  python3-nbclient python3-nbformat python3-ipykernel python3-distributed
)
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

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

case "$what" in
  demo)
    "$BUILD/faultline" demo
    ;;
  test)
    (cd "$BUILD" && ctest --output-on-failure -j"$(nproc)")
    if [[ -d tests/python ]] && ls tests/python/test_*.py >/dev/null 2>&1; then
      PYTHONPATH="$BUILD/bindings/python${PYTHONPATH:+:$PYTHONPATH}" FAULTLINE_BUILD_DIR="$BUILD" \
        /usr/bin/python3 -m pytest -q tests/python
    fi
    ;;
  build) ;;
  *) echo "usage: bootstrap.sh demo|test|build" >&2; exit 1 ;;
esac
