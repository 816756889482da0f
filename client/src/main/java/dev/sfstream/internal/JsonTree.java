package dev.sfstream.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * JSON text to Jackson trees and back with Jackson's streaming parser and generator only, for the paths every
 * event and every request takes (Bayeux messages, token responses, the file store).
 *
 * <p>Why not {@link Json#MAPPER}: building an {@code ObjectMapper} loads and initialises several hundred classes
 * (serializer and deserializer factories, type resolution), about a third of a second of a fresh JVM on a small
 * machine, which a restarted service would spend before its first event; the trees are the same
 * ({@code readTree}'s node types: int, long, big integer and double numbers, the last of duplicate keys wins), and
 * building them directly is also a little faster once warm. {@link Json#MAPPER} stays for mapping to and from
 * users' own types, loaded only when that is asked for.
 */
public final class JsonTree {
    /** The node factory of every tree sfstream builds. */
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    /**
     * Parses one JSON value; a missing node for empty input, as {@code ObjectMapper.readTree} gives.
     *
     * @throws IOException when the text is not JSON, or has anything but white space after the value
     */
    public static JsonNode parse(byte[] text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return parse(p);
        }
    }

    /** Parses one JSON value from text; see {@link #parse(byte[])}. */
    public static JsonNode parse(String text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return parse(p);
        }
    }

    private static JsonNode parse(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return MissingNode.getInstance();
        }
        JsonNode root = value(p, first);
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "more content after the JSON value");
        }
        return root;
    }

    /** The value that starts at {@code token}; the parser's nesting limit bounds the recursion. */
    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    object.set(name, value(p, p.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(p, "unexpected JSON token " + token);
        }
    }

    /** The tree as compact JSON text, UTF-8. */
    public static byte[] write(JsonNode node) throws IOException {
        return write(node, false);
    }

    /** The tree as JSON text, UTF-8, indented when {@code pretty}. */
    public static byte[] write(JsonNode node, boolean pretty) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            write(g, node);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT: {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
                return;
            }
            case ARRAY:
                g.writeStartArray();
                for (JsonNode item : node) {
                    write(g, item);
                }
                g.writeEndArray();
                return;
            case STRING:
                g.writeString(node.textValue());
                return;
            case NUMBER:
                switch (node.numberType()) {
                    case INT:
                        g.writeNumber(node.intValue());
                        return;
                    case LONG:
                        g.writeNumber(node.longValue());
                        return;
                    case BIG_INTEGER:
                        g.writeNumber(node.bigIntegerValue());
                        return;
                    case FLOAT:
                        g.writeNumber(node.floatValue());
                        return;
                    case BIG_DECIMAL:
                        g.writeNumber(node.decimalValue());
                        return;
                    default:
                        g.writeNumber(node.doubleValue());
                        return;
                }
            case BOOLEAN:
                g.writeBoolean(node.booleanValue());
                return;
            case NULL:
            case MISSING:
                g.writeNull();
                return;
            case BINARY:
                g.writeBinary(node.binaryValue());
                return;
            default: // a POJO node: only the mapper knows how to write what it holds
                Json.MAPPER.writeTree(g, node);
        }
    }
}
