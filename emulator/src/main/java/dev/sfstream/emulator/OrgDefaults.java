package dev.sfstream.emulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The org's users and connected apps as built: the configured ones, with the defaults where they are missing. */
final class OrgDefaults {
    private OrgDefaults() {
    }

    /** The configured users, or the default user alone; each username once, whatever its case. */
    static List<EmulatorUser> users(List<EmulatorUser> configured) {
        List<EmulatorUser> all = new ArrayList<>(configured);
        if (all.isEmpty()) {
            all.add(new EmulatorUser(Emulator.DEFAULT_USERNAME, Emulator.DEFAULT_PASSWORD, "", "Dev", "User"));
        }
        Set<String> names = new HashSet<>();
        for (EmulatorUser u : all) {
            if (!names.add(u.username().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("user " + u.username() + " is configured twice");
            }
        }
        return all;
    }

    /** The default app (running the client credentials flow as the first user) unless replaced, then the others. */
    static List<ConnectedApp> apps(List<ConnectedApp> configured, EmulatorUser first) {
        List<ConnectedApp> all = new ArrayList<>();
        if (configured.stream().noneMatch(a -> a.clientId().equals(Emulator.DEFAULT_CLIENT_ID))) {
            all.add(new ConnectedApp(Emulator.DEFAULT_CLIENT_ID, Emulator.DEFAULT_CLIENT_SECRET, null,
                    first.username()));
        }
        all.addAll(configured);
        return all;
    }
}
