package dev.sfstream.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sfstream.StreamingEvent;
import dev.sfstream.internal.Json;
import dev.sfstream.rest.PushTopicDefinition;
import dev.sfstream.rest.SObjectTopic;
import dev.sfstream.replay.ReplayFrom;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.function.Function;

/**
 * One annotation on one handler method: the channel it handles, the leading arguments the method receives, how
 * the event is converted to the method's last parameter, and the topic to declare first, if any.
 */
final class Binding {
    final Object target;
    final Method method;
    /** What is called on the target: {@link #method}, or its interface's method when the target is a JDK proxy. */
    final Method invocable;
    final String channel;
    final Object[] leading;
    final Function<StreamingEvent, Object> converter;
    final PushTopicDefinition topic;
    final SObjectTopic sobjectTopic;
    final ReplayFrom replay;

    private Binding(Object target, Method method, Method invocable, String channel, Object[] leading,
            Function<StreamingEvent, Object> converter, PushTopicDefinition topic, SObjectTopic sobjectTopic,
            ReplayFrom replay) {
        this.target = target;
        this.method = method;
        this.invocable = invocable;
        this.channel = channel;
        this.leading = leading;
        this.converter = converter;
        this.topic = topic;
        this.sobjectTopic = sobjectTopic;
        this.replay = replay;
    }

    /** The method, as {@code Class.method}, for messages. */
    String name() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    void invoke(StreamingEvent event) throws Exception {
        Object[] args = new Object[leading.length + 1];
        System.arraycopy(leading, 0, args, 0, leading.length);
        args[leading.length] = converter.apply(event);
        try {
            invocable.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    static Binding subscribe(Object target, Method method, Method invocable, Subscribe s) {
        check(method, "@Subscribe", "(String channel, EVENT event)", String.class);
        dev.sfstream.ChannelName.of(s.value());
        return new Binding(target, method, invocable, s.value(), new Object[] {s.value()}, converter(method), null,
                null, replay(s.replay(), method));
    }

    static Binding notification(Object target, Method method, Method invocable, HandleNotification n,
            String clientApiVersion) {
        check(method, "@HandleNotification", "(String name, EVENT event)", String.class);
        PushTopicDefinition topic = PushTopicDefinition.builder().name(n.name()).query(n.query())
                .apiVersion(n.apiVersion().isEmpty() ? clientApiVersion : n.apiVersion())
                .notifyForFields(n.notifyForFields())
                .notifyForOperationCreate(n.notifyForOperationCreate())
                .notifyForOperationUpdate(n.notifyForOperationUpdate())
                .notifyForOperationDelete(n.notifyForOperationDelete())
                .notifyForOperationUndelete(n.notifyForOperationUndelete())
                .description(n.description().isEmpty() ? null : n.description()).build();
        return new Binding(target, method, invocable, topic.channel(), new Object[] {n.name()}, converter(method),
                topic, null, replay(n.replay(), method));
    }

    static Binding sobjectNotification(Object target, Method method, Method invocable, HandleSObjectNotification n,
            String clientApiVersion) {
        check(method, "@HandleSObjectNotification", "(String sobjectType, String recordType, EVENT event)",
                String.class, String.class);
        SObjectTopic topic = SObjectTopic.builder().sobjectType(n.sobjectType())
                .recordType(n.recordType().isEmpty() ? null : n.recordType())
                .excludeCurrentUser(n.excludeCurrentUser()).fields(n.fields()).notifyForFields(n.notifyForFields())
                .notifyForOperationCreate(n.notifyForOperationCreate())
                .notifyForOperationUpdate(n.notifyForOperationUpdate())
                .notifyForOperationDelete(n.notifyForOperationDelete())
                .notifyForOperationUndelete(n.notifyForOperationUndelete())
                .apiVersion(clientApiVersion).build();
        Object[] leading = {n.sobjectType(), topic.recordType()};
        return new Binding(target, method, invocable, topic.channel(), leading, converter(method), null, topic,
                replay(n.replay(), method));
    }

    private static ReplayFrom replay(String value, Method method) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return ReplayFrom.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe(method) + ": " + e.getMessage(), e);
        }
    }

    /** Checks the leading String parameters and that one event parameter follows. */
    private static void check(Method method, String annotation, String expected, Class<?>... leading) {
        Parameter[] params = method.getParameters();
        boolean ok = params.length == leading.length + 1;
        for (int i = 0; ok && i < leading.length; i++) {
            ok = params[i].getType() == leading[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(describe(method) + " cannot handle " + annotation + ": it must take "
                    + expected + ", where EVENT is StreamingEvent, JsonNode, Map, or a type Jackson maps the record "
                    + "(sobject) or the payload to");
        }
    }

    static String describe(Method method) {
        StringBuilder sb = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
                .append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return sb.append(')').toString();
    }

    /** How the last parameter is made from an event. */
    private static Function<StreamingEvent, Object> converter(Method method) {
        Class<?> type = method.getParameterTypes()[method.getParameterCount() - 1];
        if (type == StreamingEvent.class) {
            return e -> e;
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return StreamingEvent::data;
        }
        if (type == Map.class) {
            return StreamingEvent::dataAsMap;
        }
        if (type.isPrimitive() || type == String.class) {
            throw new IllegalArgumentException(describe(method) + ": the event parameter cannot be a "
                    + type.getSimpleName() + "; take StreamingEvent, JsonNode, Map, or a type Jackson maps the record "
                    + "or payload to");
        }
        return e -> Json.MAPPER.convertValue(body(e), type);
    }

    /** What a user type is mapped from: the PushTopic record, the event or change payload, or a generic payload. */
    static JsonNode body(StreamingEvent e) {
        if (e.pushTopic().isPresent()) {
            return e.pushTopic().get().sobject();
        }
        if (e.platformEvent().isPresent()) {
            return e.platformEvent().get().payload();
        }
        if (e.changeEvent().isPresent()) {
            return e.changeEvent().get().payload();
        }
        JsonNode payload = e.data().path("payload");
        if (payload.isTextual()) {
            try {
                return Json.MAPPER.readTree(payload.asText());
            } catch (IOException notJson) {
                return payload;
            }
        }
        return payload.isMissingNode() ? e.data() : payload;
    }
}
