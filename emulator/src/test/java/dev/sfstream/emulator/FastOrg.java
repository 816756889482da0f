package dev.sfstream.emulator;

import java.time.Duration;

/** Emulator settings for tests: silent, with long polls of 2 s and a 3 s reconnect timeout, so faults show fast. */
final class FastOrg {
    private FastOrg() {
    }

    static Emulator.Builder fast(Emulator.Builder builder) {
        return builder.quiet(true).longPollTimeout(Duration.ofSeconds(2)).reconnectTimeout(Duration.ofSeconds(3));
    }

    static Emulator.Builder fast() {
        return fast(Emulator.builder());
    }
}
