package dev.sfstream;

/**
 * The root of every error sfstream reports. The hierarchy is sealed so that a {@code switch} or an
 * {@code instanceof} chain can handle every case:
 * <ul>
 *   <li>{@link AuthenticationException}: Salesforce refused the credentials or the token;</li>
 *   <li>{@link ServerErrorException}: the Streaming API answered with a Bayeux error it does not heal from;</li>
 *   <li>{@link ReplayIdInvalidException}: a replay ID was refused and the fallback is to fail;</li>
 *   <li>{@link SubscriptionException}: a channel could not be subscribed;</li>
 *   <li>{@link TransportException}: the network or the server stayed unusable past the connection timeout;</li>
 *   <li>{@link RestException}: a REST call was refused;</li>
 *   <li>{@link ReplayStoreException}: replay markers could not be read or written;</li>
 *   <li>{@link FencedException}: another replica of an exclusive group took over; this one stopped consuming.</li>
 * </ul>
 * Messages carry what is needed to act (channel, replay ID, Salesforce's code and text) and never a secret.
 */
public abstract sealed class StreamingException extends RuntimeException
        permits AuthenticationException, ServerErrorException, ReplayIdInvalidException, SubscriptionException,
        TransportException, RestException, ReplayStoreException, FencedException {
    private static final long serialVersionUID = 1L;

    StreamingException(String message, Throwable cause) {
        super(message, cause);
    }
}
