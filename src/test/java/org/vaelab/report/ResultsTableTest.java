package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.EvaluationContext;
import org.vaelab.metrics.MetricSet;
import org.vaelab.metrics.MigMetric;
import org.vaelab.metrics.Summary;
import org.vaelab.metrics.VaeMetric;

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
        assertTrue(tex.contains("mean w=0.1 ($\\beta_\\mathrm{eff}$=4.9) & 4.90 & $-101.00 \\pm 12.71$"), tex);
        assertEquals("$\\sigma$-VAE \\& $\\lambda$=0.25", ResultsTable.tex("σ-VAE & λ=0.25"));
    }

    /** A symbol with a subscript is math with the subscript, never an escaped underscore outside math. */
    @Test
    void subscriptsBecomeMath() {
        assertEquals("mean w=0.1 ($\\beta_\\mathrm{eff}$=2.45)", ResultsTable.tex("mean w=0.1 (β_eff=2.45)"));
        assertEquals("capacity $C_t$ and $C_\\mathrm{max}$=25", ResultsTable.tex("capacity C_t and C_max=25"));
        assertEquals("constraint\\_ma", ResultsTable.tex("constraint_ma"), "a word with an underscore stays text");
        assertEquals("batch $B = 128$, 5\\%", ResultsTable.tex("batch $B = 128$, 5%"), "math passed in is kept");
        assertEquals("costs \\$5", ResultsTable.tex("costs $5"), "a lone dollar is escaped");
        for (String label : SyntheticRuns.SHOOTOUT) {
            String t = ResultsTable.tex(label);
            assertTrue(!t.contains("\\_"), t);
            assertEquals(0, t.chars().filter(c -> c == '$').count() % 2, "balanced math in " + t);
        }
    }

    /** Columns come from the metric list: a new metric's column is appended, shown only when every row has it. */
    @Test
    void metricColumnsComeFromTheMetricList() {
        MetricId images = MetricId.model("images");
        VaeMetric toy = new VaeMetric() {
            public String name() {
                return "images";
            }

            public List<MetricId> ids() {
                return List.of(images);
            }

            public List<Column> columns() {
                return List.of(Column.of(images, "images", "Images", 0, "number of evaluation images"));
            }

            public Map<MetricId, Double> compute(EvaluationContext c) {
                return Map.of(images, (double) c.n());
            }
        };
        Map<MetricId, Summary> m = new LinkedHashMap<>(Map.of(MetricId.ELBO, Summary.of(-100, -102), MetricId.REC,
                Summary.of(90, 91), MetricId.KL, Summary.of(10, 11), MetricId.ACTIVE_UNITS, Summary.of(16, 16),
                MigMetric.MIG, Summary.of(0.25, 0.25), images, Summary.of(200, 200)));
        var columns = MetricSet.standard().with(toy).columns();
        var row = new ResultsTable.Row("a", "Bernoulli", 1, m, Summary.of(10, 10));
        String md = new ResultsTable(List.of(row), false, columns).markdown();
        assertTrue(md.startsWith("| configuration | β | ELBO | Rec (D) | KL (R) | active units | MIG | images |"
                + " train time (s) | N |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"), md);
        assertTrue(md.contains("| 16.0 ± 0.0 | 0.25 ± 0.00 | 200 ± 0 |"), md);
        // A row without MIG hides the column; the standard columns alone do not know the toy metric.
        Map<MetricId, Summary> noMig = new LinkedHashMap<>(m);
        noMig.remove(MigMetric.MIG);
        var other = new ResultsTable.Row("b", "Bernoulli", 1, noMig, Summary.of(10, 10));
        String both = new ResultsTable(List.of(row, other), false, columns).latex("c", "tab:c");
        assertTrue(both.contains("\\begin{tabular}{lrrrrrrrr}") && !both.contains("MIG") && both.contains("Images &"), both);
        assertTrue(!new ResultsTable(List.of(row), false).markdown().contains("images"));
        var iw = new LinkedHashMap<>(m);
        iw.put(MetricId.IW_NLL, Summary.of(95, 96));
        iw.put(MetricId.IW_K, Summary.of(5000, 5000));
        String withIw = new ResultsTable(List.of(new ResultsTable.Row("a", "Bernoulli", 1, iw, Summary.of(1))), false)
                .markdown();
        assertTrue(withIw.startsWith("| configuration | β | ELBO | IW-NLL (K=5000) | Rec (D) |"), withIw);
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
