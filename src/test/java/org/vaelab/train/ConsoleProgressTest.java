package org.vaelab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    /** In a log: one line per quarter; no ETA from the warm-up steps, an ETA once steps after them have run. */
    @Test
    void logLinesAtQuartersWithAnEtaOnlyAfterWarmUp() {
        var buf = new ByteArrayOutputStream();
        var p = new ConsoleProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), "[1/1] run", false);
        for (long s = 1; s <= 100; s++) p.stepDone(s, 100);
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("25/100 steps") && lines.get(0).endsWith("ETA …"),
                "5 steps after the warm-up are too few for an estimate: " + lines.get(0));
        assertTrue(lines.get(1).matches(".*50/100 steps, \\d+ steps/s ETA \\d+:\\d\\d$"), lines.get(1));
        assertTrue(lines.get(3).matches(".*100/100 steps, \\d+ steps/s in \\d+:\\d\\d$"), lines.get(3));
    }

    @Test
    void clockReadsMinutesAndHours() {
        assertEquals("0:05", ConsoleProgress.clock(5));
        assertEquals("31:10", ConsoleProgress.clock(1870));
        assertEquals("1:02:03", ConsoleProgress.clock(3723));
    }
}
