package dev.sfstream.spring.boot;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code sfstream.replay.*} properties: settings of particular replay stores (the store itself is
 * {@code sfstream.replay-store}). Bound by Boot as part of {@link SfstreamProperties}; not thread-safe, read after
 * binding only.
 */
public class SfstreamReplayProperties {
    /** The replay store on the application's DataSource (sfstream.replay-store=jdbc). */
    @NestedConfigurationProperty
    private final SfstreamJdbcReplayProperties jdbc = new SfstreamJdbcReplayProperties();

    public SfstreamJdbcReplayProperties getJdbc() {
        return jdbc;
    }
}
