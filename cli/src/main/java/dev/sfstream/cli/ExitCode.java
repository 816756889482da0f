package dev.sfstream.cli;

import dev.sfstream.AuthenticationException;
import dev.sfstream.ReplayIdInvalidException;
import dev.sfstream.ReplayStoreException;
import dev.sfstream.RestException;
import dev.sfstream.ServerErrorException;
import dev.sfstream.SubscriptionException;
import dev.sfstream.TransportException;

/** The exit codes of {@code sfstream}, documented in {@code --help} and the README. */
final class ExitCode {
    static final int OK = 0;
    /** Salesforce (or the offline check) refused what was asked: a query, a subscription, a record. */
    static final int REFUSED = 1;
    /** The command line is wrong: an unknown flag, a missing argument, a bad value. */
    static final int USAGE = 2;
    /** Authentication failed: wrong credentials, revoked token. */
    static final int AUTHENTICATION = 3;
    /** The server or the network failed, or a replay store (Redis) could not be reached. */
    static final int SERVER = 4;
    /** Standard output could not be written (the reader of a pipe went away); nothing unwritten was committed. */
    static final int OUTPUT = 5;

    static final String HELP = """
            Exit codes:
              0  success
              1  refused (an invalid query, a channel that does not exist, a record Salesforce rejects)
              2  usage (an unknown option, a missing argument, a bad value)
              3  authentication failed
              4  server or network error (Redis unreachable included)
              5  standard output could not be written (the reader of a pipe exited);
                 events not written are not committed
              130  interrupted (Ctrl-C), 143  terminated (SIGTERM): closed cleanly, what was
                   printed is committed""";

    private ExitCode() {
    }

    static int of(Throwable e) {
        if (e instanceof AuthenticationException) {
            return AUTHENTICATION;
        }
        if (e instanceof ReplayStoreException && unreachable(e)) {
            return SERVER;
        }
        if (e instanceof RestException || e instanceof SubscriptionException || e instanceof ReplayIdInvalidException
                || e instanceof ReplayStoreException) {
            return REFUSED;
        }
        if (e instanceof TransportException || e instanceof ServerErrorException) {
            return SERVER;
        }
        if (e instanceof IllegalArgumentException) {
            return USAGE;
        }
        return SERVER;
    }

    /**
     * A store that failed because the network did (a Redis that is down, a host that does not resolve, a timeout:
     * a {@code java.net} exception among the causes, or suppressed by one, as Jedis does) is a network error; a
     * corrupt or locked file, refused credentials or a refused certificate stay refusals.
     */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getPackageName().equals("java.net")) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s.getClass().getPackageName().equals("java.net")) {
                    return true;
                }
            }
        }
        return false;
    }
}
