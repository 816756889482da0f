package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionListener;
import dev.sfstream.StreamingObserver;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.replay.ReplayStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * sfstream for a Spring Boot application: the {@link Authenticator} from the credential properties, the
 * {@link ReplayStore} from {@code sfstream.replay-store}, the beans with handler methods, and the
 * {@link StreamingServiceLifecycle} that runs them. Every bean backs off when the application defines its own.
 * {@code sfstream.enabled=false} turns it all off.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "sfstream.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SfstreamProperties.class)
public class SfstreamAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SfstreamAutoConfiguration.class);

    /** The authenticator of the flow the credential properties describe. */
    @Bean
    @ConditionalOnMissingBean
    public Authenticator sfstreamAuthenticator(SfstreamProperties properties) {
        return SfstreamCredentials.authenticator(properties);
    }

    /** The replay store at {@code sfstream.replay-store}; closed with the context, after the client. */
    @Bean
    @ConditionalOnMissingBean
    public ReplayStore sfstreamReplayStore(SfstreamProperties properties) {
        String location = properties.getReplayStore();
        if (StoreLocation.inMemory(location)) {
            LOG.warn("sfstream: replay markers are kept in memory (sfstream.replay-store={}): after a restart every "
                    + "channel starts from sfstream.replay-from ({}); set a file or redis:// location to resume",
                    location, properties.getReplayFrom());
        }
        try {
            return ReplayStore.open(location);
        } catch (IllegalArgumentException e) {
            String shown = StoreLocation.redact(location);
            throw new SfstreamPropertyException("sfstream.replay-store", shown,
                    String.valueOf(e.getMessage()).replace(location, shown));
        }
    }

    /** Finds the beans with handler methods as the context creates them. */
    @Bean
    @ConditionalOnMissingBean
    public static HandlerBeans sfstreamHandlerBeans() {
        return new HandlerBeans();
    }

    /** Runs the handler beans' service: starts it late, stops it first. */
    @Bean
    @ConditionalOnMissingBean
    public StreamingServiceLifecycle streamingServiceLifecycle(SfstreamProperties properties,
            Authenticator authenticator, ReplayStore replayStore, HandlerBeans handlerBeans,
            ObjectProvider<StreamingClientCustomizer> clientCustomizers,
            ObjectProvider<StreamingServiceCustomizer> serviceCustomizers,
            ObjectProvider<StreamingObserver> observers, ObjectProvider<ConnectionListener> connectionListeners,
            ObjectProvider<HandlerFailureListener> failureListeners,
            ObjectProvider<TransportSettings> transportSettings) {
        return new StreamingServiceLifecycle(properties, authenticator, replayStore, handlerBeans, clientCustomizers,
                serviceCustomizers, observers, connectionListeners, failureListeners, transportSettings);
    }

    /** Masks sfstream's secrets in the Actuator endpoints that can show property values. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
    static class Sanitizing {
        @Bean
        @ConditionalOnMissingBean
        SfstreamSanitizingFunction sfstreamSanitizingFunction() {
            return new SfstreamSanitizingFunction();
        }
    }
}
