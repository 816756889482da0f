package dev.sfstream.emulator.internal;

import dev.sfstream.soql.CompiledQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerSessionImpl;

/**
 * Salesforce's rules for {@code /meta/subscribe}, with its error texts: the channel must start with {@code /} and
 * exist ({@code /topic/<active PushTopic>}, {@code /u/<StreamingChannel>}, {@code /event/<Name>__e},
 * {@code /data/<enabled change events>}); a filter ({@code ?Field=value}) is for PushTopics only and names fields
 * the topic's query selects or filters on; the replay start comes from the {@code ext.replay} map keyed by the
 * channel without its filter ({@code -1} new events only, {@code -2} everything retained, or a retained replay ID
 * to resume after). A subscription is checked when it arrives and registered with the {@link StreamingHub} once
 * CometD has confirmed it. Thread-safe (holds no state of its own).
 */
final class SubscribeRules {
    /** The {@link Plan} of a checked subscribe, kept on the request until its reply is sent. */
    private static final String PLAN = "sfstream.plan";
    /** The subscription as the client wrote it, filter included: CometD subscribes the channel without it. */
    private static final String ORIGINAL_SUBSCRIPTION = "sfstream.subscription";

    private final EmulatedOrg org;
    private final StreamingHub hub;

    SubscribeRules(EmulatedOrg org) {
        this.org = org;
        this.hub = org.hub();
    }

    /** A subscription the client asked for, checked and ready to register once CometD has subscribed it. */
    private record Plan(String subscription, String logChannel, Predicate<RetainedEvent> accepts, long replayFrom) {
    }

    /** Checks a subscribe; returns {@code false} with the reply filled in when it is refused. */
    boolean subscribe(ServerSession session, ServerMessage.Mutable message) {
        Object field = message.get(Message.SUBSCRIPTION_FIELD);
        if (!(field instanceof String subscription) || subscription.isEmpty()) {
            return SalesforceReplies.refuse(message, StreamingErrors.CHANNEL_NOT_SPECIFIED, null);
        }
        if (!subscription.startsWith("/")) {
            return SalesforceReplies.refuse(message, StreamingErrors.LEADING_SLASH, null);
        }
        int q = subscription.indexOf('?');
        String base = q < 0 ? subscription : subscription.substring(0, q);
        Predicate<RetainedEvent> accepts = e -> true;
        if (base.startsWith("/topic/")) {
            Optional<Map<String, Object>> topic = org.activePushTopic(base.substring("/topic/".length()));
            if (topic.isEmpty()) {
                return noSuchChannel(message, subscription);
            }
            if (q >= 0) {
                CompiledQuery query = org.compiledQuery(topic.get());
                SubscriptionFilter.Parsed filter;
                try {
                    filter = SubscriptionFilter.parse(subscription.substring(q + 1), query.sobjectType());
                } catch (IllegalArgumentException e) {
                    return noSuchChannel(message, subscription);
                }
                List<String> unknown = new ArrayList<>();
                for (String f : filter.fields()) {
                    if (!query.selectsAnyOf(List.of(f)) && !query.filtersOnAnyOf(List.of(f))) {
                        unknown.add(f);
                    }
                }
                if (!unknown.isEmpty()) {
                    return SalesforceReplies.refuse(message,
                            StreamingErrors.unknownFilterFields(String.join(", ", unknown)), null);
                }
                accepts = filter.predicate();
            }
        } else if (q >= 0) {
            return noSuchChannel(message, subscription);
        } else if (base.startsWith("/u/")) {
            if (org.streamingChannel(base).isEmpty()) {
                return noSuchChannel(message, subscription);
            }
            Object userId = session.getAttribute(ClientSessions.USER_ID);
            accepts = e -> e.userIds == null || e.userIds.contains(userId);
        } else if (base.startsWith("/event/")) {
            if (!(base.endsWith("__e") || base.endsWith("__chn")) || base.length() <= "/event/".length() + 3) {
                return noSuchChannel(message, subscription);
            }
        } else if (base.startsWith("/data/")) {
            if (!org.isChangeEventChannel(base)) {
                return noSuchChannel(message, subscription);
            }
        } else {
            return noSuchChannel(message, subscription);
        }
        Long replayFrom = replayFrom(message, base);
        if (replayFrom == null) {
            return false; // refused, reply filled in
        }
        message.put(ORIGINAL_SUBSCRIPTION, subscription);
        message.put(Message.SUBSCRIPTION_FIELD, base);
        message.put(PLAN, new Plan(subscription, base, accepts, replayFrom));
        return true;
    }

    private static boolean noSuchChannel(ServerMessage.Mutable message, String subscription) {
        return SalesforceReplies.refuse(message, StreamingErrors.noSuchChannel(subscription), null);
    }

    /** The replay start from the subscribe's {@code ext.replay} map: -1, -2 or a retained ID; null when refused. */
    private Long replayFrom(ServerMessage.Mutable message, String base) {
        Map<String, Object> ext = message.getExt();
        Object replay = ext == null ? null : ext.get("replay");
        if (!(replay instanceof Map<?, ?> map)) {
            return -1L;
        }
        Object value = map.get(base);
        if (value == null) {
            SalesforceReplies.refuse(message, StreamingErrors.replayIdNotInMap(base, map), null);
            return null;
        }
        long replayId;
        try {
            replayId = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            SalesforceReplies.refuse(message, StreamingErrors.invalidReplayId(value), null);
            return null;
        }
        if (replayId == -1 || replayId == -2) {
            return replayId;
        }
        if (!hub.log(base).isRetained(replayId, org.clock().instant())) {
            SalesforceReplies.refuse(message, StreamingErrors.invalidReplayId(value), null);
            return null;
        }
        return replayId;
    }

    /** Ends a subscription at once; the reply names it with its filter, as the client wrote it. */
    boolean unsubscribe(ServerSession session, ServerMessage.Mutable message) {
        Object field = message.get(Message.SUBSCRIPTION_FIELD);
        if (field instanceof String subscription) {
            hub.unregister(session, subscription);
            int q = subscription.indexOf('?');
            if (q >= 0) {
                message.put(ORIGINAL_SUBSCRIPTION, subscription);
                message.put(Message.SUBSCRIPTION_FIELD, subscription.substring(0, q));
            }
        }
        return true;
    }

    /** On a subscribe reply: the subscription as written, and once CometD has confirmed it, its registration. */
    void subscribeReplied(ServerSession to, ServerMessage.Mutable request, ServerMessage.Mutable reply) {
        restoreSubscription(request, reply);
        if (reply.isSuccessful() && request != null && request.get(PLAN) instanceof Plan plan) {
            register((ServerSessionImpl) to, plan);
        }
    }

    /** Puts the subscription as the client wrote it, filter included, back into the reply. */
    static void restoreSubscription(ServerMessage.Mutable request, ServerMessage.Mutable reply) {
        if (request != null && request.get(ORIGINAL_SUBSCRIPTION) instanceof String original) {
            reply.put(Message.SUBSCRIPTION_FIELD, original);
        }
    }

    private void register(ServerSessionImpl session, Plan plan) {
        hub.unregister(session, plan.subscription());
        ChannelLog log = hub.log(plan.logChannel());
        long cursor = plan.replayFrom() == -1 ? log.lastReplayId() : plan.replayFrom() == -2 ? 0 : plan.replayFrom();
        hub.register(new Subscriber(session, plan.subscription(), plan.logChannel(), plan.accepts(), cursor));
    }
}
