package org.vaelab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests as lower-case hex, the form {@code sha256sum} prints, so that hashes in code, in
 * {@code data/README.md} and on the command line can be compared by eye.
 */
public final class Checksums {

    private Checksums() {
    }

    /** SHA-256 of a file's bytes, hex. Throws {@link DataException} naming the file if it cannot be read. */
    public static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new DataException("cannot read " + file + " to compute its SHA-256: " + e
                    + ". Check that the file exists and is readable.", e);
        }
    }

    /** SHA-256 of a byte array, hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /**
     * One digest standing for several files: the SHA-256 of the concatenation of their hex digests, in the
     * order given, as ASCII. Reproducible from the shell, e.g. for an images and a labels file:
     * {@code printf %s "$(sha256sum images.gz | cut -d' ' -f1)$(sha256sum labels.gz | cut -d' ' -f1)" | sha256sum}.
     *
     * @param hexDigests lower-case hex digests, e.g. from {@link #sha256(Path)}
     */
    public static String combine(String... hexDigests) {
        if (hexDigests.length == 0) throw new IllegalArgumentException("combine needs at least one digest");
        MessageDigest md = digest();
        for (String hex : hexDigests) md.update(hex.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE implementation must provide SHA-256 (MessageDigest Javadoc), so this is a broken JRE.
            throw new IllegalStateException("this JRE provides no SHA-256", e);
        }
    }
}
