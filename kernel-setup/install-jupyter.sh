#!/usr/bin/env bash
# Installs Jupyter (nbconvert, jupyter_client, a notebook UI) when it is missing. Idempotent: does
# nothing when `jupyter nbconvert --version` and `jupyter kernelspec list` already work.
#   kernel-setup/install-jupyter.sh [--with-chromium]
# As root with apt-get (Debian/Ubuntu): apt packages (nbconvert 6.5, nbclient 0.7, jupyter_client 7.4,
# classic Notebook 6), offline from the distribution. Otherwise: python3 -m pip install --user.
# --with-chromium also installs headless Chromium (apt only), which the kernel's notebook tests use.
set -euo pipefail

with_chromium=no
for arg in "$@"; do
  case "$arg" in
    --with-chromium) with_chromium=yes ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "install-jupyter: unknown argument '$arg' (see --help)" >&2; exit 1 ;;
  esac
done

have_jupyter() {
  jupyter nbconvert --version >/dev/null 2>&1 && jupyter kernelspec list >/dev/null 2>&1
}
have_chromium() {
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}
can_apt() {
  command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]
}

apt_packages=()
if have_jupyter; then
  echo "install-jupyter: Jupyter is already installed (nbconvert $(jupyter nbconvert --version 2>/dev/null | tail -n1))"
elif can_apt; then
  apt_packages+=(jupyter-nbconvert jupyter-client jupyter-notebook python3-ipykernel)
fi
if [[ "$with_chromium" == yes ]] && ! have_chromium; then
  if can_apt; then
    apt_packages+=(chromium)
  else
    echo "install-jupyter: cannot install Chromium without root and apt-get; install it with your package manager" >&2
    exit 1
  fi
fi

if [[ ${#apt_packages[@]} -gt 0 ]]; then
  echo "install-jupyter: apt-get install ${apt_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${apt_packages[@]}"
elif ! have_jupyter; then
  echo "install-jupyter: no root apt-get here; installing with: python3 -m pip install --user jupyterlab nbconvert"
  if ! python3 -m pip install --user jupyterlab nbconvert; then
    echo "install-jupyter: pip could not install into the user site (an externally managed Python?)." >&2
    echo "  Use a virtual environment:  python3 -m venv ~/.venvs/jupyter && ~/.venvs/jupyter/bin/pip install jupyterlab nbconvert" >&2
    echo "  then put ~/.venvs/jupyter/bin on PATH and run this script again." >&2
    exit 1
  fi
  case ":$PATH:" in
    *":$HOME/.local/bin:"*) ;;
    *) export PATH="$HOME/.local/bin:$PATH"; echo "install-jupyter: add ~/.local/bin to PATH to use jupyter" ;;
  esac
fi

if ! have_jupyter; then
  echo "install-jupyter: jupyter nbconvert / jupyter kernelspec still do not work after installing" >&2
  exit 1
fi
echo "install-jupyter: ready: nbconvert $(jupyter nbconvert --version 2>/dev/null | tail -n1)"
