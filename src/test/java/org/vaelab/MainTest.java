package org.vaelab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private static String[] capture(String experiment) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(experiment);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void unknownExperimentExitsNonZeroAndListsTheKnownOnes() {
        String[] r = capture("quickstrat");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown experiment 'quickstrat'") && r[2].contains("quickstart"), r[2]);
        assertEquals(1, r[2].lines().filter(l -> l.startsWith("vaelab:")).count(), "one error line, no stack trace:\n" + r[2]);
    }

    @Test
    void listPrintsOneLinePerExperiment() {
        String[] r = capture("list");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("quickstart"), r[1]);
    }
}
