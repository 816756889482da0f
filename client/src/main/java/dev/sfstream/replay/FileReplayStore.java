package dev.sfstream.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfstream.ReplayStoreException;
import dev.sfstream.internal.JsonTree;
import dev.sfstream.internal.Shared;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay markers in one JSON file, crash-safe:
 * <ul>
 *   <li>every write is atomic: a temporary file is written and fsynced, moved over the store with an atomic rename,
 *       and the directory is fsynced, so a crash leaves either the old or the new file, never half of one;</li>
 *   <li>commits are grouped: a put marks the store dirty and one write follows within the commit interval (100 ms
 *       by default), on a worker thread, so a busy stream costs at most one fsync per interval and a slow disk
 *       delays no timer; {@link #flush()} and {@link #close()} write at once;</li>
 *   <li>one process at a time: the store holds an exclusive lock on {@code <file>.lock} (of the file's real path,
 *       so a symbolic link shares its target's lock); a second process, or a second store on the same file in this
 *       JVM, gets a {@link ReplayStoreException} saying so, and the first keeps its lock;</li>
 *   <li>the file and its lock are created readable by their owner only;</li>
 *   <li>a corrupt or unreadable file is reported with its path and what is wrong, and left as it is: never reset.</li>
 * </ul>
 * Thread-safe.
 */
public final class FileReplayStore implements ReplayStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileReplayStore.class);
    static final String FORMAT = "sfstream-replay/1";
    /** The real paths of the stores open in this JVM. */
    private static final java.util.Set<Path> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Duration commitInterval;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Map<String, ReplayMarker>> markers = new TreeMap<>();
    private final Object writeLock = new Object();
    private long version;
    private long writtenVersion;
    private ScheduledFuture<?> pending;
    private boolean closed;

    private FileReplayStore(Path path, Duration commitInterval) {
        this.path = realPath(path);
        this.commitInterval = commitInterval;
        // Refused before the lock file is touched: closing a second channel on it would drop this process's lock
        // (POSIX locks belong to the process, and any close of the file releases them).
        if (!OPEN.add(this.path)) {
            throw new ReplayStoreException("the replay store " + this.path + " is already open in this process"
                    + (this.path.equals(path.toAbsolutePath()) ? "" : " (as " + path + ")") + "; share that store "
                    + "instead of opening it twice", null);
        }
        Path lockPath = Path.of(this.path + ".lock");
        try {
            createOwnerOnly(lockPath);
            this.lockChannel = FileChannel.open(lockPath, StandardOpenOption.WRITE);
        } catch (IOException e) {
            OPEN.remove(this.path);
            throw new ReplayStoreException("cannot open the replay store lock file " + lockPath + ": " + e, e);
        }
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        } catch (IOException e) {
            closeQuietly();
            OPEN.remove(this.path);
            throw new ReplayStoreException("cannot lock the replay store " + this.path + ": " + e, e);
        }
        if (acquired == null) {
            closeQuietly();
            OPEN.remove(this.path);
            throw new ReplayStoreException("the replay store " + this.path + " is in use by another process or "
                    + "store (lock file " + lockPath + " is held); stop the other consumer or use another file", null);
        }
        this.lock = acquired;
        try {
            load();
        } catch (ReplayStoreException e) {
            release();
            throw e;
        }
    }

    /**
     * The store file's real path, so that a symbolic link and its target, or two spellings of one path, share one
     * lock. The parent directories are created when missing.
     */
    private static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(absolute)) {
                throw new ReplayStoreException("the replay store " + absolute + " is a directory: give a file path "
                        + "(for example " + absolute.resolve("replay.json") + ")", null);
            }
            if (Files.exists(absolute)) {
                return absolute.toRealPath();
            }
            Path parent = absolute.getParent();
            if (parent == null) {
                return absolute;
            }
            Files.createDirectories(parent);
            return parent.toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            throw new ReplayStoreException("cannot open the replay store " + absolute + ": " + e, e);
        }
    }

    /** A builder for a file store at {@code path}. */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /** The store's file. */
    public Path path() {
        return path;
    }

    @Override
    public Optional<ReplayMarker> get(String namespace, String channel) {
        synchronized (markers) {
            Map<String, ReplayMarker> ns = markers.get(namespace);
            return Optional.ofNullable(ns == null ? null : ns.get(channel));
        }
    }

    @Override
    public boolean put(String namespace, String channel, ReplayMarker marker) {
        Objects.requireNonNull(marker, "marker");
        synchronized (markers) {
            if (closed) {
                throw new ReplayStoreException("the replay store " + path + " is closed", null);
            }
            Map<String, ReplayMarker> ns = markers.computeIfAbsent(namespace, k -> new TreeMap<>());
            if (!marker.isAfter(ns.get(channel))) {
                return false;
            }
            ns.put(channel, marker);
            version++;
            if (pending == null) {
                pending = Shared.timer().schedule(this::commitDue, commitInterval.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
            return true;
        }
    }

    @Override
    public boolean replace(String namespace, String channel, ReplayMarker invalid, ReplayMarker marker) {
        Objects.requireNonNull(marker, "marker");
        synchronized (markers) {
            Map<String, ReplayMarker> ns = markers.get(namespace);
            if (ns != null && invalid.equals(ns.get(channel))) {
                ns.remove(channel); // the put below then stores the marker whatever its order
            }
        }
        return put(namespace, channel, marker);
    }

    @Override
    public void flush() {
        write();
    }

    @Override
    public void close() {
        synchronized (markers) {
            if (closed) {
                return;
            }
            closed = true; // first: a put from now on is refused, never accepted and then not written
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }
        try {
            write();
        } finally {
            release();
        }
    }

    /** A group commit is due: the write (with its fsyncs) runs on a worker, never on the shared timer thread. */
    private void commitDue() {
        Shared.workers().execute(this::backgroundWrite);
    }

    private void backgroundWrite() {
        synchronized (markers) {
            pending = null;
            if (closed) {
                return; // close() writes
            }
        }
        try {
            write();
        } catch (ReplayStoreException e) {
            LOG.error("sfstream: {}; retrying at the next commit", e.getMessage());
            synchronized (markers) {
                if (!closed && pending == null) {
                    pending = Shared.timer().schedule(this::commitDue, Math.max(1000,
                            commitInterval.toMillis()), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** Writes the markers if anything changed since the last write: temp file, fsync, atomic rename, fsync dir. */
    private void write() {
        synchronized (writeLock) {
            byte[] bytes;
            long snapshotVersion;
            synchronized (markers) {
                if (version == writtenVersion) {
                    return;
                }
                snapshotVersion = version;
                bytes = serialize();
            }
            Path temp = path.resolveSibling(path.getFileName() + ".tmp-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                createOwnerOnly(temp);
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    out.force(true);
                }
                try {
                    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
                }
                fsyncDirectory();
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temporary file is harmless; the next write uses another name
                }
                throw new ReplayStoreException("cannot write the replay store " + path + ": " + e, e);
            }
            synchronized (markers) {
                writtenVersion = snapshotVersion;
            }
        }
    }

    private byte[] serialize() {
        ObjectNode root = JsonTree.NODES.objectNode();
        root.put("format", FORMAT);
        ObjectNode namespaces = root.putObject("namespaces");
        markers.forEach((ns, channels) -> {
            ObjectNode n = namespaces.putObject(ns);
            channels.forEach((channel, m) -> {
                ObjectNode c = n.putObject(channel);
                if (m.position().isBytes()) {
                    c.put("position", m.position().encode()); // a Pub/Sub replay ID, kept exactly
                } else {
                    c.put("replayId", m.replayId());
                }
                c.put("createdDate", m.createdDate().toString());
            });
        });
        try {
            return JsonTree.write(root, true);
        } catch (IOException e) {
            throw new IllegalStateException("serializing replay markers cannot fail", e);
        }
    }

    private void load() {
        if (!Files.exists(path)) {
            return;
        }
        JsonNode root;
        try {
            root = JsonTree.parse(Files.readAllBytes(path));
        } catch (IOException e) {
            throw corrupt("it is not valid JSON (" + e.getClass().getSimpleName() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw corrupt("it does not hold a JSON object", null);
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw corrupt("its format is '" + root.path("format").asText() + "', expected '" + FORMAT + "'", null);
        }
        JsonNode namespaces = root.path("namespaces");
        if (!namespaces.isObject()) {
            throw corrupt("it has no 'namespaces' object", null);
        }
        for (Map.Entry<String, JsonNode> ns : namespaces.properties()) {
            if (!ns.getValue().isObject()) {
                throw corrupt("namespace '" + ns.getKey() + "' is not an object", null);
            }
            Map<String, ReplayMarker> channels = new TreeMap<>();
            for (Map.Entry<String, JsonNode> c : ns.getValue().properties()) {
                channels.put(c.getKey(), marker(c.getKey(), c.getValue()));
            }
            markers.put(ns.getKey(), channels);
        }
    }

    /** A marker as written: {@code replayId} (a number), or {@code position} (a Pub/Sub replay ID), and the date. */
    private ReplayMarker marker(String channel, JsonNode m) {
        ReplayPosition position;
        JsonNode text = m.path("position");
        JsonNode id = m.path("replayId");
        if (text.isTextual()) {
            try {
                position = ReplayPosition.decode(text.asText());
            } catch (IllegalArgumentException e) {
                throw corrupt("the marker of '" + channel + "' has no valid position", e);
            }
        } else if (id.canConvertToLong() && id.asLong() > 0) {
            position = ReplayPosition.of(id.asLong());
        } else {
            throw corrupt("the marker of '" + channel + "' has no positive replayId", null);
        }
        try {
            return new ReplayMarker(position, Instant.parse(m.path("createdDate").asText()));
        } catch (DateTimeParseException e) {
            throw corrupt("the marker of '" + channel + "' has no valid createdDate", e);
        }
    }

    private ReplayStoreException corrupt(String what, Throwable cause) {
        return new ReplayStoreException("the replay store file " + path + " cannot be read: " + what
                + ". It was left as it is: fix it, or move it away to start without markers", cause);
    }

    private void fsyncDirectory() {
        Path dir = path.getParent();
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself is still atomic.
            LOG.debug("sfstream: directory fsync of {} not supported: {}", dir, e.toString());
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"));
                Files.createFile(file, ownerOnly);
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // already there: keep it
        }
    }

    private void release() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            LOG.debug("sfstream: releasing the lock of {}: {}", path, e.toString());
        }
        closeQuietly();
        OPEN.remove(path);
    }

    private void closeQuietly() {
        try {
            lockChannel.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("sfstream: closing the lock file of {}: {}", path, e.toString());
        }
    }

    @Override
    public String toString() {
        return "FileReplayStore[" + path + "]";
    }

    /** Builds a {@link FileReplayStore}. */
    public static final class Builder {
        private final Path path;
        private Duration commitInterval = Duration.ofMillis(100);

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "path");
        }

        /** At most one write per interval; 100 ms by default. */
        public Builder commitInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("commitInterval must be positive, got " + interval);
            }
            this.commitInterval = interval;
            return this;
        }

        /**
         * Opens the store: takes the lock and reads the file if it exists.
         *
         * @throws ReplayStoreException when the file is locked by another process, corrupt or unreadable
         */
        public FileReplayStore build() {
            return new FileReplayStore(path, commitInterval);
        }
    }
}
