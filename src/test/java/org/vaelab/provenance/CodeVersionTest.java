package org.vaelab.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code hash ignores debug information (comments, blank lines, local names) but sees every change of code. */
class CodeVersionTest {

    private static final String ORIGINAL = """
            package p;

            public class Numbers {
                public static double scale(double x) {
                    double factor = 2.5;
                    return x * factor;
                }
            }
            """;

    /** The same code with a comment, blank lines (every line moves) and a renamed local variable. */
    private static final String COMMENTED = """
            package p;

            /** Scales numbers. */
            public class Numbers {


                // Why 2.5: see the paper.
                public static double scale(double x) {
                    double k = 2.5;   // renamed, moved down
                    return x * k;
                }
            }
            """;

    private static final String CHANGED = ORIGINAL.replace("2.5", "2.6");

    /** Compiles one source with full debug information ({@code -g}) and returns the class file's bytes. */
    private static byte[] compile(Path dir, String source) throws IOException {
        Path src = dir.resolve("src/p/Numbers.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path out = Files.createDirectories(dir.resolve("out"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-g", "--release", "17", "-d", out.toString(), src.toString());
        assertEquals(0, rc, "javac failed on\n" + source);
        return Files.readAllBytes(out.resolve("p/Numbers.class"));
    }

    private static String hash(byte[] classFile) {
        return CodeVersion.sha256(new TreeMap<>(java.util.Map.of("p/Numbers.class", classFile)));
    }

    @Test
    void commentsBlankLinesAndLocalNamesDoNotChangeTheHashButAConstantDoes(@TempDir Path a, @TempDir Path b,
                                                                         @TempDir Path c) throws IOException {
        byte[] original = compile(a, ORIGINAL);
        byte[] commented = compile(b, COMMENTED);
        byte[] changed = compile(c, CHANGED);
        // The raw class files differ (line numbers, local names), so equal hashes below are the stripping's doing.
        assertFalse(Arrays.equals(original, commented), "javac -g should record the moved lines");
        assertEquals(hash(original), hash(commented), "a comment edit or moved line must not change the code hash");
        assertNotEquals(hash(original), hash(changed), "a changed constant must change the code hash");
    }

    @Test
    void theNumericPackagesHashAndDifferenceCheck() {
        String sha = CodeVersion.sha256();
        assertTrue(sha.matches("[0-9a-f]{64}"), sha);
        assertEquals(sha, CodeVersion.sha256());
        assertFalse(CodeVersion.differsFrom(sha));
        assertTrue(CodeVersion.differsFrom("0".repeat(64)));
        assertTrue(CodeVersion.differsFrom(null), "a run without a recorded hash cannot be shown to be the same code");
        assertEquals(List.of("org.vaelab.data", "org.vaelab.loss", "org.vaelab.model", "org.vaelab.train",
                "org.vaelab.weighting", "org.vaelab.metrics"), CodeVersion.PACKAGES);
    }
}
