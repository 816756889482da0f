package dev.sfstream.kafka;

import static dev.sfstream.kafka.StreamingSourceConfig.CHANNELS;
import static dev.sfstream.kafka.StreamingSourceConfig.PUBSUB_ENDPOINT;
import static dev.sfstream.kafka.StreamingSourceConfig.PUBSUB_TLS;
import static dev.sfstream.kafka.StreamingSourceConfig.PUBSUB_TRUSTED_CERTIFICATES;
import static dev.sfstream.kafka.StreamingSourceConfig.TRANSPORT;

import dev.sfstream.ChannelName;
import dev.sfstream.pubsub.PubSubTransport;
import dev.sfstream.transport.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transport settings and the rules that span them: which API events come through ({@code bayeux}, the
 * Streaming API, or {@code pubsub}, the Pub/Sub API), and for the Pub/Sub API its endpoint and TLS. The rules: the
 * Pub/Sub API serves platform events and change events only, so a PushTopic or generic channel with {@code pubsub}
 * is an error on {@code salesforce.channels}; the Pub/Sub settings go with {@code pubsub} only (set with
 * {@code bayeux}, they would be silently ignored, which hides a forgotten {@code salesforce.transport}); and an
 * endpoint is reached without verified TLS only when it is a loopback host (the transport's own rule). Immutable.
 *
 * @param transport {@code bayeux} or {@code pubsub}, lower case
 * @param endpoint the Pub/Sub endpoint as set, or null when not set (the transport's default)
 * @param tls {@code verify}, {@code plaintext} or {@code trust-any} as set, lower case; null when not set (verify)
 * @param trustedCertificatesFile a PEM file on the worker, or null
 */
record TransportSettings(String transport, String endpoint, String tls, String trustedCertificatesFile) {
    TransportSettings {
        transport = transport == null || transport.isBlank() ? "bayeux" : transport.strip().toLowerCase(Locale.ROOT);
        endpoint = blankToNull(endpoint);
        tls = tls == null || tls.isBlank() ? null : tls.strip().toLowerCase(Locale.ROOT);
        trustedCertificatesFile = blankToNull(trustedCertificatesFile);
    }

    /** The transport settings of a raw configuration, as given to the connector (unset settings are null). */
    static TransportSettings of(Map<String, String> props) {
        return new TransportSettings(props.get(TRANSPORT), props.get(PUBSUB_ENDPOINT), props.get(PUBSUB_TLS),
                props.get(PUBSUB_TRUSTED_CERTIFICATES));
    }

    /** Whether events come through the Pub/Sub API. */
    boolean isPubSub() {
        return transport.equals("pubsub");
    }

    /**
     * Checks that the transport serves every channel.
     *
     * @throws SettingException on {@code salesforce.channels}, naming the channel and where it is served
     */
    void checkChannels(List<String> channels) {
        if (!isPubSub()) {
            return;
        }
        for (String channel : channels) {
            ChannelName.Kind kind;
            try {
                kind = ChannelName.of(channel).kind();
            } catch (IllegalArgumentException e) {
                continue; // a malformed channel is the channel check's error, not this one's
            }
            if (kind == ChannelName.Kind.PUSH_TOPIC || kind == ChannelName.Kind.GENERIC) {
                throw new SettingException(CHANNELS, "channel " + channel + ": PushTopics and generic channels "
                        + "(/topic/... and /u/...) exist only on the Streaming API, not on the Pub/Sub API ("
                        + TRANSPORT + "=pubsub); stream them with " + TRANSPORT + "=bayeux, in a connector of "
                        + "their own if the other channels stay on pubsub");
            }
        }
    }

    /**
     * The transport these settings describe. Reads the trusted certificates file, if any; connects to nothing.
     *
     * @throws SettingException naming the setting that is wrong or does not go with the transport
     */
    Transport toTransport() {
        if (!isPubSub()) {
            onlyWithPubSub(PUBSUB_ENDPOINT, endpoint);
            onlyWithPubSub(PUBSUB_TLS, tls);
            onlyWithPubSub(PUBSUB_TRUSTED_CERTIFICATES, trustedCertificatesFile);
            return Transport.bayeux();
        }
        PubSubTransport.Builder b = PubSubTransport.builder();
        if (endpoint != null) {
            try {
                b.endpoint(endpoint);
            } catch (IllegalArgumentException e) {
                throw new SettingException(PUBSUB_ENDPOINT, e.getMessage());
            }
        }
        String mode = tls == null ? "verify" : tls;
        if (trustedCertificatesFile != null && !mode.equals("verify")) {
            throw new SettingException(PUBSUB_TRUSTED_CERTIFICATES, "goes with " + PUBSUB_TLS + "=verify, and "
                    + PUBSUB_TLS + " is " + mode + ": remove one of them");
        }
        switch (mode) {
            case "verify" -> {
                if (trustedCertificatesFile != null) {
                    b.trustedCertificates(readCertificates());
                }
            }
            case "plaintext" -> b.plaintext();
            case "trust-any" -> b.trustAnyCertificate();
            default -> throw new SettingException(PUBSUB_TLS, "must be verify, plaintext or trust-any, got " + mode);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new SettingException(PUBSUB_TLS, e.getMessage());
        }
    }

    private void onlyWithPubSub(String key, String value) {
        if (value != null) {
            throw new SettingException(key, "goes with " + TRANSPORT + "=pubsub, and " + TRANSPORT + " is "
                    + transport + ": set " + TRANSPORT + "=pubsub, or remove " + key);
        }
    }

    private String readCertificates() {
        String pem;
        try {
            pem = Files.readString(Path.of(trustedCertificatesFile), StandardCharsets.ISO_8859_1);
        } catch (IOException | InvalidPathException e) {
            throw new SettingException(PUBSUB_TRUSTED_CERTIFICATES, "cannot read " + trustedCertificatesFile
                    + " on this worker: " + e);
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new SettingException(PUBSUB_TRUSTED_CERTIFICATES, trustedCertificatesFile + " holds no PEM "
                    + "certificate (-----BEGIN CERTIFICATE-----)");
        }
        return pem;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
