package dev.sfstream;

import dev.sfstream.replay.ReplayFallback;

/**
 * A notice that a channel could not resume where it stood: Salesforce refused the stored replay ID (it fell out of
 * the retention window, or is unknown), or the stored marker was already older than the window. Events between
 * the old position and where the channel resumed may be lost; the notice says so instead of staying silent.
 *
 * @param channel the channel
 * @param refusedReplayId the replay ID that could not be used
 * @param fallback what the client did: resumed from new events or from all retained events
 * @param reason why, in words (Salesforce's error text, or "the marker is older than the retention window")
 */
public record ReplayGap(String channel, long refusedReplayId, ReplayFallback fallback, String reason) {
}
