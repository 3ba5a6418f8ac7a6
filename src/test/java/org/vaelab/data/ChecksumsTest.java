package org.vaelab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {

    // FIPS 180-2, appendix B.1: SHA-256("abc").
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void knownDigestOfFileAndBytes(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("abc.txt"), "abc", StandardCharsets.US_ASCII);
        assertEquals(ABC, Checksums.sha256(f));
        assertEquals(ABC, Checksums.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void combineHashesConcatenatedHexInOrder() {
        String a = Checksums.sha256(new byte[] {1});
        String b = Checksums.sha256(new byte[] {2});
        assertEquals(Checksums.sha256((a + b).getBytes(StandardCharsets.US_ASCII)), Checksums.combine(a, b));
        assertNotEquals(Checksums.combine(a, b), Checksums.combine(b, a));
    }
}
