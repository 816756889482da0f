package dev.sfstream.emulator.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The Pub/Sub API's form of a change event's {@code changedFields}, {@code nulledFields} and {@code diffFields}: the
 * same field names the Streaming API lists, as bitmaps over the event's Avro field order, which Salesforce's "Event
 * Deserialization Considerations" page describes. The first element, {@code 0x...}, is a hexadecimal number whose bit
 * <i>i</i> (least significant first) stands for the schema's field <i>i</i> ({@code ChangeEventHeader} is field 0);
 * each further element, {@code <p>-0x...}, stands for the components of the compound field at position <i>p</i>, by
 * their order in its record. No top-level element is written when only components changed.
 */
final class ChangeBitmaps {
    private ChangeBitmaps() {
    }

    /** The bitmaps of field names ({@code Industry}, {@code BillingAddress.City}) over a change event's schema. */
    static List<String> of(Schema schema, List<?> names) {
        BigInteger top = BigInteger.ZERO;
        Map<Integer, BigInteger> components = new TreeMap<>();
        for (Object n : names) {
            String name = String.valueOf(n);
            int dot = name.indexOf('.');
            Schema.Field field = schema.getField(dot < 0 ? name : name.substring(0, dot));
            if (field == null) {
                continue; // not in the schema the event is written with: it cannot be named
            }
            if (dot < 0) {
                top = top.setBit(field.pos());
                continue;
            }
            Schema.Field component = record(field.schema()).getField(name.substring(dot + 1));
            if (component != null) {
                components.merge(field.pos(), BigInteger.ZERO.setBit(component.pos()), BigInteger::or);
            }
        }
        List<String> out = new ArrayList<>();
        if (top.signum() != 0) {
            out.add("0x" + hex(top));
        }
        components.forEach((position, bits) -> out.add(position + "-0x" + hex(bits)));
        return out;
    }

    /** The record inside a field's {@code ["null", record]} union. */
    static Schema record(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.RECORD) {
                    return branch;
                }
            }
        }
        return schema;
    }

    /** Upper-case hexadecimal with an even number of digits, whole bytes as Salesforce's samples show. */
    private static String hex(BigInteger bits) {
        String hex = bits.toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }
}
