package dev.sfstream.emulator.internal;

import java.util.regex.Pattern;

/**
 * What can be a Salesforce API name, of an sObject type or a field. The emulator has no schema for standard objects,
 * so it cannot tell {@code Invoice} (no such standard object) from {@code Lead}; it refuses only what no org has: a
 * name that is not letters, digits and underscores starting with a letter, that ends with an underscore or has two
 * underscores in a row anywhere but before a suffix ({@code Invoice__c}, {@code Order_Placed__e}) and after a
 * namespace prefix ({@code acme__Invoice__c}). Stateless.
 */
final class ApiNames {
    /** One part of a name: letters and digits, single underscores between them. */
    private static final Pattern PART = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*");
    /** Salesforce's answer to a query on a type that does not exist, as its REST API words it. */
    static final String NO_SUCH_TYPE = "sObject type '%s' is not supported. If you are attempting to use a custom "
            + "object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe "
            + "call for the appropriate names.";

    private ApiNames() {
    }

    /** Whether {@code name} can be an API name: {@code Name}, {@code Name__suffix} or {@code ns__Name__suffix}. */
    static boolean isApiName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255) {
            return false;
        }
        String[] parts = name.split("__", -1);
        if (parts.length > 3) {
            return false;
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The refusal of a record of a type that cannot exist, as a query on it is refused ({@code INVALID_TYPE}). */
    static void checkType(String sobjectType) {
        if (!isApiName(sobjectType)) {
            throw new DmlException(400, "INVALID_TYPE", String.format(NO_SUCH_TYPE, sobjectType));
        }
    }

    /** The refusal of a field that cannot exist, with Salesforce's text for an unknown field. */
    static void checkField(String sobjectType, String field) {
        if (!isApiName(field)) {
            throw new DmlException(400, "INVALID_FIELD", "No such column '" + field + "' on sobject of type "
                    + sobjectType);
        }
    }
}
