package org.vaelab.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaelab.metrics.MetricId;

/** The Markdown of assessed claims: one table row per claim, an index line, and a section with every seed. */
class ClaimReportTest {

    private static Assessment assess(double[] base, double[] other) {
        Claim c = new Claim("free-bits-au", "Kingma et al. 2016", "free bits | keep units", "active units", "", 1,
                new Comparison.Paired(VerdictTest.A, VerdictTest.B, MetricId.ACTIVE_UNITS), new Rule.Directional(Direction.INCREASE),
                "digits", "none");
        Map<String, SeedTable> s = new LinkedHashMap<>();
        s.put("base", VerdictTest.paired(MetricId.ACTIVE_UNITS, base));
        s.put("PyTorch init", VerdictTest.paired(MetricId.ACTIVE_UNITS, other));
        return Assessment.of(c, s);
    }

    @Test
    void tableIndexLineAndSection() {
        Assessment a = assess(new double[]{2, 3, 2.5, 3.5, 3}, new double[]{2.2, 2.9, 2.4, 3.1, 3.3});
        assertTrue(a.robust());
        String table = ClaimReport.table(List.of(a));
        assertTrue(table.contains("| [free-bits-au](#free-bits-au) free bits \\| keep units | Kingma et al. 2016 | active units: scheme − β=1,"
                + " paired by seed | +2.8 [+2.1, +3.5] | 5 | **reproduced** | robust: reproduced in all 2 settings |"), table);
        assertEquals("Kingma et al. 2016: free bits | keep units: **reproduced** (robust); +2.8 [+2.1, +3.5], n = 5",
                ClaimReport.indexLine(a));
        String section = ClaimReport.details(a);
        assertTrue(section.startsWith("### free-bits-au\n"), section);
        assertTrue(section.contains("- *base:* **reproduced**, mean +2.8, 95% CI [+2.1, +3.5], n = 5: CI entirely above 0. Per seed:"
                + " 1: 2.0, 2: 3.0, 3: 2.5, 4: 3.5, 5: 3.0"), section);
        assertTrue(section.contains("fewer than 5 seeds: inconclusive"), section);
        assertEquals("1 reproduced, 0 not reproduced, 0 inconclusive", ClaimReport.counts(List.of(a)));
    }

    /** Inconclusive everywhere is not "robust": there is no verdict to be robust about. */
    @Test
    void inconclusiveEverywhereIsNotCalledRobust() {
        Assessment a = assess(new double[]{-1, 2, -0.5, 1.5, 0.3}, new double[]{-1, 1, -0.5, 1.5, 0.3});
        assertFalse(a.robust());
        assertFalse(a.fragile());
        assertEquals("inconclusive in all 2 settings", a.robustness());
        assertFalse(ClaimReport.indexLine(a).contains("robust"), ClaimReport.indexLine(a));
    }
}
