package dev.sfstream;

/**
 * A replay store could not read or write its markers: a corrupt or unreadable file, a file locked by another
 * process, a Redis server that stayed away too long. The message names the store (file path, Redis address without
 * password) and what is wrong; markers already stored are never reset because of it.
 */
public final class ReplayStoreException extends StreamingException {
    private static final long serialVersionUID = 1L;

    public ReplayStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
