package dev.sfstream.emulator.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
