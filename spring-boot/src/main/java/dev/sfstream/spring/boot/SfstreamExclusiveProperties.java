package dev.sfstream.spring.boot;

import java.time.Duration;

/**
 * The {@code sfstream.exclusive.*} properties: replicas of the application that share its channels, of which one
 * consumes and the others wait (the client's {@code exclusive(group).leaseTtl(ttl)}). Bound by Boot as part of
 * {@link SfstreamProperties}; not thread-safe, read after binding only.
 */
public class SfstreamExclusiveProperties {
    /**
     * Name of the exclusive group this application is a replica of: only the replica holding the group's lease
     * consumes, the others wait as standbys and one takes over when it stops or dies. Needs a replay store the
     * replicas share and that elects: redis://..., jdbc:postgresql://... or jdbc. Unset: every instance
     * consumes.
     */
    private String group;

    /**
     * How long the lease lasts without renewal (renewed every third of it): a standby takes over within about
     * this long plus a third after the active replica dies, and at once after it shuts down.
     */
    private Duration leaseTtl = Duration.ofSeconds(15);

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public Duration getLeaseTtl() {
        return leaseTtl;
    }

    public void setLeaseTtl(Duration leaseTtl) {
        this.leaseTtl = leaseTtl;
    }
}
