-- sfstream replay store: one marker per (namespace, channel), and one lease per (namespace, group).
CREATE TABLE IF NOT EXISTS sfstream_replay_marker (
    namespace    text        NOT NULL,  -- the org ID unless the client names another
    channel      text        NOT NULL,  -- /topic/..., /event/...__e, /data/...
    replay_id    bigint      NOT NULL,  -- the position as a number, to order by; negative: it has none (over 8 bytes)
    position     text        NOT NULL,  -- the position exactly: the replay ID, or pubsub:<base64> of Pub/Sub bytes
    created_date timestamptz NOT NULL,  -- the event's created date (a change event's commitTimestamp)
    epoch        bigint,                -- the lease epoch of the replica that wrote it; null outside exclusive groups
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, channel)
);
CREATE TABLE IF NOT EXISTS sfstream_lease (
    namespace  text        NOT NULL,
    grp        text        NOT NULL,    -- the exclusive group
    epoch      bigint      NOT NULL,    -- raised by each takeover: the fencing token
    holder     text        NOT NULL,    -- the replica holding the lease (a new ID per client)
    expires_at timestamptz NOT NULL,    -- judged by the database's clock only
    PRIMARY KEY (namespace, grp)
);
