package dev.sfstream.bench;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.PubSubSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An emulator in its own JVM, so that what a benchmark measures on one side (client heap, load generator) is not
 * mixed with the other. Prints {@code PUBSUB <host:port>} (its Pub/Sub API, plaintext) and {@code URL <url>} when it
 * listens, answers the line {@code heap} with {@code HEAP <live bytes>} and the line {@code publish <Name__e> <n>}
 * with {@code PUBLISHED <n>} once it published n platform events (fields {@code Seq__c}, {@code Name__c},
 * {@code Amount__c}), and stops when its standard input closes.
 */
public final class EmulatorProcess {
    private EmulatorProcess() {
    }

    public static void main(String[] args) throws IOException {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Emulator emulator = Emulator.builder().quiet(true).concurrentClientLimit(clients)
                .longPollTimeout(Duration.ofSeconds(110)).reconnectTimeout(Duration.ofSeconds(120))
                .retainedEventsPerChannel(250_000).retainedEventBytes(512L << 20)
                .pubSub(PubSubSettings.defaults().plaintext(true)).build().start();
        System.out.println("PUBSUB " + emulator.pubSubEndpoint());
        System.out.println("URL " + emulator.url());
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            if (line.equals("heap")) { // the live heap: what is left after a full collection
                System.gc();
                Runtime runtime = Runtime.getRuntime();
                System.out.println("HEAP " + (runtime.totalMemory() - runtime.freeMemory()));
                System.out.flush();
            } else if (line.startsWith("publish ")) {
                String[] words = line.split(" ");
                int n = Integer.parseInt(words[2]);
                for (int i = 0; i < n; i++) {
                    emulator.publishEvent(words[1], Map.of("Seq__c", i, "Name__c", "Event number " + i,
                            "Amount__c", i * 1.5));
                }
                System.out.println("PUBLISHED " + n);
                System.out.flush();
            }
        }
        emulator.close();
    }
}
