package org.vaelab.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive claim on one thing in a shared run store (a run to train, a report to write), held by an
 * operating-system lock on a small file.
 *
 * <p>Why an OS lock and not a lock file that exists or not: the kernel releases an {@code fcntl} lock when its
 * process dies, even by {@code kill -9} or a machine crash on a network file system with lock recovery, so a dead
 * process's claim can never block a sweep forever, and no stale-lock heuristic (ages, pids on other hosts) is
 * needed. On Linux Java's {@link FileChannel#lock} is an {@code fcntl} record lock, which local file systems and
 * NFS (v4, or v3 with lockd) honour across machines. The lock file itself stays (a few bytes, hidden); it holds the
 * current holder's {@code pid@host} and start time so that a waiting process can say whom it waits for.
 *
 * <p>Locks are per process: two threads of one JVM asking for the same name are told it is held (the second
 * {@link #tryAcquire} returns empty) rather than failing with {@link OverlappingFileLockException}.
 */
public final class StoreLock implements AutoCloseable {

    /** Names of locks this JVM holds: {@code FileChannel} locks are per process, so a second claim is refused here. */
    private static final java.util.Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code name} under {@code dir}/.locks/. */
    public static Path fileOf(Path dir, String name) {
        return dir.resolve(".locks").resolve(name + ".lock");
    }

    /**
     * Claims {@code name} if nobody holds it.
     *
     * @return the held lock, or empty if another process (or another thread of this one) holds it
     * @throws IOException if the lock file cannot be created; the message names it
     */
    public static Optional<StoreLock> tryAcquire(Path dir, String name) throws IOException {
        return acquire(fileOf(dir, name), false);
    }

    /** Claims {@code name}, waiting for its holder to finish (or die) if it is held. */
    public static StoreLock acquire(Path dir, String name) throws IOException {
        return acquire(fileOf(dir, name), true).orElseThrow();
    }

    /** Who holds {@code name}, as its lock file says ({@code pid@host since time}); empty if unknown. */
    public static String holder(Path dir, String name) {
        try {
            return Files.readString(fileOf(dir, name), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<StoreLock> acquire(Path file, boolean wait) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        while (!HELD_HERE.add(key)) {
            if (!wait) return Optional.empty();
            sleep();
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock l = wait ? ch.lock() : ch.tryLock();
            if (l == null) {
                ch.close();
                HELD_HERE.remove(key);
                return Optional.empty();
            }
            String me = ManagementFactory.getRuntimeMXBean().getName() + " since "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            return Optional.of(new StoreLock(key, ch, l));
        } catch (IOException | RuntimeException e) {
            if (ch != null) ch.close();
            HELD_HERE.remove(key);
            if (e instanceof IOException io) throw new IOException("cannot lock " + file + ": " + io.getMessage(), io);
            throw e;
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a lock", e);
        }
    }

    /** Releases the claim; the lock file stays for the next holder. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD_HERE.remove(file);
        }
    }
}
