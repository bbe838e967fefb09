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
java_bin="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
if ! command -v "$java_bin" >/dev/null 2>&1 || ! "$java_bin" --list-modules 2>/dev/null | grep -q '^jdk.jshell@'; then
  echo "jshell.sh: a JDK with jshell not found (install a JDK 17 or newer, or set JAVA_HOME)" >&2
  exit 1
fi

# JDK's jshell tool, started by JShellMain so that values print whole (jshell's own modes cut them at 1,000
# characters) and a chart prints where it was saved as a page.
exec "$java_bin" -cp "$jar" dev.headroom.kernel.JShellMain --class-path "$jar" --startup DEFAULT \
  --startup "$here/startup.jsh" "-R-Xmx${HEADROOM_KERNEL_XMX:-2g}" "$@"
