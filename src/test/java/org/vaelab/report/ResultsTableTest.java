package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.Summary;

class ResultsTableTest {

    private static ResultsTable table(boolean mixed) {
        var row = new ResultsTable.Row("mean w=0.1 (β_eff=4.9)", "Bernoulli", 4.9, Map.of(MetricId.ELBO,
                Summary.of(-100, -102), MetricId.REC, Summary.of(90, 91), MetricId.KL, Summary.of(10, 11),
                MetricId.ACTIVE_UNITS, Summary.of(16, 16)), Summary.of(10));
        return new ResultsTable(List.of(row), mixed);
    }

    @Test
    void markdownShowsMeanAndHalfWidthAndSingleSeedsPlainly() {
        String md = table(false).markdown();
        // Two seeds {-100, -102}: mean -101, half-width t_{0.975,1}·sd/√2 = 12.706·1.414/1.414 = 12.71.
        assertTrue(md.contains("| mean w=0.1 (β_eff=4.9) | 4.90 | -101.00 ± 12.71 |"), md);
        assertTrue(md.contains("| 10.0 | 2 |"), "one timing has no interval:\n" + md);
        assertTrue(!md.contains("decoder"), md);
        assertTrue(table(true).markdown().contains("| Bernoulli |"));
    }

    @Test
    void latexIsBooktabsWithEscapedLabels() {
        String tex = table(false).latex("quickstart: β sweep, 95% CI", "tab:quickstart");
        assertTrue(tex.contains("\\toprule") && tex.contains("\\midrule") && tex.contains("\\bottomrule"), tex);
        assertTrue(tex.contains("\\caption{quickstart: $\\beta$ sweep, 95\\% CI}"), tex);
        assertTrue(tex.contains("mean w=0.1 ($\\beta$\\_eff=4.9) & 4.90 & $-101.00 \\pm 12.71$"), tex);
        assertEquals("$\\sigma$-VAE \\& $\\lambda$=0.25", ResultsTable.tex("σ-VAE & λ=0.25"));
    }

    @Test
    void indexListsReportsWithTheirFindings(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/report.md"), "# a: first\n\n" + ReportIndex.findingComment("β=1 wins") + "\ntext\n");
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/report.md"), "# b: second\n");
        String index = Files.readString(ReportIndex.update(root));
        assertTrue(index.contains("- [a: first](a/report.md)  \n  β=1 wins"), index);
        assertTrue(index.contains("- [b: second](b/report.md)\n"), index);
    }
}
