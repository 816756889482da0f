# Sourced by ./sfstream and ./test before they run ./mvnw or the jar: a clear message, not a Maven or JVM stack
# trace, when no Java 17 or later is found. Uses $JAVA_HOME when it is set (as mvnw does), else java on the PATH.

# require_java NAME [jdk]: exits 2 with a message naming NAME unless Java 17+ is there; with "jdk", javac too.
# Sets JAVA_CMD to the java it checked.
require_java() {
  local name="$1" what="${2:-}" java="java" javac="javac" version major
  if [ -n "${JAVA_HOME:-}" ]; then
    java="$JAVA_HOME/bin/java"
    javac="$JAVA_HOME/bin/javac"
  fi
  local install="install a JDK 17 or later (Debian and Ubuntu: apt-get install openjdk-17-jdk-headless;"
  install="$install macOS: brew install openjdk@17; or Temurin from adoptium.net) and put its bin/ on the PATH,"
  install="$install or set JAVA_HOME to it"
  if ! command -v "$java" >/dev/null 2>&1; then
    echo "$name: no Java found (${JAVA_HOME:+JAVA_HOME=$JAVA_HOME, }looked for $java): $install" >&2
    exit 2
  fi
  # The line with the version, e.g. 'openjdk version "17.0.15" 2025-04-15' or 'java version "1.8.0_402"'; a
  # "Picked up JAVA_TOOL_OPTIONS" line may come first.
  version="$("$java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%[!0-9]*}"
  if [ "$major" = 1 ]; then
    major="${version#1.}"
    major="${major%%[!0-9]*}"
  fi
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    echo "$name: Java ${version:-of an unknown version} found ($(command -v "$java")), but sfstream needs 17 or later: $install" >&2
    exit 2
  fi
  if [ "$what" = jdk ] && ! command -v "$javac" >/dev/null 2>&1; then
    echo "$name: Java $version found, but no javac beside it: building sfstream needs a JDK, not only a runtime: $install" >&2
    exit 2
  fi
  JAVA_CMD="$java"
}
