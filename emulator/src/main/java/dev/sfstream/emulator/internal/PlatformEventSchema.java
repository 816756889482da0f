package dev.sfstream.emulator.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A declared platform event: its API name as declared and its custom fields. Publishing a field it does not have is
 * refused, every declared field is in the payload, and the schema ID follows the declaration.
 *
 * @param name the event's API name, such as {@code Order_Placed__e}
 * @param fields the custom fields' API names, in declaration order
 */
public record PlatformEventSchema(String name, List<String> fields) {
    public PlatformEventSchema {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
    }

    /** The declared spelling of a field, looked up case-insensitively, or {@code null} when it is not declared. */
    String field(String anyCase) {
        return byLowerCase().get(anyCase.toLowerCase(Locale.ROOT));
    }

    private Map<String, String> byLowerCase() {
        return fields.stream().collect(Collectors.toMap(f -> f.toLowerCase(Locale.ROOT), Function.identity()));
    }
}
