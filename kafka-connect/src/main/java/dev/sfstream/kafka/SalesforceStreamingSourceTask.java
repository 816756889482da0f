package dev.sfstream.kafka;

import dev.sfstream.ConnectionListener;
import dev.sfstream.ReplayGap;
import dev.sfstream.ReplayIdInvalidException;
import dev.sfstream.StreamingClient;
import dev.sfstream.StreamingEvent;
import dev.sfstream.StreamingException;
import dev.sfstream.auth.AccessToken;
import dev.sfstream.auth.Authenticator;
import dev.sfstream.pubsub.PubSubTransport;
import dev.sfstream.replay.ReplayFallback;
import dev.sfstream.replay.ReplayMarker;
import dev.sfstream.replay.ReplayPosition;
import dev.sfstream.replay.ReplayStore;
import dev.sfstream.transport.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the channels assigned to it into Kafka with one {@link StreamingClient}, on the transport
 * {@code salesforce.transport} names: the Streaming API (CometD) or the Pub/Sub API (gRPC), whose client opens one
 * HTTP/2 connection per task.
 *
 * <h2>Where each channel starts</h2>
 * At start the task logs in, reads Connect's stored offset of each channel (partition {@code {org, channel}}, see
 * {@link SourceOffsets}) and gives the client an in-memory replay store holding exactly those positions (a Streaming
 * API replay ID, or a Pub/Sub API replay ID's bytes as Salesforce sent them): a channel
 * with an offset resumes after it, one without starts from {@code salesforce.initial.replay}. Connect's committed
 * offsets are thus the truth after every task restart. Within one task's life the client heals re-handshakes by
 * itself, resuming after the last event it handed out, so nothing is lost and nothing comes twice in between.
 *
 * <h2>Polling and committing</h2>
 * {@link #poll()} waits up to {@code poll.timeout.ms} for the first event, then takes what is already waiting, up to
 * {@code batch.size} records. Connect stores the offsets (with the records in one transaction where exactly-once is
 * enabled); {@link #commitRecord} also commits the event in the client, so that its own bookkeeping follows.
 *
 * <h2>Failures</h2>
 * A replay ID that Salesforce refuses is handled by {@code salesforce.invalid.replay}: {@code fail} fails the task
 * (the offset stays, for an operator to decide); {@code latest} and {@code all} go on, with a warning that names the
 * channel and the refused ID. An error the client cannot heal (credentials revoked, a subscription lost, Salesforce
 * unreachable past the client's connection timeout) fails the task with the client's message, which never holds a
 * secret.
 *
 * <p>Connect calls {@link #poll()} from one thread; {@link #commitRecord} and {@link #stop()} may come from others.
 */
public final class SalesforceStreamingSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceStreamingSourceTask.class);

    private final AtomicReference<StreamingException> clientError = new AtomicReference<>();
    private volatile StreamingClient client;
    private StreamingSourceConfig config;
    private SourceRecordMapper mapper;

    @Override
    public String version() {
        return Version.get();
    }

    /**
     * Logs in, reads the stored offsets, opens the client and subscribes to every assigned channel.
     *
     * @throws ConnectException when Salesforce refuses the credentials or a channel, or refuses a stored replay ID
     *     while {@code salesforce.invalid.replay} is {@code fail}
     */
    @Override
    public void start(Map<String, String> props) {
        config = new StreamingSourceConfig(props);
        List<String> channels = config.channels();
        Authenticator authenticator = config.credentials().authenticator();
        TransportSettings transportSettings = config.transportSettings();
        transportSettings.checkChannels(channels);
        Transport transport = transportSettings.toTransport();
        AccessToken token;
        try {
            token = authenticator.token();
        } catch (StreamingException e) {
            throw new ConnectException("cannot log in to Salesforce: " + e.getMessage(), e);
        }
        // A static access token does not say its org; its instance URL stands in, and is as stable.
        String org = token.orgId() != null ? token.orgId() : token.instanceUrl().toString();
        Map<String, ReplayPosition> stored = SourceOffsets.read(context.offsetStorageReader(), org, channels);
        ReplayStore store = ReplayStore.inMemory();
        // The created date is not part of the offset: Salesforce itself judges whether the ID is still retained.
        Instant unknownAge = Instant.now();
        stored.forEach((channel, position) -> store.put(org, channel, new ReplayMarker(position, unknownAge)));
        mapper = new SourceRecordMapper(org, config.topicNames(), config.valueFormat());

        StreamingClient c = StreamingClient.builder()
                .authenticator(authenticator)
                .transport(transport)
                .apiVersion(config.apiVersion())
                .replayStore(store)
                .replayNamespace(org)
                .replayFrom(config.initialReplay())
                .replayFallback(config.invalidReplay())
                .queueCapacity(Math.max(1_000, config.batchSize()))
                .connectionListener(new ErrorKeeper())
                .build();
        try {
            c.open();
            for (String channel : channels) {
                c.subscribe(channel);
            }
        } catch (ReplayIdInvalidException e) {
            c.close();
            throw new ConnectException(e.getMessage() + " (" + StreamingSourceConfig.INVALID_REPLAY + "=fail): set "
                    + StreamingSourceConfig.INVALID_REPLAY + " to latest or all, or reset the connector's offsets, "
                    + "then restart the task", e);
        } catch (RuntimeException e) {
            c.close();
            throw new ConnectException("cannot stream " + channels + " from Salesforce (" + describe(transport)
                    + "): " + e.getMessage(), e);
        }
        client = c;
        for (String channel : channels) {
            LOG.info("sfstream: streaming {} of org {} over {} into topic {}, {}", channel, org, describe(transport),
                    config.topicNames().topic(channel), stored.containsKey(channel)
                            ? "resuming after replay ID " + stored.get(channel)
                            : "starting from " + config.initialReplay());
        }
    }

    private static String describe(Transport transport) {
        return transport instanceof PubSubTransport p ? "the Pub/Sub API at " + p.endpoint()
                : "the Streaming API";
    }

    /**
     * Up to {@code batch.size} records: waits up to {@code poll.timeout.ms} for the first event, then takes the
     * events already waiting. Returns null when none came.
     *
     * @throws ConnectException when the client failed for good, or a replay gap arrives with the fallback to fail
     */
    @Override
    public List<SourceRecord> poll() {
        StreamingClient c = client;
        if (c == null) {
            return null;
        }
        throwIfFailed();
        List<SourceRecord> records = new ArrayList<>();
        try {
            Optional<StreamingEvent> next = c.receive(config.pollTimeout());
            while (next.isPresent()) {
                StreamingEvent event = next.get();
                if (event.isReplayGap()) {
                    gap(event.replayGap().orElseThrow());
                } else {
                    records.add(mapper.toRecord(event));
                }
                if (records.size() >= config.batchSize()) {
                    break;
                }
                next = c.receive(Duration.ZERO);
            }
        } catch (StreamingException e) {
            throw new ConnectException("the Salesforce client failed: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throwIfFailed();
            return null;
        }
        return records;
    }

    private void gap(ReplayGap gap) {
        if (gap.fallback() == ReplayFallback.FAIL) {
            throw new ConnectException("cannot resume " + gap.channel() + " from replay ID " + gap.refusedReplayId()
                    + ": " + gap.reason() + " (" + StreamingSourceConfig.INVALID_REPLAY + "=fail)");
        }
        LOG.warn("sfstream: {} could not resume after replay ID {} ({}); went on with {} ({}={}): events in "
                        + "between may be missing{}", gap.channel(), gap.refusedReplayId(), gap.reason(),
                gap.fallback() == ReplayFallback.NEW_EVENTS ? "new events only" : "all retained events",
                StreamingSourceConfig.INVALID_REPLAY, gap.fallback() == ReplayFallback.NEW_EVENTS ? "latest" : "all",
                gap.fallback() == ReplayFallback.ALL_EVENTS ? " or repeated" : "");
    }

    private void throwIfFailed() {
        StreamingException e = clientError.get();
        if (e != null) {
            throw new ConnectException("the Salesforce client failed: " + e.getMessage(), e);
        }
    }

    /** Commits the record's event in the client, so that a re-handshake inside this task resumes after it. */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        StreamingClient c = client;
        if (c != null && record instanceof EventRecord r) {
            c.commit(r.event());
        }
    }

    /** Closes the client: a {@link #poll()} waiting for events returns at once. */
    @Override
    public void stop() {
        StreamingClient c = client;
        if (c != null) {
            c.close();
        }
    }

    /** Keeps the first error the client reports, so that the next poll fails the task with it. */
    private final class ErrorKeeper implements ConnectionListener {
        @Override
        public void onError(StreamingException error) {
            if (clientError.compareAndSet(null, error)) {
                LOG.error("sfstream: the Salesforce client reports an error it cannot heal: {}", error.getMessage());
            }
        }
    }
}
