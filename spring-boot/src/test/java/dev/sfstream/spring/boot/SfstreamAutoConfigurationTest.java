package dev.sfstream.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sfstream.ConnectionListener;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingObserver;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.auth.ClientCredentialsAuthenticator;
import dev.sfstream.auth.JwtBearerAuthenticator;
import dev.sfstream.auth.PasswordAuthenticator;
import dev.sfstream.auth.RefreshTokenAuthenticator;
import dev.sfstream.auth.SfCliAuthenticator;
import dev.sfstream.auth.StaticTokenAuthenticator;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.jdbc.JdbcReplayStore;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.service.Subscribe;
import dev.sfstream.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Every condition and property of the auto-configuration, in contexts that never reach Salesforce: the client is
 * built, not connected (no handler beans, or {@code auto-startup=false}).
 */
class SfstreamAutoConfigurationTest {
    static final String[] PASSWORD_FLOW = {"sfstream.client-id=app", "sfstream.client-secret=app-secret-3141",
        "sfstream.username=integration@acme.test", "sfstream.password=pa55-2718"};

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SfstreamEmulatorAutoConfiguration.class,
                    SfstreamAutoConfiguration.class, SfstreamMetricsAutoConfiguration.class,
                    SfstreamHealthAutoConfiguration.class))
            .withPropertyValues("sfstream.auto-startup=false");

    @Test
    void passwordCredentialsGiveOneOfEachBean() {
        runner.withPropertyValues(PASSWORD_FLOW).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).getBean(Authenticator.class).isInstanceOf(PasswordAuthenticator.class);
            assertThat(ctx).hasSingleBean(ReplayStore.class);
            assertThat(ctx).hasSingleBean(HandlerBeans.class);
            assertThat(ctx).hasSingleBean(StreamingServiceLifecycle.class);
            assertThat(ctx).hasSingleBean(SfstreamHealthIndicator.class);
            assertThat(ctx).hasSingleBean(SfstreamSanitizingFunction.class);
            assertThat(ctx).doesNotHaveBean(SfstreamMetrics.class); // no MeterRegistry
            assertThat(ctx).doesNotHaveBean(Emulator.class);
            StreamingServiceLifecycle lifecycle = ctx.getBean(StreamingServiceLifecycle.class);
            assertThat(lifecycle.getPhase()).isEqualTo(Integer.MAX_VALUE - 100);
            assertThat(lifecycle.isAutoStartup()).isFalse();
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(lifecycle.status().stateReason()).isEqualTo("no handler beans");
            assertThat(ctx.getBean(Authenticator.class).toString()).doesNotContain("pa55-2718", "app-secret-3141");
        });
    }

    @Test
    void theFlowFollowsFromTheCredentialsSet(@TempDir Path dir) throws Exception {
        runner.withPropertyValues("sfstream.client-id=app", "sfstream.refresh-token=5Aep861")
                .run(ctx -> assertThat(ctx).getBean(Authenticator.class)
                        .isInstanceOf(RefreshTokenAuthenticator.class));
        runner.withPropertyValues("sfstream.client-id=app", "sfstream.client-secret=s")
                .run(ctx -> assertThat(ctx).getBean(Authenticator.class)
                        .isInstanceOf(ClientCredentialsAuthenticator.class));
        runner.withPropertyValues("sfstream.access-token=00Dxx!AQ",
                "sfstream.instance-url=https://acme.my.salesforce.com")
                .run(ctx -> assertThat(ctx).getBean(Authenticator.class)
                        .isInstanceOf(StaticTokenAuthenticator.class));
        runner.withPropertyValues("sfstream.target-org=dev")
                .run(ctx -> assertThat(ctx).getBean(Authenticator.class).isInstanceOf(SfCliAuthenticator.class));
        Path key = dir.resolve("app.key");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.generateKeyPair().getPrivate()
                        .getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        runner.withPropertyValues("sfstream.client-id=app", "sfstream.username=ci@acme.test",
                "sfstream.jwt-key-file=" + key).run(ctx -> assertThat(ctx).getBean(Authenticator.class)
                        .isInstanceOf(JwtBearerAuthenticator.class));
    }

    @Test
    void missingOrConflictingCredentialsFailNamingThePropertyAndNoSecret() {
        failsNaming(runner, "sfstream.client-id", "no credentials");
        failsNaming(runner.withPropertyValues("sfstream.username=u", "sfstream.password=pa55-2718",
                "sfstream.client-id=app"), "sfstream.client-secret", "consumer secret");
        failsNaming(runner.withPropertyValues("sfstream.username=u", "sfstream.client-id=app",
                "sfstream.client-secret=app-secret-3141"), "sfstream.password", "needs the password");
        failsNaming(runner.withPropertyValues("sfstream.access-token=00Dxx!AQ"), "sfstream.instance-url",
                "instance URL");
        failsNaming(runner.withPropertyValues("sfstream.client-id=app"), "sfstream.client-secret", "client-id alone");
        failsNaming(runner.withPropertyValues("sfstream.target-org=dev", "sfstream.password=pa55-2718"),
                "sfstream.target-org", "sfstream.password");
        failsNaming(runner.withPropertyValues("sfstream.client-id=app", "sfstream.username=u",
                "sfstream.jwt-key-file=/nonexistent/app.key"), "sfstream.jwt-key-file", "cannot read");
    }

    private static void failsNaming(ApplicationContextRunner runner, String property, String reason) {
        runner.run(ctx -> {
            assertThat(ctx).hasFailed();
            String messages = messages(ctx.getStartupFailure());
            assertThat(messages).contains(property).contains(reason).doesNotContain("pa55-2718", "app-secret-3141");
        });
    }

    static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable e = t; e != null; e = e.getCause()) {
            all.append(e).append('\n');
        }
        return all.toString();
    }

    @Test
    void disabledConfiguresNothing() {
        runner.withPropertyValues(PASSWORD_FLOW).withPropertyValues("sfstream.enabled=false",
                "sfstream.emulator.enabled=true").withBean(SimpleMeterRegistry.class).run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).doesNotHaveBean(Authenticator.class);
                    assertThat(ctx).doesNotHaveBean(StreamingServiceLifecycle.class);
                    assertThat(ctx).doesNotHaveBean(SfstreamMetrics.class);
                    assertThat(ctx).doesNotHaveBean(SfstreamHealthIndicator.class);
                    assertThat(ctx).doesNotHaveBean(Emulator.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        Authenticator myAuthenticator() {
            return StaticTokenAuthenticator.of("https://acme.my.salesforce.com", "00Dxx!AQ");
        }

        @Bean
        ReplayStore myStore() {
            return ReplayStore.inMemory();
        }

        @Bean
        SfstreamMetrics myMetrics() {
            return new SfstreamMetrics(new SimpleMeterRegistry(), () -> 0);
        }

        @Bean
        HealthIndicator sfstreamHealthIndicator() {
            return () -> org.springframework.boot.health.contributor.Health.up().build();
        }
    }

    @Test
    void everyBeanBacksOffForTheApplicationsOwn() {
        runner.withUserConfiguration(OwnBeans.class).withBean(SimpleMeterRegistry.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).getBean(Authenticator.class).isSameAs(ctx.getBean("myAuthenticator"));
            assertThat(ctx).getBean(ReplayStore.class).isSameAs(ctx.getBean("myStore"));
            assertThat(ctx).getBean(SfstreamMetrics.class).isSameAs(ctx.getBean("myMetrics"));
            assertThat(ctx).getBean("sfstreamHealthIndicator").isNotInstanceOf(SfstreamHealthIndicator.class);
        });
        runner.withPropertyValues(PASSWORD_FLOW).withUserConfiguration(OwnLifecycle.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(StreamingServiceLifecycle.class);
            assertThat(ctx).hasBean("myLifecycle");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLifecycle {
        @Bean
        StreamingServiceLifecycle myLifecycle(SfstreamProperties properties, Authenticator authenticator,
                ReplayStore store, HandlerBeans handlers, ObjectProvider<StreamingClientCustomizer> clients,
                ObjectProvider<StreamingServiceCustomizer> services, ObjectProvider<StreamingObserver> observers,
                ObjectProvider<ConnectionListener> listeners, ObjectProvider<HandlerFailureListener> failures,
                ObjectProvider<TransportSettings> transportSettings) {
            return new StreamingServiceLifecycle(properties, authenticator, store, handlers, clients, services,
                    observers, listeners, failures, transportSettings);
        }
    }

    @Test
    void metricsWithARegistryHealthWithActuatorEmulatorWithItsModule() {
        runner.withPropertyValues(PASSWORD_FLOW).withBean(SimpleMeterRegistry.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(SfstreamMetrics.class);
            assertThat(ctx.getBean(MeterRegistry.class).find(SfstreamMetrics.WAITING).gauge()).isNotNull();
        });
        runner.withPropertyValues(PASSWORD_FLOW).withBean(SimpleMeterRegistry.class)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class, HealthIndicator.class))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).hasSingleBean(StreamingServiceLifecycle.class);
                    assertThat(ctx).doesNotHaveBean(SfstreamMetrics.class);
                    assertThat(ctx).doesNotHaveBean(SfstreamHealthIndicator.class);
                });
        runner.withPropertyValues(PASSWORD_FLOW).withPropertyValues("management.health.sfstream.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(SfstreamHealthIndicator.class));
        runner.withPropertyValues(PASSWORD_FLOW).withPropertyValues("sfstream.emulator.enabled=true")
                .withClassLoader(new FilteredClassLoader(Emulator.class))
                .run(ctx -> {
                    assertThat(ctx).doesNotHaveBean(Emulator.class);
                    assertThat(ctx).getBean(Authenticator.class).isInstanceOf(PasswordAuthenticator.class);
                });
    }

    @Test
    void replayStoreJdbcWithoutADataSourceSaysWhatToAdd() {
        ApplicationContextRunner jdbc = runner.withConfiguration(AutoConfigurations.of(
                SfstreamJdbcAutoConfiguration.class)).withPropertyValues(PASSWORD_FLOW)
                .withPropertyValues("sfstream.replay-store=jdbc");
        failsNaming(jdbc.withClassLoader(new FilteredClassLoader(JdbcReplayStore.class)), "sfstream.replay-store",
                "add dev.sfstream:sfstream-jdbc");
        failsNaming(jdbc.withClassLoader(new FilteredClassLoader(DataSourceUtils.class)), "sfstream.replay-store",
                "add spring-boot-starter-jdbc");
        failsNaming(jdbc, "sfstream.replay-store", "no single DataSource bean");
    }

    @Configuration(proxyBeanMethods = false)
    static class DataSourceAndOwnStore {
        @Bean
        DriverManagerDataSource dataSource() {
            return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/never-connected");
        }

        @Bean
        JdbcTransactionManager transactionManager(DriverManagerDataSource dataSource) {
            return new JdbcTransactionManager(dataSource);
        }

        @Bean
        ReplayStore myStore() {
            return ReplayStore.inMemory();
        }
    }

    @Test
    void transactionalHandlersNeedTheStoreOnTheDataSource() {
        ApplicationContextRunner jdbc = runner.withConfiguration(AutoConfigurations.of(
                SfstreamJdbcAutoConfiguration.class)).withPropertyValues(PASSWORD_FLOW)
                .withPropertyValues("sfstream.replay-store=jdbc").withUserConfiguration(DataSourceAndOwnStore.class);
        failsNaming(jdbc, "sfstream.replay.jdbc.transactional", "not a JdbcReplayStore on its DataSource");
        jdbc.withPropertyValues("sfstream.replay.jdbc.transactional=false").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).getBean(ReplayStore.class).isSameAs(ctx.getBean("myStore"));
            assertThat(ctx).doesNotHaveBean(TransactionalHandlers.class);
        });
    }

    @Test
    void anExclusiveGroupMakesEachClientAReplicaOfIt() {
        assertThat(StreamingServiceLifecycle.group("orders", Transport.bayeux())).isEqualTo("orders");
        // The Pub/Sub client's channels may be held by another replica than the Streaming API client's.
        Transport pubSub = Transport.named("pubsub");
        assertThat(StreamingServiceLifecycle.group("orders", pubSub)).isEqualTo("orders:pubsub");
        runner.withPropertyValues(PASSWORD_FLOW).withPropertyValues("sfstream.exclusive.group=orders")
                .withUserConfiguration(OwnLeasedStore.class).withUserConfiguration(Handlers.class).run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    SfstreamStatus status = ctx.getBean(StreamingServiceLifecycle.class).status();
                    assertThat(status.replicas()).isEmpty(); // not started: no client has a part yet
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLeasedStore {
        @Bean
        ReplayStore myStore() {
            return ReplayStore.inMemory(); // elects among clients of this JVM: enough for a context that never starts
        }
    }

    @Test
    void theEmulatorDevelopmentServiceStartsAnOrgAndLogsInToIt() {
        runner.withPropertyValues("sfstream.emulator.enabled=true").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            Emulator emulator = ctx.getBean(Emulator.class);
            assertThat(emulator.url()).startsWith("http://127.0.0.1:");
            Authenticator auth = ctx.getBean(Authenticator.class);
            assertThat(auth.token().instanceUrl().toString()).isEqualTo(emulator.url());
        });
    }

    /** A handler bean, plain. */
    static class Orders {
        @Subscribe("/event/Order_Placed__e")
        void onOrder(String channel, StreamingEvent event) {
        }
    }

    /** A handler bean whose class is proxied, as @Transactional would. */
    static class Invoices {
        @Subscribe("/event/Invoice_Paid__e")
        void onInvoice(String channel, StreamingEvent event) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @Bean
        Orders orders() {
            return new Orders();
        }

        @Bean
        Invoices invoices() {
            return new Invoices();
        }

        @Bean
        static BeanPostProcessor proxyInvoices() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof Invoices) {
                        ProxyFactory factory = new ProxyFactory(bean);
                        factory.setProxyTargetClass(true);
                        return factory.getProxy();
                    }
                    return bean;
                }
            };
        }
    }

    @Test
    void handlerBeansAreFoundByTheirOwnClassProxiesIncluded() {
        runner.withPropertyValues(PASSWORD_FLOW).withUserConfiguration(Handlers.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            StreamingServiceLifecycle lifecycle = ctx.getBean(StreamingServiceLifecycle.class);
            assertThat(lifecycle.handlerBeans()).extracting(HandlerBeans.HandlerBean::name)
                    .containsExactlyInAnyOrder("orders", "invoices");
            HandlerBeans.HandlerBean invoices = lifecycle.handlerBeans().stream()
                    .filter(h -> h.name().equals("invoices")).findFirst().orElseThrow();
            assertThat(AopUtils.isCglibProxy(invoices.bean())).isTrue();
            assertThat(invoices.type()).isEqualTo(Invoices.class);
            assertThat(lifecycle.isRunning()).isFalse(); // auto-startup=false: nothing connected
            assertThat(lifecycle.status().stateReason()).isEqualTo("not started");
        });
    }

    static class WrongSignature {
        @Subscribe("/event/Order_Placed__e")
        void wrong(StreamingEvent event) {
        }
    }

    @Test
    void aWrongHandlerSignatureFailsTheStartWithTheMethodsName() {
        runner.withPropertyValues(PASSWORD_FLOW).withBean(WrongSignature.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(messages(ctx.getStartupFailure())).contains("WrongSignature.wrong(StreamingEvent)")
                    .contains("(String channel, EVENT event)");
        });
    }
}
