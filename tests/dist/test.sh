#!/usr/bin/env bash
# `make test-dist`: tests every artifact `make dist` wrote to dist/ from a fresh temporary
# directory that holds only that artifact (and the files a user would bring: an example program,
# the emulator binary to run it against). Nothing runs inside the repository: the working
# directory, PATH, HOME and the library/include/pkg-config/CMake paths point only into the
# temporary directory and the system, so nothing can reach the source tree or its target/.
#
#   wheel     file list (py.typed, stubs, licenses, changelog), pip install into a fresh venv with
#             no cargo on PATH, an example against the emulator binary, __version__
#   sdist     contents, pip install (builds with Rust: cargo on PATH, its own target dir), the
#             same example
#   C         the tarball unpacked, then moved (relocatable): examples/c and examples/cpp with
#             pkg-config (timadmin-static, timadmin) and CMake find_package(timadmin), static and
#             dynamic, run; the soname; the header's TIMADMIN_VERSION_* against timadmin_version()
#   Kotlin    jar contents (native library at linux-x86-64/, ProGuard rules), the POM's
#             dependencies; examples/kotlin compiled and run with only the jar and what its POM
#             declares, no jna.library.path; timadminVersion()
#   crates    the .crate files carry the metadata, README, licenses and changelog
#   versions  CLI --version, Python __version__, C timadmin_version() and macros, Kotlin
#             timadminVersion() (and the generated Swift declaration) all equal the workspace's
#   mobile    the Android and Apple scripts, run without their tools, stop with a clear
#             "SKIPPED ... missing" message (the builds themselves need an NDK / Xcode)
#
# Prints `dist-tests: N passed, M failed, K skipped`. Environment:
#   DIST_DIR                   where the artifacts are (default: dist/)
#   TIMADMIN_DIST_CHECKS       the sections to run (default: all of
#                              "wheel sdist c kotlin crates mobile"); versions are checked
#                              when every section ran
#   TIMADMIN_DIST_SDIST_TARGET cargo target dir of the sdist build (default: a fresh one in the
#                              temporary directory, removed at the end; a persistent directory
#                              outside the tree makes a second run recompile only timadmin)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
. "$ROOT/tests/need.sh"
need pkg-config pkg-config
need cmake cmake
need gcc gcc
need g++ g++
need readelf binutils
need java default-jdk-headless
need mvn maven
need python3 python3

CARGO="${CARGO:-cargo}"
DIST="$(cd "${DIST_DIR:-$ROOT/dist}" && pwd)"
VERSION="$("$CARGO" metadata --format-version 1 --no-deps | python3 -c '
import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "timadmin"))')"
TARGET_DIR="$("$CARGO" metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
SOVERSION="$(echo "$VERSION" | awk -F. '{ print ($1 == 0) ? $1 "." $2 : $1 }')"
REAL_HOME="$HOME"

WORK="$(mktemp -d /tmp/timadmin-dist-test.XXXXXX)"
case "$WORK" in "$ROOT"/*) echo "the work dir must be outside the tree" >&2; exit 1 ;; esac
EMU_PIDS=()
cleanup() {
    for pid in "${EMU_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/bin" "$WORK/home" "$WORK/tmp"

PASSED=0 FAILED=0 SKIPPED=0
FAILED_NAMES=()
pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); FAILED_NAMES+=("$1"); echo "FAIL $1${2:+: $2}"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIPPED $1${2:+: $2}"; }
step() { printf '\n== %s\n' "$*"; }
# check NAME COMMAND...: PASS when the command succeeds; its output is shown indented.
check() {
    local name="$1"; shift
    local code=0
    "$@" >"$WORK/check.log" 2>&1 || code=$?
    sed 's/^/    /' "$WORK/check.log"
    if [ "$code" = 0 ]; then pass "$name"; else fail "$name"; fi
}

# A PATH of system directories only: no ~/.cargo/bin, no venv, nothing of the repository.
SYS_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Variables a user's network needs (proxies, a PyPI mirror) pass through; nothing else does.
PASS_ENV=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL PIP_EXTRA_INDEX_URL; do
    [ -n "${!v:-}" ] && PASS_ENV+=("$v=${!v}")
done
# clean DIR COMMAND...: runs COMMAND in DIR with a scrubbed environment.
clean() {
    local dir="$1"; shift
    (cd "$dir" && env -i HOME="$WORK/home" PATH="$SYS_PATH" TMPDIR="$WORK/tmp" LANG=C.UTF-8 \
        PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_CACHE_DIR="$REAL_HOME/.cache/pip" "${PASS_ENV[@]}" "$@")
}

CHECKS="${TIMADMIN_DIST_CHECKS:-wheel sdist c kotlin crates mobile}"
want() { [[ " $CHECKS " == *" $1 "* ]]; }

step "artifacts in $DIST (version $VERSION)"
WHEEL="$(ls "$DIST"/timadmin-"$VERSION"-cp39-abi3-manylinux_*_x86_64.whl 2>/dev/null | head -n 1 || true)"
SDIST="$DIST/timadmin-$VERSION.tar.gz"
CTAR="$DIST/timadmin-c-$VERSION-x86_64-linux-gnu.tar.gz"
JAR="$DIST/timadmin-kotlin-$VERSION.jar"
SOURCES_JAR="$DIST/timadmin-kotlin-$VERSION-sources.jar"
POM="$DIST/timadmin-kotlin-$VERSION.pom"
CRATES=("$DIST/timadmin-$VERSION.crate" "$DIST/timadmin-emulator-$VERSION.crate")
WANTED=("$DIST/SHA256SUMS")
want wheel && WANTED+=("$WHEEL")
want sdist && WANTED+=("$SDIST")
want c && WANTED+=("$CTAR")
want kotlin && WANTED+=("$JAR" "$SOURCES_JAR" "$POM")
want crates && WANTED+=("${CRATES[@]}")
for f in "${WANTED[@]}"; do
    if [ -n "$f" ] && [ -f "$f" ]; then echo "$(du -k "$f" | cut -f1) KiB  $(basename "$f")"; else
        echo "missing: ${f:-the wheel timadmin-$VERSION-cp39-abi3-manylinux_*_x86_64.whl} (run make dist)" >&2
        echo "dist-tests: 0 passed, 1 failed, 0 skipped"; exit 1
    fi
done
mkdir -p "$WORK/sums" && cp "$DIST"/* "$WORK/sums/"
check sha256sums clean "$WORK/sums" sha256sum --strict -c SHA256SUMS

step "harness: the emulator and CLI binaries (debug), copied out of the tree"
"$CARGO" build -q -p timadmin-emulator -p timadmin-cli
cp "$TARGET_DIR/debug/timadmin-emulator" "$TARGET_DIR/debug/timadmin" "$WORK/bin/"
python3 "$ROOT/bindings-c/tests/make_fixture.py" "$ROOT/emulator/fixtures/demo.json" "$WORK/fixture.json"
# emulator: starts a fresh emulator; sets EMU_ENV (the TIM_* variables of the examples).
emulator() {
    local out="$WORK/emu.$RANDOM.out"
    "$WORK/bin/timadmin-emulator" --host 127.0.0.1 --port 0 --no-rate-limit --seed "$WORK/fixture.json" \
        >"$out" 2>"$out.err" &
    EMU_PIDS+=($!)
    for _ in $(seq 1 200); do [ -s "$out" ] && break; sleep 0.05; done
    local ready
    ready="$(head -n 1 "$out")"
    [ -n "$ready" ] || { cat "$out.err" >&2; return 1; }
    mapfile -t EMU_ENV < <(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["base_url"].startswith("http://127.0.0.1:"), r["base_url"]
print("TIM_SDKAPPID=%s" % r["sdkappid"]); print("TIM_SECRET_KEY=%s" % r["key"])
print("TIM_IDENTIFIER=%s" % r["identifier"]); print("TIM_BASE_URL=%s" % r["base_url"])' "$ready")
}
# Version reports, checked together at the end.
declare -A VERSIONS=()
VERSIONS[cli]="$(clean "$WORK" "$WORK/bin/timadmin" --version | awk '{ print $2 }')"

# ---------------------------------------------------------------------------------------------
if want wheel; then
step "Python wheel: $(basename "$WHEEL")"
W="$WORK/wheel" && mkdir -p "$W/app" && cp "$WHEEL" "$W/"
WHL="$W/$(basename "$WHEEL")"
wheel_files() {
    python3 - "$WHL" "$VERSION" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
v = sys.argv[2]
need = ["timadmin/__init__.py", "timadmin/py.typed", "timadmin/_timadmin.pyi", "timadmin/CHANGELOG.md",
        f"timadmin-{v}.dist-info/METADATA"]
missing = [n for n in need if n not in names]
if not any(n.startswith("timadmin/_timadmin") and n.endswith(".abi3.so") for n in names):
    missing.append("timadmin/_timadmin.abi3.so")
for lic in ("LICENSE-MIT", "LICENSE-APACHE"):
    if not any(n.startswith(f"timadmin-{v}.dist-info/") and n.endswith("/" + lic) for n in names):
        missing.append(f"timadmin-{v}.dist-info/licenses/{lic}")
print("\n".join(sorted(names)))
if missing:
    sys.exit("missing from the wheel: " + ", ".join(missing))
PY
}
check wheel-file-list wheel_files
check wheel-venv clean "$W" python3 -m venv venv
# The wheel is installed where no Rust toolchain can be found: a build would fail.
if clean "$W" sh -c 'command -v cargo || command -v rustc'; then
    fail wheel-no-cargo "cargo is on the system PATH; the wheel check needs a PATH without it"
else
    pass wheel-no-cargo-on-path
fi
check wheel-pip-install clean "$W" venv/bin/pip install --no-index --no-deps "$WHL"
cp "$ROOT"/examples/python/*.py "$W/app/"
run_python_example() { # DIR: the example against a fresh emulator, from the app dir
    local dir="$1"
    emulator || return 1
    clean "$dir/app" env "${EMU_ENV[@]}" "$dir/venv/bin/python" get_group_muted_account.py >"$dir/example.log" 2>&1 \
        && clean "$dir/app" env "${EMU_ENV[@]}" "$dir/venv/bin/python" members.py >>"$dir/example.log" 2>&1 \
        || { cat "$dir/example.log"; return 1; }
    cat "$dir/example.log"
    grep -q '^@TGS#2DEMOPUB: [0-9]* muted' "$dir/example.log"
}
check wheel-example-against-emulator run_python_example "$W"
wheel_module_path() {
    local where
    where="$(clean "$W/app" "$W/venv/bin/python" -c 'import timadmin._timadmin as m; print(m.__file__)' 2>&1)" || { echo "$where"; return 1; }
    echo "$where"
    case "$where" in "$W/venv/"*) ;; *) return 1 ;; esac
}
check wheel-module-from-the-venv wheel_module_path
VERSIONS[python-wheel]="$(clean "$W/app" "$W/venv/bin/python" -c 'import timadmin; print(timadmin.__version__)' || echo '?')"

fi
# ---------------------------------------------------------------------------------------------
if want sdist; then
step "Python sdist: $(basename "$SDIST") (built by pip with maturin and cargo)"
S="$WORK/sdist" && mkdir -p "$S/app" && cp "$SDIST" "$S/"
sdist_files() {
    tar tzf "$S/$(basename "$SDIST")" | tee "$S/list" | grep -v '/src/' | head -n 40
    local p="timadmin-$VERSION"
    for f in LICENSE-MIT LICENSE-APACHE pyproject.toml Cargo.lock python/timadmin/py.typed \
        python/timadmin/_timadmin.pyi python/timadmin/CHANGELOG.md core/Cargo.toml bindings-python/Cargo.toml; do
        grep -qx "$p/$f" "$S/list" || { echo "missing from the sdist: $f"; return 1; }
    done
}
check sdist-contents sdist_files
check sdist-venv clean "$S" python3 -m venv venv
SDIST_TARGET="${TIMADMIN_DIST_SDIST_TARGET:-$WORK/sdist-target}"
mkdir -p "$SDIST_TARGET"
case "$(cd "$SDIST_TARGET" && pwd)" in "$ROOT"/*) echo "the sdist's target dir must be outside the tree" >&2; exit 1 ;; esac
# The sdist build may use Rust: cargo on PATH, the user's cargo registry cache. The dev profile
# without debug info keeps this check to a few minutes and a few hundred MB (the wheel above is
# the release build).
sdist_install() {
    local start=$SECONDS
    clean "$S" env PATH="$REAL_HOME/.cargo/bin:$SYS_PATH" CARGO_HOME="${CARGO_HOME:-$REAL_HOME/.cargo}" \
        RUSTUP_HOME="${RUSTUP_HOME:-$REAL_HOME/.rustup}" CARGO_TARGET_DIR="$SDIST_TARGET" CARGO_PROFILE_DEV_DEBUG=0 \
        MATURIN_PEP517_ARGS="--profile dev" venv/bin/pip install --no-deps "$S/$(basename "$SDIST")"
    echo "sdist build and install: $((SECONDS - start)) s"
}
check sdist-pip-install sdist_install
cp "$ROOT"/examples/python/*.py "$S/app/"
check sdist-example-against-emulator run_python_example "$S"
VERSIONS[python-sdist]="$(clean "$S/app" "$S/venv/bin/python" -c 'import timadmin; print(timadmin.__version__)' || echo '?')"

fi
# ---------------------------------------------------------------------------------------------
if want c; then
step "C library: $(basename "$CTAR")"
C="$WORK/c" && mkdir -p "$C/unpack" "$C/src" && cp "$CTAR" "$C/"
tar -C "$C/unpack" -xzf "$C/$(basename "$CTAR")"
# Relocatable: it is used from another place than where it was unpacked.
mv "$C/unpack/timadmin-c-$VERSION-x86_64-linux-gnu" "$C/prefix"
P="$C/prefix"
c_contents() {
    for f in lib/libtimadmin.a "lib/libtimadmin.so.$SOVERSION" lib/libtimadmin.so include/timadmin.h \
        lib/pkgconfig/timadmin.pc lib/pkgconfig/timadmin-static.pc lib/cmake/timadmin/timadminConfig.cmake \
        lib/cmake/timadmin/timadminConfigVersion.cmake LICENSE-MIT LICENSE-APACHE CHANGELOG.md; do
        [ -e "$P/$f" ] || { echo "missing from the tarball: $f"; return 1; }
    done
    [ "$(readlink "$P/lib/libtimadmin.so")" = "libtimadmin.so.$SOVERSION" ] || { echo "libtimadmin.so is not a symlink to libtimadmin.so.$SOVERSION"; return 1; }
    readelf -d "$P/lib/libtimadmin.so.$SOVERSION" | grep SONAME
    readelf -d "$P/lib/libtimadmin.so.$SOVERSION" | grep -q "Library soname: \[libtimadmin.so.$SOVERSION\]"
}
check c-tarball-contents-and-soname c_contents
cp -R "$ROOT/examples/c" "$ROOT/examples/cpp" "$C/src/"
# What a C program sees of the version: the header's macros and the loaded library's string.
cat >"$C/src/version.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <timadmin.h>
int main(void) {
    char macros[64];
    snprintf(macros, sizeof macros, "%d.%d.%d", TIMADMIN_VERSION_MAJOR, TIMADMIN_VERSION_MINOR, TIMADMIN_VERSION_PATCH);
    const char *loaded = timadmin_version();
    if (strcmp(macros, TIMADMIN_VERSION_STRING) != 0 || strcmp(loaded, TIMADMIN_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s (macros %s), library %s\n", TIMADMIN_VERSION_STRING, macros, loaded);
        return 1;
    }
    printf("%s\n", loaded);
    return 0;
}
EOF
CENV=(PKG_CONFIG_PATH="$P/lib/pkgconfig")
WARN=(-Wall -Wextra -Werror -pedantic)
c_run() { # c_run BINARY [LD_LIBRARY_PATH]: run against a fresh emulator
    emulator || return 1
    clean "$C" env "${EMU_ENV[@]}" ${2:+LD_LIBRARY_PATH="$2"} "$1"
}
c_pkgconfig() { # NAME COMPILER STD PKG SOURCES...
    local name="$1" cc="$2" std="$3" pkg="$4"; shift 4
    local flags
    flags="$(clean "$C" env "${CENV[@]}" pkg-config --cflags --libs "$pkg")" || return 1
    echo "$pkg: $flags"
    # shellcheck disable=SC2086
    clean "$C" "$cc" "$std" "${WARN[@]}" -pthread "$@" -o "$C/$name" $flags || return 1
    if [ "$pkg" = timadmin-static ]; then
        ! readelf -d "$C/$name" | grep -q 'libtimadmin' || { echo "$name links libtimadmin dynamically"; return 1; }
        c_run "$C/$name"
    else
        readelf -d "$C/$name" | grep -q "Shared library: \[libtimadmin.so.$SOVERSION\]" \
            || { echo "$name does not need libtimadmin.so.$SOVERSION"; return 1; }
        c_run "$C/$name" "$P/lib"
    fi
}
check c-static-pkg-config c_pkgconfig c-static gcc -std=c11 timadmin-static "$C/src/c/quickstart.c"
check c-shared-pkg-config c_pkgconfig c-shared gcc -std=c11 timadmin "$C/src/c/quickstart.c"
check cpp-static-pkg-config c_pkgconfig cpp-static g++ -std=c++17 timadmin-static "$C"/src/cpp/*.cpp
check cpp-shared-pkg-config c_pkgconfig cpp-shared g++ -std=c++17 timadmin "$C"/src/cpp/*.cpp
# CMake: examples/c's own CMakeLists.txt; for examples/cpp (built by hand in its README), the
# same two imported targets.
mkdir -p "$C/src/cpp-cmake"
cat >"$C/src/cpp-cmake/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.16)
project(timadmin_cpp CXX)
set(CMAKE_CXX_STANDARD 17)
find_package(timadmin $VERSION EXACT REQUIRED)
file(GLOB SOURCES "\${CMAKE_CURRENT_SOURCE_DIR}/../cpp/*.cpp")
add_executable(cpp_static \${SOURCES})
target_link_libraries(cpp_static PRIVATE timadmin::timadmin)
add_executable(cpp_shared \${SOURCES})
target_link_libraries(cpp_shared PRIVATE timadmin::timadmin_shared)
EOF
c_cmake() { # NAME SOURCE_DIR STATIC_BINARY SHARED_BINARY
    local b="$C/build-$1"
    clean "$C" cmake -S "$2" -B "$b" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_BUILD_TYPE=Release || return 1
    clean "$C" cmake --build "$b" || return 1
    ! readelf -d "$b/$3" | grep -q libtimadmin || { echo "$3 links libtimadmin dynamically"; return 1; }
    readelf -d "$b/$4" | grep -q "Shared library: \[libtimadmin.so.$SOVERSION\]" || { echo "$4: no libtimadmin.so.$SOVERSION"; return 1; }
    c_run "$b/$3" && c_run "$b/$4"
}
check c-cmake-find-package c_cmake c "$C/src/c" quickstart quickstart_shared
check cpp-cmake-find-package c_cmake cpp "$C/src/cpp-cmake" cpp_static cpp_shared
c_version() {
    local flags
    flags="$(clean "$C" env "${CENV[@]}" pkg-config --cflags --libs timadmin)" || return 1
    # shellcheck disable=SC2086
    clean "$C" gcc -std=c11 "${WARN[@]}" "$C/src/version.c" -o "$C/version" $flags
}
check c-version-program c_version
VERSIONS[c]="$(clean "$C" env LD_LIBRARY_PATH="$P/lib" "$C/version" || echo '?')"
VERSIONS[c-header]="$(sed -n 's/^#define TIMADMIN_VERSION_STRING "\(.*\)"$/\1/p' "$P/include/timadmin.h")"

fi
# ---------------------------------------------------------------------------------------------
if want kotlin; then
step "Kotlin/JVM: $(basename "$JAR")"
K="$WORK/kotlin" && mkdir -p "$K"
kotlin_contents() {
    python3 - "$JAR" "$SOURCES_JAR" "$POM" <<'PY'
import sys, zipfile, xml.etree.ElementTree as ET
jar, sources, pom = sys.argv[1:]
names = set(zipfile.ZipFile(jar).namelist())
need = ["linux-x86-64/libtimadmin_uniffi.so", "META-INF/proguard/timadmin.pro", "META-INF/LICENSE-MIT",
        "META-INF/LICENSE-APACHE", "META-INF/CHANGELOG.md", "io/timadmin/TimAdminClient.class"]
missing = [n for n in need if n not in names]
rules = zipfile.ZipFile(jar).read("META-INF/proguard/timadmin.pro").decode() if "META-INF/proguard/timadmin.pro" in names else ""
for rule in ("com.sun.jna.Structure", "com.sun.jna.Callback", "io.timadmin.**"):
    if rule not in rules:
        missing.append("keep rule for " + rule)
src = set(zipfile.ZipFile(sources).namelist())
for n in ("io/timadmin/timadmin_uniffi.kt", "META-INF/LICENSE-MIT", "META-INF/LICENSE-APACHE"):
    if n not in src:
        missing.append("sources jar: " + n)
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
deps = {(d.find("m:groupId", ns).text, d.find("m:artifactId", ns).text)
        for d in ET.parse(pom).getroot().iterfind("m:dependencies/m:dependency", ns)}
print("POM dependencies:", sorted(deps))
for d in (("net.java.dev.jna", "jna"), ("org.jetbrains.kotlinx", "kotlinx-coroutines-core")):
    if d not in deps:
        missing.append("POM dependency %s:%s" % d)
if missing:
    sys.exit("missing: " + ", ".join(missing))
PY
}
check kotlin-jar-sources-pom-contents kotlin_contents
# A Maven repository that holds only the artifact (jar, sources, POM) ...
REPO="$K/repo/io/timadmin/timadmin-kotlin/$VERSION"
mkdir -p "$REPO" "$K/app/src/main/kotlin" "$K/m2" "$K/run"
cp "$JAR" "$SOURCES_JAR" "$POM" "$REPO/"
# ... and, for everything else (JNA, coroutines, the Kotlin compiler plugin), the user's Maven
# cache as a read-only repository ahead of Maven Central. The local repository is fresh, so an
# io.timadmin artifact that `make test-kotlin` installed cannot be picked up.
cat >"$K/settings.xml" <<EOF
<settings>
  <profiles><profile><id>dist</id>
    <repositories>
      <repository><id>timadmin-dist</id><url>file://$K/repo</url>
        <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots></repository>
      <repository><id>user-cache</id><url>file://$REAL_HOME/.m2/repository</url>
        <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots></repository>
    </repositories>
    <pluginRepositories>
      <pluginRepository><id>user-cache</id><url>file://$REAL_HOME/.m2/repository</url>
        <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots></pluginRepository>
    </pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>dist</activeProfile></activeProfiles>
</settings>
EOF
cp -R "$ROOT/examples/kotlin/src/main/kotlin/." "$K/app/src/main/kotlin/"
mkdir -p "$K/app/src/main/kotlin/io/timadmin/distcheck"
cat >"$K/app/src/main/kotlin/io/timadmin/distcheck/Version.kt" <<'EOF'
package io.timadmin.distcheck

fun main() = println(io.timadmin.timadminVersion())
EOF
read -r KOTLIN_VERSION MAIN_CLASS < <(python3 - "$ROOT/examples/kotlin/pom.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
root = ET.parse(sys.argv[1]).getroot()
print(root.find("m:properties/m:kotlin.version", ns).text.strip(), root.find(".//m:mainClass", ns).text.strip())
PY
)
# The app's POM names one dependency, the artifact; the rest comes from the artifact's POM.
cat >"$K/app/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.timadmin.distcheck</groupId>
  <artifactId>app</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <kotlin.compiler.daemon>false</kotlin.compiler.daemon>
  </properties>
  <dependencies>
    <dependency><groupId>io.timadmin</groupId><artifactId>timadmin-kotlin</artifactId><version>$VERSION</version></dependency>
  </dependencies>
  <build>
    <sourceDirectory>src/main/kotlin</sourceDirectory>
    <plugins>
      <plugin>
        <groupId>org.jetbrains.kotlin</groupId><artifactId>kotlin-maven-plugin</artifactId><version>$KOTLIN_VERSION</version>
        <executions><execution><id>compile</id><phase>compile</phase><goals><goal>compile</goal></goals></execution></executions>
        <configuration><jvmTarget>17</jvmTarget></configuration>
      </plugin>
    </plugins>
  </build>
</project>
EOF
MVN=(mvn -B -ntp -q -s "$K/settings.xml" -Dmaven.repo.local="$K/m2")
kotlin_build() {
    # (maven-dependency-plugin 2.8: the version Maven 3.8 itself uses, already in the cache)
    clean "$K/app" "${MVN[@]}" compile org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
        -Dmdep.outputFile="$K/classpath.txt" || return 1
    echo "classpath: $(tr ':' '\n' <"$K/classpath.txt" | xargs -n 1 basename | tr '\n' ' ')"
    local got
    got="$(tr ':' '\n' <"$K/classpath.txt" | grep "timadmin-kotlin-$VERSION.jar")"
    cmp "$got" "$JAR" || { echo "the resolved timadmin-kotlin jar is not dist's"; return 1; }
    grep -q '/jna-[0-9.]*\.jar' "$K/classpath.txt" && grep -q 'kotlinx-coroutines-core' "$K/classpath.txt"
}
check kotlin-compile-example-with-the-jar kotlin_build
# The run: java, the compiled example, the jar and its declared dependencies. No
# jna.library.path, no LD_LIBRARY_PATH: JNA finds libtimadmin_uniffi.so inside the jar.
kotlin_java() { # MAIN [ARGS...]
    local main="$1"; shift
    clean "$K/run" java -Djava.io.tmpdir="$WORK/tmp" -Dtimadmin.emulator="$WORK/bin/timadmin-emulator" \
        -Dtimadmin.fixture="$WORK/fixture.json" -cp "$K/app/target/classes:$(cat "$K/classpath.txt")" "$main" "$@"
}
kotlin_example() {
    kotlin_java "$MAIN_CLASS" | tee "$K/example.log"
    [ "${PIPESTATUS[0]}" = 0 ] && grep -q 'muted in @TGS#2DEMOPUB' "$K/example.log"
}
check kotlin-example-runs-from-the-jar-alone kotlin_example
VERSIONS[kotlin]="$(kotlin_java io.timadmin.distcheck.VersionKt 2>/dev/null || echo '?')"
# Swift: no toolchain here; the generated Swift API must declare the same function.
swift_declares_version() {
    "$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --library "$TARGET_DIR/release/libtimadmin_uniffi.so" \
        --config "$ROOT/bindings-uniffi/bindgen.toml" --language swift --out-dir "$WORK/swift" >/dev/null || return 1
    grep -n 'public func timadminVersion() -> String' "$WORK/swift/TimAdmin.swift"
}
check swift-declares-timadminVersion swift_declares_version
skip swift-run "no Swift toolchain on this machine: timadminVersion() checked in the generated source only"

fi
# ---------------------------------------------------------------------------------------------
if want crates; then
step "Rust crates"
crate_contents() {
    local crate="$1" name
    name="$(basename "$crate" .crate)"
    tar tzf "$crate" >"$WORK/crate.list"
    for f in Cargo.toml README.md LICENSE-MIT LICENSE-APACHE CHANGELOG.md src/lib.rs; do
        grep -qx "$name/$f" "$WORK/crate.list" || { echo "$name: missing $f"; return 1; }
    done
    tar xzf "$crate" -O "$name/Cargo.toml" >"$WORK/crate.toml"
    grep -E '^(repository|documentation|readme|keywords|categories|license) = ' "$WORK/crate.toml"
    grep -q '^repository = "https://github.com/timadmin/timadmin"' "$WORK/crate.toml" \
        && grep -q '^documentation = "https://docs.rs/' "$WORK/crate.toml" \
        && grep -q '^keywords = ' "$WORK/crate.toml" && grep -q '^categories = ' "$WORK/crate.toml" \
        && ! grep -q 'example.invalid' "$WORK/crate.toml"
}
for crate in "${CRATES[@]}"; do check "crate-$(basename "$crate")" crate_contents "$crate"; done

fi
# ---------------------------------------------------------------------------------------------
if want mobile; then
step "mobile scripts without their tools"
# Run with only system directories on PATH and no NDK/Xcode variables: each must stop at its
# tool check, say SKIPPED and what is missing, and exit non-zero (never claim a build).
mobile_missing() { # NAME SCRIPT TOOL...
    local name="$1" script="$2"; shift 2
    local code=0
    clean "$WORK" bash "$ROOT/$script" >"$WORK/$name.log" 2>&1 || code=$?
    cat "$WORK/$name.log"
    [ "$code" = 3 ] || { echo "exit code $code, expected 3 (tools missing)"; return 1; }
    grep -q "SKIPPED" "$WORK/$name.log" && grep -qi "missing" "$WORK/$name.log" || return 1
    for tool in "$@"; do grep -q -- "$tool" "$WORK/$name.log" || { echo "does not name $tool"; return 1; }; done
    ! grep -qiE '\b(passed|built|wrote)\b' "$WORK/$name.log"
}
check android-aar-script-reports-missing-tools mobile_missing android bindings-uniffi/android/build-aar.sh cargo-ndk ANDROID_NDK_HOME
check xcframework-script-reports-missing-tools mobile_missing apple bindings-uniffi/apple/build-xcframework.sh xcodebuild
skip android-aar-build "no Android NDK / cargo-ndk on this machine"
skip xcframework-build "no Xcode on this machine"

fi
# ---------------------------------------------------------------------------------------------
if [ "$CHECKS" = "wheel sdist c kotlin crates mobile" ]; then
step "one version everywhere ($VERSION)"
versions_agree() {
    local ok=0 host
    for host in "${!VERSIONS[@]}"; do
        printf '  %-14s %s\n' "$host" "${VERSIONS[$host]}"
        [ "${VERSIONS[$host]}" = "$VERSION" ] || ok=1
    done
    [ "${#VERSIONS[@]}" -ge 6 ] || { echo "only ${#VERSIONS[@]} hosts reported"; return 1; }
    return $ok
}
check versions-agree versions_agree
fi

echo
[ "$FAILED" -gt 0 ] && echo "failed: ${FAILED_NAMES[*]}"
echo "dist-tests: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
