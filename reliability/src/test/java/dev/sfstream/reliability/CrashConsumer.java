package dev.sfstream.reliability;

import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.pubsub.PubSubTransport;
import dev.sfstream.replay.FileReplayStore;
import dev.sfstream.replay.ReplayFrom;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.transport.Transport;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The consumer the crash test kills with {@code kill -9}: it appends the sequence number and replay ID of every
 * event it handles to a file, then asks for the next event (which commits the previous one). Run in a child JVM:
 * {@code CrashConsumer <emulator URL> <store location> <output file> <namespace> [<Pub/Sub endpoint>]}: with an
 * endpoint (plaintext, the emulator's), the client takes the Pub/Sub API instead of the Streaming API.
 */
public final class CrashConsumer {
    private CrashConsumer() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String location = args[1];
        Path output = Path.of(args[2]);
        String namespace = args[3];
        Transport transport = args.length > 4 ? PubSubTransport.builder().endpoint(args[4]).plaintext().build()
                : Transport.bayeux();
        ReplayStore store = location.startsWith("redis") ? ReplayStore.open(location)
                : FileReplayStore.builder(Path.of(location)).commitInterval(Duration.ofMillis(50)).build();
        StreamingClient client = StreamingClient.builder()
                .authenticator(PasswordAuthenticator.builder().loginUrl(url)
                        .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                        .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build())
                .replayStore(store).replayNamespace(namespace).replayFrom(ReplayFrom.ALL_EVENTS)
                .queueCapacity(100).handshakeMinInterval(Duration.ofMillis(100)).transport(transport).build();
        client.open();
        client.subscribe("/event/Crash__e");
        try (OutputStream out = new FileOutputStream(output.toFile(), true)) {
            System.out.println("ready");
            System.out.flush();
            while (true) {
                Optional<StreamingEvent> next = client.receive(Duration.ofSeconds(1));
                if (next.isPresent() && !next.get().isReplayGap()) {
                    int seq = next.get().platformEvent().orElseThrow().payload().path("Seq__c").asInt();
                    out.write((seq + " " + next.get().replayId() + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        }
    }
}
