package dev.sfstream.emulator.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /services/data}: the REST calls around the Streaming API. Versions, sObject create, read, update and
 * delete (PushTopic and StreamingChannel validated as Salesforce does), query with {@code nextRecordsUrl} paging,
 * generic channel push, platform event publishing and limits. A request without a valid token is answered 401
 * {@code INVALID_SESSION_ID}; errors use Salesforce's body, a JSON array of {@code message}, {@code errorCode},
 * {@code fields}.
 */
final class RestServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The newest API version the emulator answers to, and the oldest. */
    static final double LATEST_VERSION = 66.0;
    static final double OLDEST_VERSION = 20.0;
    /** How much of a refused request's body is read before the answer: Salesforce takes bodies of up to 50 MB. */
    private static final long DISCARDED_BYTES = 64L * 1024 * 1024;

    private final transient EmulatedOrg org;
    private final transient Map<String, QueryCursor> cursors = new ConcurrentHashMap<>();

    /**
     * What a query locator stands for: the records not yet returned, the query's whole {@code totalSize} (which
     * Salesforce repeats on every page) and how many records the earlier pages held.
     */
    private record QueryCursor(List<Map<String, Object>> remaining, int totalSize, int returned) {
    }

    RestServlet(EmulatedOrg org) {
        this.org = org;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            route(request, response);
        } catch (DmlException e) {
            discardBody(request);
            Json.errors(response, e.status(), e.errors());
        }
    }

    /**
     * Reads what is left of a refused request's body, up to {@link #DISCARDED_BYTES} (a body over the size limit
     * included, declared or chunked). Jetty closes a connection whose request body was not read by the time the
     * response completed: a client still sending its body then gets a broken pipe instead of the answer, and a client
     * that already pooled the connection fails its next request ("header parser received no bytes"). A bigger body
     * is left unread, and its connection closed.
     */
    private static void discardBody(HttpServletRequest request) {
        if (request.getContentLengthLong() > DISCARDED_BYTES) {
            return;
        }
        try {
            InputStream rest = request.getInputStream();
            byte[] sink = new byte[65_536];
            long left = DISCARDED_BYTES;
            int n;
            while (left > 0 && (n = rest.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // read already (as a reader), or the client went away: nothing to keep the connection for
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod();
        if ("POST".equals(method) && "PATCH".equalsIgnoreCase(request.getParameter("_HttpMethod"))) {
            method = "PATCH";
        }
        if (path.equals("/") || path.isEmpty()) {
            Json.write(response, 200, versions());
            return;
        }
        String[] parts = path.substring(1).split("/");
        if (parts.length > 2 && parts[1].equals("tooling")) {
            // The Tooling API's sobjects and query (ManagedEventSubscription) are the same records here.
            String[] rest = new String[parts.length - 1];
            rest[0] = parts[0];
            System.arraycopy(parts, 2, rest, 1, parts.length - 2);
            parts = rest;
        }
        String versionPart = parts[0];
        if (!versionPart.startsWith("v") || !validVersion(versionPart.substring(1))) {
            throw notFound();
        }
        String version = versionPart.substring(1);
        TokenStore.Grant grant = org.tokens().validate(bearer(request)).orElseThrow(() ->
                new DmlException(401, "INVALID_SESSION_ID", "Session expired or invalid"));
        String userId = grant.userId();
        if (parts.length == 1) {
            Json.write(response, 200, resources(version));
            return;
        }
        switch (parts[1]) {
            case "limits" -> Json.write(response, 200, limits());
            case "query", "queryAll" -> query(request, response, version, parts);
            case "sobjects" -> sobjects(request, response, method, version, parts, userId);
            default -> throw notFound();
        }
    }

    private static DmlException notFound() {
        return new DmlException(404, "NOT_FOUND", "The requested resource does not exist");
    }

    private static boolean validVersion(String v) {
        try {
            double d = Double.parseDouble(v);
            return d >= OLDEST_VERSION && d <= LATEST_VERSION && v.matches("\\d+\\.\\d");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static List<Map<String, Object>> versions() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int v = (int) OLDEST_VERSION; v <= (int) LATEST_VERSION; v++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", "API " + v + ".0");
            m.put("url", "/services/data/v" + v + ".0");
            m.put("version", v + ".0");
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> resources(String version) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String r : List.of("limits", "query", "queryAll", "sobjects")) {
            m.put(r, "/services/data/v" + version + "/" + r);
        }
        return m;
    }

    private Map<String, Object> limits() {
        Map<String, Object> m = new LinkedHashMap<>();
        int clients = org.settings().concurrentClientLimit();
        m.put("DurableStreamingApiConcurrentClients", Map.of("Max", clients, "Remaining", clients));
        m.put("StreamingApiConcurrentClients", Map.of("Max", clients, "Remaining", clients));
        DeliveryAllocation daily = org.hub().allocation();
        for (String key : List.of("DailyStreamingApiEvents", "DailyDurableStreamingApiEvents",
                "DailyGenericStreamingApiEvents", "DailyDurableGenericStreamingApiEvents")) {
            m.put(key, Map.of("Max", daily.max(), "Remaining", daily.remaining()));
        }
        return m;
    }

    // ---------------------------------------------------------------- query

    private void query(HttpServletRequest request, HttpServletResponse response, String version, String[] parts)
            throws IOException {
        if (!"GET".equals(request.getMethod())) {
            throw new DmlException(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + request.getMethod()
                    + "' not allowed. Allowed are GET");
        }
        List<Map<String, Object>> remaining;
        int total;
        int returned;
        if (parts.length == 3) {
            QueryCursor cursor = cursors.remove(parts[2]);
            if (cursor == null) {
                throw new DmlException(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
            }
            remaining = cursor.remaining();
            total = cursor.totalSize();
            returned = cursor.returned();
        } else {
            String q = request.getParameter("q");
            if (q == null) {
                throw new DmlException(400, "MALFORMED_QUERY", "A query string has to be specified");
            }
            QueryEngine.Result result = new QueryEngine(org, version).run(q);
            if (result.records().isEmpty()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("totalSize", result.totalSize());
                body.put("done", true);
                body.put("records", List.of());
                Json.write(response, 200, body);
                return;
            }
            remaining = result.records();
            total = result.totalSize();
            returned = 0;
        }
        int pageSize = org.settings().pageSize();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalSize", total);
        if (remaining.size() > pageSize) {
            // Salesforce's locator ends with the number of records returned so far: 01gRO0000016PIAYA2-2000.
            String locator = "01g" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "-"
                    + (returned + pageSize);
            cursors.put(locator, new QueryCursor(new ArrayList<>(remaining.subList(pageSize, remaining.size())),
                    total, returned + pageSize));
            body.put("done", false);
            body.put("nextRecordsUrl", "/services/data/v" + version + "/query/" + locator);
            body.put("records", remaining.subList(0, pageSize));
        } else {
            body.put("done", true);
            body.put("records", remaining);
        }
        Json.write(response, 200, body);
    }

    // ---------------------------------------------------------------- sobjects

    private void sobjects(HttpServletRequest request, HttpServletResponse response, String method, String version,
            String[] parts, String userId) throws IOException {
        if (parts.length == 2) {
            Json.write(response, 200, Map.of("encoding", "UTF-8", "maxBatchSize", 200, "sobjects", List.of()));
            return;
        }
        String type = parts[2];
        if (!ApiNames.isApiName(type)) {
            throw notFound(); // as Salesforce answers /sobjects/<a type it does not have>
        }
        if (parts.length == 3) {
            if ("POST".equals(method)) {
                create(request, response, type, userId);
                return;
            }
            if ("GET".equals(method)) {
                Json.write(response, 200, Map.of("objectDescribe", Map.of("name", org.data().typeName(type)),
                        "recentItems", List.of()));
                return;
            }
            throw methodNotAllowed(method, "GET, HEAD, POST");
        }
        String id = parts[3];
        if (parts.length == 5 && type.equalsIgnoreCase("StreamingChannel") && parts[4].equals("push")) {
            push(request, response, method, id);
            return;
        }
        if (parts.length != 4) {
            throw notFound();
        }
        switch (method) {
            case "GET" -> {
                Map<String, Object> record = org.data().get(id)
                        .filter(r -> org.data().typeOf(id).map(t -> t.equalsIgnoreCase(type)).orElse(false))
                        .orElseThrow(RestServlet::notFound);
                Map<String, Object> body = new LinkedHashMap<>();
                String canonical = org.data().typeOf(id).orElse(type);
                body.put("attributes", new QueryEngine(org, version).attributes(canonical, String.valueOf(record.get("Id"))));
                body.putAll(record);
                Json.write(response, 200, body);
            }
            case "PATCH" -> {
                org.update(type, id, Json.objectBody(request), userId);
                response.setStatus(204);
            }
            case "DELETE" -> {
                org.delete(type, id, userId);
                response.setStatus(204);
            }
            default -> throw methodNotAllowed(method, "GET, HEAD, PATCH, DELETE");
        }
    }

    private static DmlException methodNotAllowed(String method, String allowed) {
        return new DmlException(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed. Allowed are "
                + allowed);
    }

    private void create(HttpServletRequest request, HttpServletResponse response, String type, String userId)
            throws IOException {
        Map<String, Object> fields = Json.objectBody(request);
        Map<String, Object> body = new LinkedHashMap<>();
        if (type.endsWith("__e")) {
            EmulatedOrg.PublishedEvent event = org.publishPlatformEvent(type, fields, userId);
            body.put("id", event.id());
            body.put("success", true);
            Map<String, Object> enqueued = new LinkedHashMap<>();
            enqueued.put("statusCode", "OPERATION_ENQUEUED");
            enqueued.put("message", event.eventUuid());
            enqueued.put("fields", List.of());
            body.put("errors", List.of(enqueued));
        } else {
            RecordChange change = org.create(type, fields, userId);
            body.put("id", change.id());
            body.put("success", true);
            body.put("errors", List.of());
        }
        Json.write(response, 201, body);
    }

    private void push(HttpServletRequest request, HttpServletResponse response, String method, String id)
            throws IOException {
        Map<String, Object> channel = org.data().get(id)
                .filter(r -> org.data().typeOf(id).map(t -> t.equalsIgnoreCase("StreamingChannel")).orElse(false))
                .orElseThrow(RestServlet::notFound);
        String name = String.valueOf(channel.get("Name"));
        Set<String> online = new HashSet<>(org.onlineUsers(name));
        if ("GET".equals(method)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("OnlineUserIds", new ArrayList<>(online));
            body.put("ChannelName", name);
            Json.write(response, 200, body);
            return;
        }
        if (!"POST".equals(method)) {
            throw methodNotAllowed(method, "GET, POST");
        }
        Object events = Json.objectBody(request).get("pushEvents");
        if (!(events instanceof List<?> list)) {
            throw new DmlException(400, "JSON_PARSER_ERROR", "pushEvents must be an array");
        }
        // Every push event is checked before any is pushed: a refused request pushes nothing.
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> event) || !(event.get("payload") instanceof String payload)) {
                throw new DmlException(400, "JSON_PARSER_ERROR", "each push event needs a string payload");
            }
            SizeLimits.checkGenericPayload(payload);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Object item : list) {
            Map<?, ?> event = (Map<?, ?>) item;
            String payload = (String) event.get("payload");
            Set<String> userIds = new HashSet<>();
            if (event.get("userIds") instanceof List<?> ids) {
                ids.forEach(u -> userIds.add(SalesforceIds.to18(String.valueOf(u))));
            }
            org.pushGeneric(name, payload, userIds);
            Map<String, Object> result = new LinkedHashMap<>();
            Map<String, Object> status = new LinkedHashMap<>();
            userIds.forEach(u -> status.put(u, online.contains(u)));
            result.put("fanoutCount", userIds.isEmpty() ? -1 : (int) userIds.stream().filter(online::contains).count());
            result.put("userOnlineStatus", status);
            results.add(result);
        }
        Json.write(response, 200, results);
    }

    /** The token of an {@code Authorization: Bearer|OAuth <token>} header. */
    static String bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return null;
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        return space > 0 ? h.substring(space + 1).trim() : h;
    }
}
