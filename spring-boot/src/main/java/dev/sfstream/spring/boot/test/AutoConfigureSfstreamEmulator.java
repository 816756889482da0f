package dev.sfstream.spring.boot.test;

import dev.sfstream.spring.boot.SfstreamAutoConfiguration;
import dev.sfstream.spring.boot.SfstreamEmulatorAutoConfiguration;
import dev.sfstream.spring.boot.SfstreamHealthAutoConfiguration;
import dev.sfstream.spring.boot.SfstreamMetricsAutoConfiguration;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Runs a test's application against a local Salesforce org: the emulator (module sfstream-emulator, test scope)
 * starts inside the test's context on a free loopback port, the client logs in to it, and the {@code Emulator} is a
 * bean to inject, to create records, publish events and cause faults. The same as
 * {@code sfstream.emulator.enabled=true}.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureSfstreamEmulator
 * class LeadHandlerTest {
 *     @Autowired Emulator emulator;
 *     ...
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration({SfstreamEmulatorAutoConfiguration.class, SfstreamAutoConfiguration.class,
        SfstreamMetricsAutoConfiguration.class, SfstreamHealthAutoConfiguration.class})
@PropertyMapping("sfstream.emulator")
public @interface AutoConfigureSfstreamEmulator {
    /** Whether the emulator starts. */
    boolean enabled() default true;

    /** The port it listens on, on 127.0.0.1; 0 picks a free one. */
    int port() default 0;
}
