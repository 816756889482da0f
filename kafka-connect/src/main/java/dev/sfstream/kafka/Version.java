package dev.sfstream.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The connector's version, written into a resource by the build, for Connect's plugin listing. */
final class Version {
    private static final String VERSION = read();

    private Version() {
    }

    static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("sfstream-kafka-connect.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
