#!/usr/bin/env bash
# Starts jshell with the Headroom kernel jar (DSL, core, Tablesaw, jsplot) on the class path and the
# same startup imports as the Jupyter kernel (kernel-setup/startup.jsh).
#   kernel-setup/jshell.sh [jshell options and files...]
# Environment: HEADROOM_KERNEL_XMX (default 2g) sets -Xmx of the JVM that runs the snippets;
# JAVA_HOME picks the JDK.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$root/kernel/target/headroom-kernel.jar"

if [[ ! -f "$jar" ]]; then
  echo "jshell.sh: $jar not found; build it first:  mvn -pl kernel -am package -DskipTests" >&2
  exit 1
fi
jshell_bin="jshell"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jshell" ]]; then
  jshell_bin="$JAVA_HOME/bin/jshell"
fi
if ! command -v "$jshell_bin" >/dev/null 2>&1; then
  echo "jshell.sh: jshell not found (install a JDK 17 or newer, or set JAVA_HOME)" >&2
  exit 1
fi

exec "$jshell_bin" --class-path "$jar" --startup DEFAULT --startup "$here/startup.jsh" \
  "-R-Xmx${HEADROOM_KERNEL_XMX:-2g}" "$@"
