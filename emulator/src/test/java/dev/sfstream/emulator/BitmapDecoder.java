package dev.sfstream.emulator;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A decoder of the Pub/Sub API's change-event bitmaps, written in the tests from the rules Salesforce's "Event
 * Deserialization Considerations" page gives and its reference clients agree on: element 0, when it starts with
 * {@code 0x}, is a hexadecimal number whose bit i (least significant first) names field i of the event's schema; an
 * element {@code p-0x...} names the fields of the record inside the union of top-level field p, reported as
 * {@code Parent.Child}. Written apart from the emulator's encoder, so that the two check each other.
 */
final class BitmapDecoder {
    private BitmapDecoder() {
    }

    static List<String> decode(Schema schema, List<?> bitmaps) {
        List<String> names = new ArrayList<>();
        for (Object element : bitmaps) {
            String e = element.toString();
            if (e.startsWith("0x")) {
                BigInteger bits = new BigInteger(e.substring(2), 16);
                for (int i = 0; i < bits.bitLength() && i < schema.getFields().size(); i++) {
                    if (bits.testBit(i)) {
                        names.add(schema.getFields().get(i).name());
                    }
                }
            } else {
                int dash = e.indexOf("-0x");
                Schema.Field parent = schema.getFields().get(Integer.parseInt(e.substring(0, dash)));
                Schema record = parent.schema().getTypes().stream().filter(t -> t.getType() == Schema.Type.RECORD)
                        .findFirst().orElseThrow();
                BigInteger bits = new BigInteger(e.substring(dash + 3), 16);
                for (int i = 0; i < bits.bitLength() && i < record.getFields().size(); i++) {
                    if (bits.testBit(i)) {
                        names.add(parent.name() + "." + record.getFields().get(i).name());
                    }
                }
            }
        }
        return names;
    }
}
