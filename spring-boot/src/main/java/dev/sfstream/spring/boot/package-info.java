/**
 * Spring Boot auto-configuration for sfstream: {@link dev.sfstream.spring.boot.SfstreamAutoConfiguration} (the
 * authenticator, replay store and handler service from {@code sfstream.*} properties, run by
 * {@link dev.sfstream.spring.boot.StreamingServiceLifecycle}), {@link dev.sfstream.spring.boot.SfstreamMetrics},
 * {@link dev.sfstream.spring.boot.SfstreamHealthIndicator} and the emulator as a development service.
 */
package dev.sfstream.spring.boot;
