package dev.sfstream.spring.boot;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Keeps sfstream's secrets out of {@code /actuator/env} and {@code /actuator/configprops} when an application lets
 * them show values: the client secret, password, security token, refresh token and access token are masked
 * whatever Boot's own rules, and the password in a {@code redis://user:password@host} or
 * {@code jdbc:postgresql://host/db?password=...} replay store location is replaced by {@code ***}.
 */
public class SfstreamSanitizingFunction implements SanitizingFunction {
    /** Key endings, lower case without separators, as in sfstream.client-secret or SFSTREAM_CLIENT_SECRET. */
    private static final List<String> SECRETS = List.of("clientsecret", "password", "securitytoken", "refreshtoken",
            "accesstoken");

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getValue() == null) {
            return data;
        }
        String key = data.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (String secret : SECRETS) {
            if (key.endsWith(secret)) {
                return data.withSanitizedValue();
            }
        }
        if (key.endsWith("replaystore")) {
            return data.withValue(StoreLocation.redact(String.valueOf(data.getValue())));
        }
        return data;
    }
}
