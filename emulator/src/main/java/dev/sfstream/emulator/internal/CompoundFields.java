package dev.sfstream.emulator.internal;

import java.util.List;
import java.util.Locale;

/**
 * The compound fields of a change event: the component fields a record stores flat ({@code FirstName},
 * {@code BillingCity}) travel nested in their compound field ({@code Name}, {@code BillingAddress}), and
 * {@code changedFields} names them {@code Name.FirstName}, {@code BillingAddress.City}, as Salesforce's "Get Compound
 * Fields in Change Events" page shows. The component order is the order of the compound field's record in the event's
 * Avro schema, which the Pub/Sub API's bitmaps index.
 */
final class CompoundFields {
    /** The components of a person's Name (Lead, Contact), in schema order. */
    static final List<String> NAME = List.of("Salutation", "FirstName", "LastName", "MiddleName", "InformalName",
            "Suffix");
    /** The components of an address, in schema order; Latitude and Longitude are numbers. */
    static final List<String> ADDRESS = List.of("Street", "City", "State", "PostalCode", "Country", "StateCode",
            "CountryCode", "Latitude", "Longitude", "GeocodeAccuracy");
    private static final List<String> ADDRESS_PREFIXES = List.of("Billing", "Shipping", "Mailing", "Other");

    /** A record field as a component of a compound field: {@code Name} and {@code FirstName}. */
    record Component(String compound, String component) {
        /** The name {@code changedFields} uses: {@code Name.FirstName}. */
        String path() {
            return compound + "." + component;
        }
    }

    private CompoundFields() {
    }

    /** Whether a type's compound Name is made of FirstName and LastName: Lead and Contact. */
    static boolean isPerson(String type) {
        return type.equalsIgnoreCase("Lead") || type.equalsIgnoreCase("Contact");
    }

    /**
     * The compound field a record field belongs to in a change event of the type, or {@code null} for a field that
     * travels on its own. A person's {@code Name} itself is the compound: the record's derived Name text is left out.
     */
    static Component of(String type, String field) {
        if (isPerson(type) && NAME.contains(field)) {
            return new Component("Name", field);
        }
        for (String prefix : ADDRESS_PREFIXES) {
            if (field.startsWith(prefix) && ADDRESS.contains(field.substring(prefix.length()))) {
                return new Component(prefix + "Address", field.substring(prefix.length()));
            }
        }
        if (type.toLowerCase(Locale.ROOT).equals("lead") && ADDRESS.contains(field)) {
            return new Component("Address", field);
        }
        return null;
    }

    /** Whether a record field is left out of change events: the person's Name text, which the compound replaces. */
    static boolean isDerived(String type, String field) {
        return isPerson(type) && field.equalsIgnoreCase("Name");
    }

    /** The components of a compound field, in schema order. */
    static List<String> componentsOf(String compound) {
        return compound.equals("Name") ? NAME : ADDRESS;
    }

    /** Whether a component holds a number. */
    static boolean isNumber(String component) {
        return component.equals("Latitude") || component.equals("Longitude");
    }
}
