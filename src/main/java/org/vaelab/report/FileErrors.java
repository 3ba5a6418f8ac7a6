package org.vaelab.report;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns the JDK's terse file errors ({@code AccessDeniedException: /x/.report.md123.tmp}) into messages that say
 * which file, what vaelab was doing and what to try: {@code cannot write /x/report.md: permission denied
 * (read-only folder?)}. A sweep may run for days; its error message is often all the user sees of the failure.
 */
public final class FileErrors {

    /** Marks an exception that already names its path and operation, so that callers up the stack keep it as is. */
    private static final class Explained extends IOException {
        private static final long serialVersionUID = 1L;

        Explained(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** An action on files, for {@link #run}. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    private FileErrors() {
    }

    /**
     * An exception whose message reads {@code cannot <operation> <path>: <reason>}, with {@code cause} as its cause;
     * {@code cause} itself if it was made here already.
     *
     * @param operation what was being done, as a verb phrase: {@code write}, {@code create folder}, {@code read}
     * @param path      the file or folder the user knows (the target, not a temporary file beside it)
     */
    public static IOException explain(String operation, Path path, IOException cause) {
        if (cause instanceof Explained) return cause;
        return new Explained("cannot " + operation + " " + path + ": " + reason(cause), cause);
    }

    /** Runs {@code action}, turning any IOException into {@link #explain(String, Path, IOException)}'s. */
    public static void run(String operation, Path path, IoAction action) throws IOException {
        try {
            action.run();
        } catch (IOException e) {
            throw explain(operation, path, e);
        }
    }

    /** Whether the error is a full disk (its message is the operating system's text, e.g. ENOSPC). */
    static boolean isNoSpace(IOException e) {
        String m = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("no space left");
    }

    private static String reason(IOException e) {
        if (isNoSpace(e)) return "no space left on the device (free some space or write the reports elsewhere)";
        if (e instanceof AccessDeniedException) return "permission denied (read-only folder?)";
        if (e instanceof NoSuchFileException n) return "no such file or folder" + other(n);
        if (e instanceof FileAlreadyExistsException f) return "already exists" + other(f);
        if (e instanceof DirectoryNotEmptyException d) return "folder not empty" + other(d);
        if (e instanceof NotDirectoryException d) return "not a folder" + other(d);
        if (e instanceof FileSystemException f) {
            String r = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
            return r + other(f);
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The JDK names the file it was touching, which may be another one than the user's (a temporary file, a parent). */
    private static String other(FileSystemException e) {
        return e.getFile() == null ? "" : " (" + e.getFile() + ")";
    }
}
