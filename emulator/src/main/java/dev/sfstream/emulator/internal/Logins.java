package dev.sfstream.emulator.internal;

import dev.sfstream.emulator.ConnectedApp;
import dev.sfstream.emulator.Emulator;
import dev.sfstream.emulator.EmulatorUser;
import java.util.ArrayList;
import java.util.List;

/** The ways to log in to an emulated org, as it prints them and as its exposure warning names the public ones. */
public final class Logins {
    private Logins() {
    }

    /**
     * How to log in, one line per user and connected app. The well-known default password and secret are shown;
     * those that came from a configuration are not (they are the configuration's to keep).
     */
    public static List<String> describe(Settings settings) {
        List<String> lines = new ArrayList<>();
        for (EmulatorUser user : settings.users()) {
            lines.add("user " + user.username() + (isDefault(user) ? ", password " + Emulator.DEFAULT_PASSWORD
                    : " (password as configured)"));
        }
        for (ConnectedApp app : settings.apps()) {
            lines.add("connected app: client id " + app.clientId() + (isDefault(app) ? ", secret "
                    + Emulator.DEFAULT_CLIENT_SECRET : " (secret as configured)") + (app.runAsUsername() == null ? ""
                    : "; client credentials run as " + app.runAsUsername()));
        }
        return lines;
    }

    /** The default credentials still in place, which anyone who read the README knows. */
    public static List<String> wellKnown(Settings settings) {
        List<String> known = new ArrayList<>();
        for (EmulatorUser user : settings.users()) {
            if (isDefault(user)) {
                known.add("user " + Emulator.DEFAULT_USERNAME + " / " + Emulator.DEFAULT_PASSWORD);
            }
        }
        for (ConnectedApp app : settings.apps()) {
            if (isDefault(app)) {
                known.add("connected app " + Emulator.DEFAULT_CLIENT_ID + " / " + Emulator.DEFAULT_CLIENT_SECRET
                        + (app.runAsUsername() == null ? "" : ", whose client credentials flow logs in as "
                        + app.runAsUsername() + " with no password"));
            }
        }
        return known;
    }

    private static boolean isDefault(EmulatorUser user) {
        return user.username().equals(Emulator.DEFAULT_USERNAME) && user.password().equals(Emulator.DEFAULT_PASSWORD);
    }

    private static boolean isDefault(ConnectedApp app) {
        return app.clientId().equals(Emulator.DEFAULT_CLIENT_ID)
                && app.clientSecret().equals(Emulator.DEFAULT_CLIENT_SECRET);
    }
}
