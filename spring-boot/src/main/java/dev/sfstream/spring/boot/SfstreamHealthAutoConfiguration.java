package dev.sfstream.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code sfstream} health contributor, when the application has Spring Boot's health support (Actuator brings
 * it); {@code management.health.sfstream.enabled=false} leaves it out.
 */
@AutoConfiguration(after = SfstreamAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(StreamingServiceLifecycle.class)
public class SfstreamHealthAutoConfiguration {
    /** Named so that its contributor is {@code sfstream}. */
    @Bean
    @ConditionalOnMissingBean(name = "sfstreamHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("sfstream")
    public SfstreamHealthIndicator sfstreamHealthIndicator(StreamingServiceLifecycle lifecycle) {
        return new SfstreamHealthIndicator(lifecycle);
    }
}
