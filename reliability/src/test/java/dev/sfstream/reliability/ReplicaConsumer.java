package dev.sfstream.reliability;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ConnectionState;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.jdbc.JdbcReplayStore;
import dev.sfstream.replay.Lease;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A replica the multi-process tests start, kill with {@code kill -9}, pause with {@code SIGSTOP} and resume: it
 * consumes {@code /event/Crash__e} and records each event it handles. Run in a child JVM:
 * {@code ReplicaConsumer <emulator URL> <store location> <namespace> <replica name> <group or -> <lease TTL ms>
 * <work ms per event> <output file or ->}.
 *
 * <ul>
 *   <li>With a {@code jdbc:} store the handler inserts {@code (seq, replica, epoch, at)} into table
 *       {@code handled} in the transaction that commits the event's marker ({@code store.transactional}).</li>
 *   <li>With another store it appends {@code seq replica epoch} to the output file; the client commits after.</li>
 * </ul>
 * It prints {@code ready} once open, then {@code state STANDBY|CONNECTED ...} as the state changes and
 * {@code error <exception class>: <message>} for each error its connection listener is told.
 */
public final class ReplicaConsumer {
    private ReplicaConsumer() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String location = args[1];
        String namespace = args[2];
        String replica = args[3];
        String group = args[4].equals("-") ? null : args[4];
        Duration ttl = Duration.ofMillis(Long.parseLong(args[5]));
        long workNanos = Duration.ofMillis(Long.parseLong(args[6])).toNanos();
        String output = args[7];
        ReplayStore store = location.startsWith("jdbc:") ? JdbcReplayStore.builder(location)
                .commitInterval(Duration.ofMillis(50)).build() : ReplayStore.open(location);
        StreamingClient.Builder builder = StreamingClient.builder()
                .authenticator(PasswordAuthenticator.builder().loginUrl(url)
                        .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                        .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build())
                .replayStore(store).replayNamespace(namespace).replayFrom(ReplayFrom.ALL_EVENTS)
                .queueCapacity(100).handshakeMinInterval(Duration.ofMillis(100))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onStateChanged(ConnectionState state, String reason) {
                        say("state " + state + " " + reason);
                    }

                    @Override
                    public void onError(StreamingException error) {
                        say("error " + error.getClass().getSimpleName() + ": " + error.getMessage());
                    }
                });
        if (group != null) {
            builder.exclusive(group).leaseTtl(ttl);
        }
        StreamingClient client = builder.build();
        Consumer<StreamingEvent> listener;
        if (store instanceof JdbcReplayStore jdbc) {
            listener = jdbc.transactional(client, (event, c) -> {
                work(workNanos);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO handled (seq, replica, epoch, at) "
                        + "VALUES (?, ?, ?, clock_timestamp())")) {
                    s.setInt(1, seq(event));
                    s.setString(2, replica);
                    s.setLong(3, client.lease().map(Lease::epoch).orElse(0L));
                    s.executeUpdate();
                }
            });
        } else {
            OutputStream out = new FileOutputStream(output, true);
            listener = event -> {
                work(workNanos);
                try {
                    out.write((seq(event) + " " + replica + " " + client.lease().map(Lease::epoch).orElse(0L)
                            + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
        }
        client.open();
        client.subscribe("/event/Crash__e", listener);
        say("ready");
        new CountDownLatch(1).await(); // until killed
    }

    private static int seq(StreamingEvent event) {
        return event.platformEvent().orElseThrow().payload().path("Seq__c").asInt();
    }

    /** The handler's own work: a replica in the middle of it when paused holds its transaction open. */
    private static void work(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
