package dev.sfstream.emulator.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A declared platform event: its API name as declared and its custom fields. Publishing a field it does not have is
 * refused, every declared field is in the payload, and the schema ID follows the declaration.
 */
public final class PlatformEventSchema {
    private final String name;
    private final List<String> fields;
    private final Map<String, String> byLowerCase = new LinkedHashMap<>();

    /**
     * @param name the event's API name, such as {@code Order_Placed__e}
     * @param fields the custom fields' API names, in declaration order
     */
    public PlatformEventSchema(String name, List<String> fields) {
        this.name = Objects.requireNonNull(name, "name");
        this.fields = List.copyOf(fields);
        this.fields.forEach(f -> byLowerCase.put(f.toLowerCase(Locale.ROOT), f));
    }

    /**
     * A declaration as {@code Emulator.Builder.platformEvent} takes it, checked: the name ends in {@code __e}, each
     * field is a custom field's API name ({@code __c}), declared once.
     *
     * @throws IllegalArgumentException naming the event and what is wrong
     */
    public static PlatformEventSchema declare(String name, String... fields) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*__e")) {
            throw new IllegalArgumentException("a platform event's name is letters, digits and underscores "
                    + "ending in __e, such as Order_Placed__e; got '" + name + "'");
        }
        List<String> declared = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String field : fields) {
            if (field == null || !field.matches("[A-Za-z][A-Za-z0-9_]*__c")) {
                throw new IllegalArgumentException("platform event " + name + ": " + (field == null
                        ? "a field name is missing" : "'" + field + "' is not a custom field's API name")
                        + "; declare custom fields such as Amount__c (the standard fields come by themselves)");
            }
            if (!seen.add(field.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("platform event " + name + ": field " + field
                        + " is declared twice");
            }
            declared.add(field);
        }
        return new PlatformEventSchema(name, declared);
    }

    public String name() {
        return name;
    }

    public List<String> fields() {
        return fields;
    }

    /** The declared spelling of a field, looked up case-insensitively, or {@code null} when it is not declared. */
    String field(String anyCase) {
        return byLowerCase.get(anyCase.toLowerCase(Locale.ROOT));
    }
}
