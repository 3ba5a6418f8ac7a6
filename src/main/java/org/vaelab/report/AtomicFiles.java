package org.vaelab.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * Writes files so that a reader (or a resumed sweep) never sees half of one: write a temporary file in the same
 * folder, flush it to disk, then rename it over the target. Files come out {@code rw-r--r--} (0644) and folders
 * {@code rwxr-xr-x} (0755) where the file system has POSIX permissions, whatever the process's umask or the
 * private mode of temporary files: reports are meant to be read by others (a web server, a shared cluster folder).
 * Every IOException names the file and the operation ({@link FileErrors}).
 */
public final class AtomicFiles {

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private AtomicFiles() {
    }

    /** Writes {@code target} atomically with the bytes {@code writer} produces, replacing any older file. */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createFolders(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw FileErrors.explain("write", target, e);
        }
        try {
            FileErrors.run("write", target, () -> {
                writeSynced(tmp, writer);
                setMode(tmp, FILE_MODE);
            });
            move(tmp, target);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Writes {@code content} as UTF-8; see {@link #write(Path, Writer)}. */
    public static void writeString(Path target, String content) throws IOException {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Renames {@code from} to {@code to} atomically where the file system allows, replacing {@code to}. */
    public static void move(Path from, Path to) throws IOException {
        FileErrors.run("move " + from + " to", to, () -> {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        });
    }

    /**
     * Makes sure a long job can write its results into {@code dir} before it starts, rather than failing after
     * hours of training: creates the folder if needed, writes and deletes a probe file, and checks that at least
     * {@code bytesNeeded} bytes are free.
     *
     * @throws IOException naming the folder and the fix, e.g. {@code not enough space in /x: 5.0 GB needed, 1.2 GB
     *                     free; free some space or write the reports elsewhere}
     */
    public static void checkWritable(Path dir, long bytesNeeded) throws IOException {
        createFolders(dir);
        FileErrors.run("write into", dir, () -> {
            Path probe = Files.createTempFile(dir, ".vaelab-write-probe-", ".tmp");
            try {
                Files.write(probe, new byte[] {1});
            } finally {
                Files.deleteIfExists(probe);
            }
        });
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw FileErrors.explain("measure the free space of", dir, e);
        }
        if (free < bytesNeeded)
            throw new IOException("not enough space in " + dir + ": " + bytes(bytesNeeded) + " needed, " + bytes(free)
                    + " free; free some space or write the reports elsewhere");
    }

    /** Creates {@code dir} and its missing parents, the new ones 0755. */
    static void createFolders(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) return;
        createFolders(abs.getParent());
        try {
            Files.createDirectory(abs);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (Files.isDirectory(abs)) return;   // created meanwhile by another writer (a shard)
            throw FileErrors.explain("create folder", abs, e);
        } catch (IOException e) {
            throw FileErrors.explain("create folder", abs, e);
        }
        FileErrors.run("set the permissions of", abs, () -> setMode(abs, FOLDER_MODE));
    }

    /**
     * Writes a new file and forces it to disk, so that a rename that survives a power cut never points at a file
     * whose content did not.
     */
    static void writeSynced(Path file, Writer writer) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            // Writers such as Jackson close the stream they are given; the channel must stay open until forced.
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch)) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            writer.write(out);
            out.flush();
            ch.force(true);
        }
    }

    /** Sets POSIX permissions; does nothing where the file system has none (Windows), where the defaults are readable. */
    static void setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        if (view != null) view.setPermissions(mode);
    }

    private static String bytes(long n) {
        if (n < 1_000_000) return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
        if (n < 1_000_000_000) return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        return String.format(Locale.ROOT, "%.1f GB", n / 1e9);
    }
}
