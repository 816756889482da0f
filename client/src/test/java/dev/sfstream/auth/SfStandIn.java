package dev.sfstream.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in for the Salesforce CLI: a shell script named {@code sf} that answers {@code sf org display --json} and
 * {@code sf org auth show-access-token --json} in the shapes {@code sf} prints (plugin-org's display and
 * show-access-token commands, sf-plugins-core's JSON envelopes), for one org, {@code myorg}, with the tokens and
 * instance URL the test gives it. What it does is steered by files next to it:
 * <ul>
 *   <li>{@code token-N}: the access token of the N-th {@code org display} call; the script waits (up to 30 s) for
 *       it, so that a test can hand out a fresh token only after revoking the old ones;</li>
 *   <li>{@code redact}: {@code org display} shows the token redacted, as sf does since 2026;</li>
 *   <li>{@code default-org}: the org used without {@code --target-org};</li>
 *   <li>{@code stale}: {@code org display} warns that it could not refresh the token, as sf does when it fails to;</li>
 *   <li>{@code garbage}: prints a line that is not JSON; {@code slow}: sleeps a minute first.</li>
 * </ul>
 * Every call is appended to {@code calls.log}. The CLI's tests use it too, through this module's test jar.
 */
public final class SfStandIn {
    public static final String ORG = "myorg";

    private static final String SCRIPT = """
            #!/bin/sh
            here=$(cd "$(dirname "$0")" && pwd)
            echo "$*" >> "$here/calls.log"
            if [ -f "$here/slow" ]; then sleep 60; fi
            if [ -f "$here/garbage" ]; then echo "Error: this is not JSON"; echo "second line"; exit 1; fi
            org=""
            prev=""
            for a in "$@"; do
              if [ "$prev" = "--target-org" ]; then org="$a"; fi
              prev="$a"
            done
            if [ -z "$org" ] && [ -f "$here/default-org" ]; then org=$(cat "$here/default-org"); fi
            fail() {
              json=$(printf '{"name":"%s","message":"%s","exitCode":1,"context":"OrgDisplayCommand",' "$1" "$2"
                printf '"actions":[],"status":1,"commandName":"OrgDisplayCommand","warnings":[],"code":"1"}')
              if [ "$SF_JSON_TO_STDOUT" = "true" ]; then echo "$json"; else echo "$json" >&2; fi
              exit 1
            }
            if [ -z "$org" ]; then
              fail NoDefaultEnvError "No default environment found. Use -o or --target-org to specify an environment."
            fi
            if [ "$org" != "myorg" ]; then fail NamedOrgNotFoundError "No authorization information found for $org."; fi
            case "$1 $2 $3" in
              "org display "*)
                n=$(( $(cat "$here/display-count" 2>/dev/null || echo 0) + 1 ))
                echo "$n" > "$here/display-count"
                i=0
                while [ ! -f "$here/token-$n" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
                token=$(cat "$here/token-$n")
                if [ -f "$here/redact" ]; then token="[REDACTED] Use 'sf org auth show-access-token' to view"; fi
                printf '{"status":0,"result":{"id":"%s","apiVersion":"64.0","accessToken":"%s",' \\
                  "$(cat "$here/org-id")" "$token"
                printf '"instanceUrl":"%s","username":"dev@sfstream.local","clientId":"PlatformCLI",' \\
                  "$(cat "$here/instance-url")"
                warning="This command will expose sensitive information."
                if [ -f "$here/stale" ]; then warning="unable to refresh auth for org"; fi
                printf '"connectedStatus":"Connected","alias":"myorg"},"warnings":["%s"]}\\n' "$warning"
                ;;
              "org auth show-access-token")
                n=$(cat "$here/display-count")
                printf '{"status":0,"result":{"accessToken":"%s"},"warnings":["This exposes a token."]}\\n' \\
                  "$(cat "$here/token-$n")"
                ;;
              *) fail Error "not a command of this stand-in: $*" ;;
            esac
            """;

    public final Path dir;
    public final Path executable;

    private SfStandIn(Path dir) {
        this.dir = dir;
        this.executable = dir.resolve("sf");
    }

    /** Writes {@code sf} into {@code dir} for an org with this ID at this instance URL. */
    public static SfStandIn in(Path dir, String orgId, String instanceUrl) {
        SfStandIn sf = new SfStandIn(dir);
        try {
            Files.writeString(sf.executable, SCRIPT);
            Files.setPosixFilePermissions(sf.executable, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sf.write("org-id", orgId);
        sf.write("instance-url", instanceUrl);
        return sf;
    }

    /** The token that the {@code n}-th {@code org display} answers (written atomically: the script may be waiting). */
    public SfStandIn token(int n, String token) {
        return write("token-" + n, token);
    }

    public SfStandIn flag(String name) {
        return write(name, "");
    }

    public SfStandIn write(String name, String content) {
        try {
            Path tmp = dir.resolve(name + ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The argument lists it was called with, one per call. */
    public List<String> calls() {
        try {
            Path log = dir.resolve("calls.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
