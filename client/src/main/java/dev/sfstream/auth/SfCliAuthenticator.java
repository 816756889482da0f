package dev.sfstream.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.AuthenticationException;
import dev.sfstream.internal.Checks;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An org the Salesforce CLI knows: a developer who logged in with {@code sf org login web --alias dev} runs a service
 * locally against that org with {@code SfCliAuthenticator.builder().targetOrg("dev").build()}, with no connected app
 * or secret of their own.
 *
 * <p>The token comes from {@code sf org display --json --target-org dev}: its {@code result} gives the access token,
 * the instance URL and the org ID ({@code id}, which namespaces the replay markers as every other authenticator's
 * org ID does). Where {@code sf} no longer shows the token there ({@code "[REDACTED] Use 'sf org auth
 * show-access-token' to view"}), it is read with {@code sf org auth show-access-token --json}. When Salesforce
 * rejects the token, {@code sf} is asked again: it refreshes the token itself when it holds a refresh token (after
 * {@code sf org login web} it does). If it answers the token that was just rejected, the login is over and an
 * {@link AuthenticationException} says to run {@code sf org login web} again.
 *
 * <p>{@code sf} runs as a child process (no shell), in this JVM's working directory, so that a project's local
 * {@code sf} configuration applies as it does in a terminal there. Without {@link Builder#targetOrg(String)} it
 * uses {@code sf}'s default org ({@code sf config set target-org}, or {@code SF_TARGET_ORG}).
 *
 * <p>Thread-safe: the token is kept until Salesforce rejects it, and one {@code sf} call serves every caller that
 * holds the rejected token. Neither {@link #toString()} nor any message shows the token.
 */
public final class SfCliAuthenticator extends CachingAuthenticator {
    /** How long an {@code sf} command may take unless told otherwise: it can be slow to start. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String targetOrg;
    private final SfCli sf;
    /** The token last obtained; a renewal that brings it back means sf could not refresh it. */
    private volatile String lastToken;

    private SfCliAuthenticator(Builder b) {
        this.targetOrg = b.targetOrg;
        this.sf = new SfCli(b.executable != null ? b.executable : SfCli.defaultExecutable(), b.timeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected AccessToken requestToken() {
        SfCli.Answer display = sf.run(withTargetOrg("org", "display", "--json"));
        if (!display.ok()) {
            throw failure("org display", display);
        }
        JsonNode org = display.result();
        String instance = org.path("instanceUrl").asText("");
        if (instance.isBlank()) {
            throw new AuthenticationException(null, null, 0, "'sf org display' answered no instanceUrl for "
                    + describeOrg() + ": " + relogin(org));
        }
        URI instanceUrl = instanceUrl(instance);
        List<String> warnings = new ArrayList<>(display.warnings());
        String token = org.path("accessToken").asText("");
        if (!looksLikeAToken(token)) {
            SfCli.Answer shown = sf.run(withTargetOrg("org", "auth", "show-access-token", "--json"));
            if (!shown.ok()) {
                throw failure("org auth show-access-token", shown);
            }
            token = shown.result().path("accessToken").asText("");
            warnings.addAll(shown.warnings());
            if (!looksLikeAToken(token)) {
                throw new AuthenticationException(null, null, 0, "the Salesforce CLI gave no access token for "
                        + describeOrg() + ": " + relogin(org));
            }
        }
        String previous = lastToken;
        if (token.equals(previous)) {
            String refused = warnings.stream().filter(w -> w.toLowerCase(Locale.ROOT).contains("refresh"))
                    .findFirst().map(w -> "; sf warned: " + w).orElse("");
            String status = org.path("connectedStatus").asText("");
            throw new AuthenticationException(null, null, 401, "Salesforce rejected the access token of "
                    + describeOrg() + " and the Salesforce CLI gave the same one again (it could not refresh it"
                    + (status.isBlank() || status.equals("Connected") ? "" : "; sf says: " + SfCli.scrub(status))
                    + refused + "): " + relogin(org));
        }
        lastToken = token;
        String orgId = org.path("id").asText("");
        return new AccessToken(instanceUrl, token, "Bearer", null, orgId.isBlank() ? null : orgId, null);
    }

    /** sf's instance URL, without a trailing slash; plain http only to a loopback host (a local emulator). */
    private URI instanceUrl(String instance) {
        URI url;
        try {
            url = new URI(instance.strip().replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null || url.getHost() == null
                || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
            throw new AuthenticationException(null, null, 0, "'sf org display' answered an instanceUrl for "
                    + describeOrg() + " that is not an http(s) URL: '" + SfCli.scrub(instance) + "'");
        }
        LoginHost.checkPlainHttp(url, false, "the instance URL that sf org display gave for " + describeOrg());
        return url;
    }

    /** A token is one word; sf's redaction notice, or nothing, is not. */
    private static boolean looksLikeAToken(String token) {
        return !token.isBlank() && !token.startsWith("[") && token.chars().noneMatch(Character::isWhitespace);
    }

    private List<String> withTargetOrg(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        if (targetOrg != null) {
            args.add("--target-org");
            args.add(targetOrg);
        }
        return args;
    }

    private String describeOrg() {
        return targetOrg != null ? "org '" + targetOrg + "'" : "sf's default org";
    }

    /** What to run to log in again, with the org's alias and My Domain when sf told them. */
    private String relogin(JsonNode org) {
        String alias = org.path("alias").asText("");
        if (alias.isBlank() && targetOrg != null && !targetOrg.contains("@")) {
            alias = targetOrg;
        }
        String instance = org.path("instanceUrl").asText("");
        return "log in again with 'sf org login web" + (alias.isBlank() ? "" : " --alias " + alias)
                + (instance.startsWith("https://") ? " --instance-url " + instance.replaceAll("/+$", "") : "")
                + (targetOrg == null ? " --set-default" : "") + "'";
    }

    private AuthenticationException failure(String command, SfCli.Answer answer) {
        String name = answer.errorName();
        String text = answer.errorText();
        if (answer.json() == null) {
            return new AuthenticationException(null, null, 0, "'sf " + command + " --json' printed no JSON (exit code "
                    + answer.exitCode() + (answer.firstLine().isEmpty() ? ", no output)"
                            : "), its first line: " + answer.firstLine()));
        }
        String said = "the Salesforce CLI says: " + (text.isEmpty() ? name : text);
        if (name.startsWith("NamedOrgNotFound") || name.equals("NoOrgFound") || name.startsWith("NoAuthInfoFound")) {
            String alias = targetOrg != null && !targetOrg.contains("@") ? targetOrg : "ALIAS";
            return new AuthenticationException(null, null, 0, said + " Run 'sf org list' to see your orgs, or "
                    + "'sf org login web --alias " + alias + "' to log in to this one.");
        }
        if (name.startsWith("NoDefaultEnv") || name.startsWith("NoDefaultUsername")
                || name.startsWith("NoUsername")) {
            return new AuthenticationException(null, null, 0, said + " Name the org (an alias or username from "
                    + "'sf org list'), or make one the default with 'sf config set target-org ALIAS'.");
        }
        return new AuthenticationException(null, null, 0, "'sf " + command + "' failed for " + describeOrg() + ": "
                + (name.isEmpty() ? "" : name + ": ") + (text.isEmpty() ? "exit code " + answer.exitCode() : text));
    }

    @Override
    public String toString() {
        return "SfCliAuthenticator[targetOrg=" + (targetOrg != null ? targetOrg : "(sf's default)") + ", executable="
                + sf.executable() + ", token=***]";
    }

    /** Builds an {@link SfCliAuthenticator}. */
    public static final class Builder {
        private String targetOrg;
        private String executable;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {
        }

        /**
         * The org: an alias or username that {@code sf org list} shows. {@code null} (the default) is {@code sf}'s
         * default org.
         *
         * @throws IllegalArgumentException when it is blank or starts with {@code -}
         */
        public Builder targetOrg(String aliasOrUsername) {
            if (aliasOrUsername != null && (aliasOrUsername.isBlank() || aliasOrUsername.startsWith("-"))) {
                throw new IllegalArgumentException("targetOrg must be an alias or username, got '" + aliasOrUsername
                        + "'");
            }
            this.targetOrg = aliasOrUsername == null ? null : aliasOrUsername.strip();
            return this;
        }

        /** The {@code sf} executable; by default {@code sf} found on the PATH ({@code sf.cmd} on Windows). */
        public Builder executable(Path executable) {
            this.executable = Objects.requireNonNull(executable, "executable").toString();
            return this;
        }

        /** The {@code sf} executable by name (looked up on the PATH) or path. */
        public Builder executable(String executable) {
            if (executable == null || executable.isBlank()) {
                throw new IllegalArgumentException("executable must name the sf executable");
            }
            this.executable = executable;
            return this;
        }

        /** How long one {@code sf} command may take; 60 seconds by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout);
            return this;
        }

        public SfCliAuthenticator build() {
            return new SfCliAuthenticator(this);
        }

        @Override
        public String toString() {
            return "SfCliAuthenticator.Builder[targetOrg=" + targetOrg + ", executable=" + executable + "]";
        }
    }
}
