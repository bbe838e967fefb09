#!/usr/bin/env bash
# Installs the Jupyter kernelspec "headroom" (display name "Java (Headroom)") for the built kernel jar.
#
#   kernel-setup/install-kernel.sh                      user-level install (jupyter kernelspec install --user)
#   kernel-setup/install-kernel.sh --jupyter-path DIR   writes DIR/kernels/headroom/kernel.json (a JUPYTER_PATH entry)
#   kernel-setup/install-kernel.sh --prefix DIR         writes DIR/share/jupyter/kernels/headroom/kernel.json
#   kernel-setup/install-kernel.sh --point-existing ijava|jjava
#                                                       prints the environment lines that make an existing
#                                                       IJava/JJava kernel load the Headroom jar and startup.jsh
#   kernel-setup/install-kernel.sh --cds-only           only (re)makes the class-data archive (see below)
# Options: --jar FILE (default kernel/target/headroom-kernel.jar), --startup FILE (default
# kernel-setup/startup.jsh), --name NAME (default headroom).
# Environment: HEADROOM_KERNEL_XMX (default 2g) sets the kernel's -Xmx; JAVA_HOME picks the java binary.
# Class-data archive: headroom-kernel.jsa beside the jar, made by a training run (a first table and chart)
# whenever the jar is newer; the kernel starts with it (-XX:SharedArchiveFile), which saves about 0.7 s
# before the first table. Without it (the JVM cannot make one), the kernel starts without it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

jar="$root/kernel/target/headroom-kernel.jar"
startup="$here/startup.jsh"
name="headroom"
mode="user"
target=""
existing=""
cds_only=no

die() { echo "install-kernel: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jupyter-path) [[ $# -ge 2 ]] || die "--jupyter-path needs a directory"; mode="jupyter-path"; target="$2"; shift 2 ;;
    --prefix) [[ $# -ge 2 ]] || die "--prefix needs a directory"; mode="prefix"; target="$2"; shift 2 ;;
    --user) mode="user"; shift ;;
    --jar) [[ $# -ge 2 ]] || die "--jar needs a file"; jar="$2"; shift 2 ;;
    --startup) [[ $# -ge 2 ]] || die "--startup needs a file"; startup="$2"; shift 2 ;;
    --name) [[ $# -ge 2 ]] || die "--name needs a value"; name="$2"; shift 2 ;;
    --point-existing) [[ $# -ge 2 ]] || die "--point-existing needs ijava or jjava"; existing="$2"; shift 2 ;;
    --cds-only) cds_only=yes; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[[ -f "$jar" ]] || die "kernel jar not found: $jar
build it first:  mvn -pl kernel -am package -DskipTests"
[[ -f "$startup" ]] || die "startup script not found: $startup"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
startup="$(cd "$(dirname "$startup")" && pwd)/$(basename "$startup")"

if [[ -n "$existing" ]]; then
  case "$existing" in
    ijava) prefix="IJAVA" ;;
    jjava) prefix="JJAVA" ;;
    *) die "--point-existing takes ijava or jjava, not '$existing'" ;;
  esac
  echo "# Add these to the environment of the Jupyter server (or to the \"env\" of the $existing kernel.json):"
  echo "export ${prefix}_CLASSPATH=\"$jar\""
  echo "export ${prefix}_STARTUP_SCRIPTS_PATH=\"$startup\""
  exit 0
fi

java_bin="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi
command -v "$java_bin" >/dev/null 2>&1 || die "java not found (install a JDK 17+ or set JAVA_HOME)"
java_feature="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)"
[[ "${java_feature%%.*}" =~ ^[0-9]+$ && "${java_feature%%.*}" -ge 17 ]] || die "the kernel needs Java 17 or newer; $java_bin is '${java_feature:-unknown}'"

json_string() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

xmx="${HEADROOM_KERNEL_XMX:-2g}"
[[ "$xmx" =~ ^[0-9]+[kKmMgG]?$ ]] || die "HEADROOM_KERNEL_XMX must look like 2g or 4096m, not '$xmx'"

# The class-data archive: (re)made when missing or older than the jar or the java binary.
archive="${jar%.jar}.jsa"
if [[ ! -f "$archive" || "$jar" -nt "$archive" || "$(command -v "$java_bin" 2>/dev/null || echo "$java_bin")" -nt "$archive" ]]; then
  rm -f "$archive"
  if "$java_bin" -XX:ArchiveClassesAtExit="$archive.tmp" -Xmx"$xmx" -XX:+UseSerialGC -cp "$jar" \
       dev.headroom.kernel.CdsTraining "$startup" >/dev/null 2>&1 && [[ -s "$archive.tmp" ]]; then
    mv -f "$archive.tmp" "$archive"
  else
    rm -f "$archive.tmp"
    echo "install-kernel: no class-data archive (this JVM could not make one); the kernel starts without it" >&2
  fi
fi
cds_args=""
if [[ -f "$archive" ]]; then
  # -Xlog:cds*=off: a jar rebuilt since leaves the archive unusable; the JVM then starts without it, quietly.
  cds_args="$(json_string "-XX:SharedArchiveFile=$archive"),
    \"-Xlog:cds*=off\","
fi
[[ "$cds_only" == yes ]] && exit 0


spec_dir="$(mktemp -d)"
trap 'rm -rf "$spec_dir"' EXIT
mkdir -p "$spec_dir/$name"
cat > "$spec_dir/$name/kernel.json" <<JSON
{
  "argv": [
    $(json_string "$java_bin"),
    $cds_args
    "-Xmx$xmx",
    "-XX:+UseSerialGC",
    "-jar",
    $(json_string "$jar"),
    "--startup",
    $(json_string "$startup"),
    "{connection_file}"
  ],
  "display_name": "Java (Headroom)",
  "language": "java",
  "interrupt_mode": "message",
  "metadata": {"debugger": false}
}
JSON

case "$mode" in
  user)
    command -v jupyter >/dev/null 2>&1 || die "jupyter not found: run kernel-setup/install-jupyter.sh first (or use --jupyter-path DIR)"
    if ! log="$(jupyter kernelspec install --user --replace --name "$name" "$spec_dir/$name" 2>&1)"; then
      die "jupyter kernelspec install failed: $log"
    fi
    echo "installed kernelspec '$name' for this user ($(jupyter kernelspec list 2>/dev/null | awk -v n="$name" '$1==n {print $2}'))"
    ;;
  jupyter-path|prefix)
    if [[ "$mode" == "prefix" ]]; then kernels="$target/share/jupyter/kernels"; else kernels="$target/kernels"; fi
    mkdir -p "$kernels/$name"
    cp "$spec_dir/$name/kernel.json" "$kernels/$name/kernel.json"
    echo "installed kernelspec '$name' in $kernels/$name"
    ;;
esac
echo "kernel: $jar (-Xmx$xmx$([[ -f "$archive" ]] && echo ", class-data archive"), startup: $startup"
