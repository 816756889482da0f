package dev.sfstream.emulator;

import java.util.Objects;

/**
 * A user of the emulated org. The password flow accepts {@code password} followed by {@code securityToken} (empty
 * by default, so the password alone works), as Salesforce does.
 *
 * @param username the login, such as {@code dev@sfstream.local}
 * @param password the password
 * @param securityToken appended to the password in the OAuth password flow; empty for none
 * @param firstName first name, for the User record
 * @param lastName last name, for the User record
 */
public record EmulatorUser(String username, String password, String securityToken, String firstName,
        String lastName) {
    public EmulatorUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        securityToken = securityToken == null ? "" : securityToken;
        firstName = firstName == null ? "" : firstName;
        lastName = lastName == null || lastName.isEmpty() ? username : lastName;
    }

    /** A user with a username and password and no security token. */
    public static EmulatorUser of(String username, String password) {
        return new EmulatorUser(username, password, "", "", username);
    }

    @Override
    public String toString() {
        return "EmulatorUser[username=" + username + ", password=***, securityToken=***]";
    }
}
