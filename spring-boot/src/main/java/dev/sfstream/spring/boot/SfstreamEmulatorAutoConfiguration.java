package dev.sfstream.spring.boot;

import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.PubSubSettings;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The emulator as a development service, as Spring Boot's own development services start a database: with
 * {@code sfstream.emulator.enabled=true} and module sfstream-emulator on the classpath, a local Salesforce org starts
 * inside the application, on 127.0.0.1, and the client logs in to it as the emulator's default user through its
 * default connected app (the credential properties are not used). The {@link Emulator} is a bean, so that the
 * application's tests and development tools can create records and cause faults. It stops with the context, after
 * the client.
 */
@AutoConfiguration(before = SfstreamAutoConfiguration.class)
@ConditionalOnClass(Emulator.class)
@ConditionalOnBooleanProperty(name = "sfstream.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("sfstream.emulator.enabled")
@EnableConfigurationProperties(SfstreamProperties.class)
public class SfstreamEmulatorAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SfstreamEmulatorAutoConfiguration.class);

    /** A local org, started; its Pub/Sub API only when the Pub/Sub transport is chosen. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Emulator sfstreamEmulator(SfstreamProperties properties) {
        SfstreamProperties.Emulator settings = properties.getEmulator();
        boolean pubSub = !"bayeux".equalsIgnoreCase(properties.getTransport().trim());
        Emulator.Builder builder = Emulator.builder().quiet(true).port(settings.getPort())
                .pubSub(PubSubSettings.defaults().enabled(pubSub));
        if (settings.getDataFile() != null) {
            builder.dataFile(settings.getDataFile());
        }
        settings.getPlatformEvents().forEach((name, fields) -> builder.platformEvent(name,
                fields.toArray(String[]::new)));
        Emulator emulator = builder.build().start();
        LOG.info("sfstream: the emulator (a local Salesforce org) listens on {}; the client logs in there as {}{}",
                emulator.url(), Emulator.DEFAULT_USERNAME,
                settings.getDataFile() != null ? ", records kept in " + settings.getDataFile() : "");
        return emulator;
    }

    /** With {@code sfstream.transport=pubsub}, the Pub/Sub transport connects to the emulator's Pub/Sub API. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "sfstream.transport", havingValue = "pubsub")
    public TransportSettings sfstreamEmulatorTransportSettings(Emulator emulator) {
        return new TransportSettings(Map.of("endpoint", emulator.pubSubEndpoint(), "tls", "trust-any"));
    }

    /** Logs in to the emulator as its default user, through its default connected app. */
    @Bean
    @ConditionalOnMissingBean
    public Authenticator sfstreamAuthenticator(Emulator emulator) {
        return PasswordAuthenticator.builder().loginUrl(emulator.url())
                .consumerKey(Emulator.DEFAULT_CLIENT_ID).consumerSecret(Emulator.DEFAULT_CLIENT_SECRET)
                .username(Emulator.DEFAULT_USERNAME).password(Emulator.DEFAULT_PASSWORD).build();
    }
}
