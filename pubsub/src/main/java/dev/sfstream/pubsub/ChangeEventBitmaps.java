package dev.sfstream.pubsub;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A change event's {@code changedFields}, {@code nulledFields} and {@code diffFields} as the Pub/Sub API sends them,
 * bitmaps over the event's Avro schema, turned into the field names the Streaming API lists. Salesforce's "Event
 * Deserialization Considerations" page gives the rules, and its reference clients agree on them:
 * <ul>
 *   <li>an element {@code 0x<hex>} is a number whose bit <i>i</i>, least significant first, stands for field
 *       <i>i</i> of the schema ({@code ChangeEventHeader} is field 0);</li>
 *   <li>an element {@code <p>-0x<hex>} stands for the fields of the record inside the compound field at position
 *       <i>p</i> (an address, a person's name), named {@code Parent.Child}: {@code BillingAddress.City}.</li>
 * </ul>
 * Hexadecimal digits of either case and any length are read; a bit past the schema's fields is ignored, since a
 * newer schema may know fields this one does not; an element that is no bitmap is taken as a field name. Immutable and thread-safe: one
 * instance per schema, built once.
 */
final class ChangeEventBitmaps {
    private final String[] fields;
    private final String[][] components;

    ChangeEventBitmaps(Schema eventSchema) {
        List<Schema.Field> top = eventSchema.getFields();
        fields = new String[top.size()];
        components = new String[top.size()][];
        for (Schema.Field f : top) {
            fields[f.pos()] = f.name();
            Schema record = recordOf(f.schema());
            if (record != null && f.pos() > 0) {
                List<Schema.Field> children = record.getFields();
                String[] names = new String[children.size()];
                for (Schema.Field c : children) {
                    names[c.pos()] = f.name() + "." + c.name();
                }
                components[f.pos()] = names;
            }
        }
    }

    /** The record a field holds, alone or as a branch of its union; null when it holds none. */
    static Schema recordOf(Schema schema) {
        if (schema.getType() == Schema.Type.RECORD) {
            return schema;
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.RECORD) {
                    return branch;
                }
            }
        }
        return null;
    }

    /** The field names of one bitmap list, top-level fields first, each group in schema order. */
    List<String> names(List<String> bitmaps) {
        List<String> out = new ArrayList<>();
        for (String element : bitmaps) {
            if (element.startsWith("0x") || element.startsWith("0X")) {
                addSetBits(element, 2, fields, out);
            } else {
                int dash = element.indexOf("-0x");
                if (dash < 0) {
                    dash = element.indexOf("-0X");
                }
                if (dash <= 0) {
                    out.add(element); // already a name, not a bitmap
                    continue;
                }
                int parent;
                try {
                    parent = Integer.parseInt(element.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (parent >= 0 && parent < components.length && components[parent] != null) {
                    addSetBits(element, dash + 3, components[parent], out);
                }
            }
        }
        return out;
    }

    /** Adds the name of every set bit of the hexadecimal number at {@code from}, lowest bit first. */
    private static void addSetBits(String hex, int from, String[] names, List<String> out) {
        int digits = hex.length() - from;
        for (int d = 0; d < digits; d++) {
            int value = Character.digit(hex.charAt(hex.length() - 1 - d), 16);
            if (value <= 0) {
                continue; // 0, or not a hexadecimal digit
            }
            for (int bit = 0; bit < 4; bit++) {
                int index = d * 4 + bit;
                if ((value & (1 << bit)) != 0 && index < names.length) {
                    out.add(names[index]);
                }
            }
        }
    }
}
