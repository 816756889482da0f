package dev.sfstream.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** {@link SfstreamMetrics} when the application has a Micrometer {@link MeterRegistry} (Actuator brings one). */
@AutoConfiguration(after = SfstreamAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, StreamingServiceLifecycle.class})
public class SfstreamMetricsAutoConfiguration {
    /** The meters, told by every client the lifecycle builds. */
    @Bean
    @ConditionalOnMissingBean
    public SfstreamMetrics sfstreamMetrics(MeterRegistry registry,
            ObjectProvider<StreamingServiceLifecycle> lifecycle) {
        return new SfstreamMetrics(registry, () -> {
            StreamingServiceLifecycle l = lifecycle.getIfAvailable();
            return l == null ? 0 : l.eventsWaiting();
        });
    }
}
