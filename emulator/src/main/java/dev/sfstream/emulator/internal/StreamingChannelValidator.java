package dev.sfstream.emulator.internal;

import java.util.List;
import java.util.Map;

/** A generic streaming channel is named {@code /u/...} and its name is unique, without regard to case. */
final class StreamingChannelValidator implements OrgData.Validator {
    @Override
    public void validate(OrgData org, Map<String, Object> merged, Map<String, Object> incoming, String existingId) {
        String name = String.valueOf(merged.get("Name"));
        if (!name.startsWith("/u/") || name.length() < 4) {
            throw new DmlException(400, List.of(new ApiError("FIELD_INTEGRITY_EXCEPTION",
                    "Streaming channel names must start with /u/: " + name, List.of("Name"))));
        }
        for (Map<String, Object> other : org.records("StreamingChannel")) {
            if (!other.get("Id").equals(existingId) && name.equalsIgnoreCase(String.valueOf(other.get("Name")))) {
                throw new DmlException(400, List.of(new ApiError("DUPLICATE_VALUE",
                        "duplicate value found: Name duplicates value on record with id: " + other.get("Id"),
                        List.of("Name"))));
            }
        }
    }
}
