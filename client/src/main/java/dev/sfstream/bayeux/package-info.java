/**
 * The Streaming API over Bayeux long-polling: {@link dev.sfstream.bayeux.BayeuxTransport}, the client's default
 * transport, with its protocol session, subscriptions, messages and the HTTP exchange underneath.
 *
 * <table>
 *   <caption>What the server says and what the session does</caption>
 *   <tr><td>{@code advice.reconnect = retry}</td><td>connect again after {@code advice.interval}</td></tr>
 *   <tr><td>{@code 403::Unknown client}, {@code advice.reconnect = handshake}</td>
 *       <td>handshake again (no token request), subscribe again from committed markers</td></tr>
 *   <tr><td>{@code 401::Authentication invalid}</td><td>renew the token once, then handshake again</td></tr>
 *   <tr><td>503 in {@code error} or {@code ext.sfdc.failureReason}</td><td>back off (exponential, jittered,
 *       capped), then retry</td></tr>
 *   <tr><td>network error, timeout, HTTP error, garbage on a connect</td><td>back off, then handshake again and
 *       resubscribe from the last event handed out (the lost response may have carried events); give up after the
 *       connection timeout with a {@link dev.sfstream.TransportException}</td></tr>
 *   <tr><td>server-initiated {@code /meta/disconnect}</td><td>handshake again</td></tr>
 *   <tr><td>invalid replay ID on subscribe</td><td>ask the client for the fallback, subscribe again</td></tr>
 * </table>
 *
 * <p>Everything here but {@link dev.sfstream.bayeux.BayeuxTransport} is sfstream's own machinery and may change.
 */
package dev.sfstream.bayeux;
