/**
 * The seam between {@link dev.sfstream.StreamingClient} and the APIs that bring events: the Streaming API
 * (Bayeux long-polling, built in) and the Pub/Sub API (gRPC, module sfstream-pubsub). The client keeps the delivery
 * contract, replay markers, fallbacks and gap notices; a transport turns its wire into {@link
 * dev.sfstream.StreamingEvent}s of one JSON shape and reports positions, state, faults and what healed.
 *
 * <p>This is a service-provider interface for sfstream's own transports: it may change between versions.
 */
package dev.sfstream.transport;
