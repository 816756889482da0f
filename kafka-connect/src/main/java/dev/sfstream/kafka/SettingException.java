package dev.sfstream.kafka;

import org.apache.kafka.common.config.ConfigException;

/**
 * A configuration error that knows which setting is at fault, so that
 * {@link SalesforceStreamingSourceConnector#validate(java.util.Map)} can attach it to that setting. The message names
 * the setting and never holds a secret value.
 */
final class SettingException extends ConfigException {
    private static final long serialVersionUID = 1L;

    private final String key;

    SettingException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The setting at fault. */
    String key() {
        return key;
    }
}
