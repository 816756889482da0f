package dev.sfstream.spring.boot;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ReplayStoreException;
import dev.sfstream.StreamingObserver;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.replay.ReplayStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * sfstream for a Spring Boot application: the {@link Authenticator} from the credential properties, the
 * {@link ReplayStore} from {@code sfstream.replay-store}, the beans with handler methods, and the
 * {@link StreamingServiceLifecycle} that runs them. Every bean backs off when the application defines its own.
 * {@code sfstream.enabled=false} turns it all off.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "sfstream.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SfstreamProperties.class)
public class SfstreamAutoConfiguration implements BeanClassLoaderAware {
    private static final Logger LOG = LoggerFactory.getLogger(SfstreamAutoConfiguration.class);

    private ClassLoader classLoader = SfstreamAutoConfiguration.class.getClassLoader();

    /** The application's class loader: which optional modules it has decides what a store error says to add. */
    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** The authenticator of the flow the credential properties describe. */
    @Bean
    @ConditionalOnMissingBean
    public Authenticator sfstreamAuthenticator(SfstreamProperties properties) {
        return SfstreamCredentials.authenticator(properties);
    }

    /**
     * The replay store at {@code sfstream.replay-store}; closed with the context, after the client. The store on the
     * application's DataSource ({@code jdbc}) comes from {@link SfstreamJdbcAutoConfiguration}.
     */
    @Bean
    @ConditionalOnMissingBean
    public ReplayStore sfstreamReplayStore(SfstreamProperties properties) {
        String location = properties.getReplayStore();
        String group = properties.getExclusive().getGroup();
        if (StoreLocation.dataSource(location)) {
            throw new SfstreamPropertyException("sfstream.replay-store", location, dataSourceMissing());
        }
        if (group != null && StoreLocation.inMemory(location)) {
            throw new SfstreamPropertyException("sfstream.exclusive.group", group, "replicas need a replay store "
                    + "they share and that elects one consumer among them (Redis or JDBC), and sfstream.replay-store "
                    + "is memory: (this process only): set it to redis://..., jdbc:postgresql://... or jdbc (the "
                    + "application's DataSource)");
        }
        if (StoreLocation.inMemory(location)) {
            LOG.warn("sfstream: replay markers are kept in memory (sfstream.replay-store={}): after a restart every "
                    + "channel starts from sfstream.replay-from ({}); set a file or redis:// location to resume",
                    location, properties.getReplayFrom());
        }
        try {
            return ReplayStore.open(location);
        } catch (IllegalArgumentException | ReplayStoreException e) {
            // Not there (no module for it, a bad location) or not usable (unreachable, refused): either way the
            // property is what to look at. The stores redact their own messages; the location is replaced in case.
            String shown = StoreLocation.redact(location);
            throw new SfstreamPropertyException("sfstream.replay-store", shown,
                    StoreLocation.redact(String.valueOf(e.getMessage()).replace(location, shown)));
        }
    }

    /** Why {@code sfstream.replay-store=jdbc} found no DataSource to keep the markers in. */
    private String dataSourceMissing() {
        ClassLoader loader = classLoader;
        if (!ClassUtils.isPresent("dev.sfstream.jdbc.JdbcReplayStore", loader)) {
            return "jdbc keeps the markers in the application's DataSource and needs module sfstream-jdbc: add "
                    + "dev.sfstream:sfstream-jdbc to the application's dependencies";
        }
        if (!ClassUtils.isPresent("org.springframework.jdbc.datasource.DataSourceUtils", loader)
                || !ClassUtils.isPresent("org.springframework.transaction.support.TransactionTemplate", loader)) {
            return "jdbc keeps the markers in the application's DataSource and needs Spring's JDBC support: add "
                    + "spring-boot-starter-jdbc (or spring-boot-starter-data-jpa) to the application's dependencies";
        }
        return "jdbc keeps the markers in the application's DataSource, and the application has no single "
                + "DataSource bean (none, or several and none of them @Primary): set spring.datasource.url, or use "
                + "a jdbc:postgresql://... location for a database of sfstream's own";
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
