package org.vaelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.MetricSet;
import org.vaelab.metrics.SeedAggregator;
import org.vaelab.metrics.Summary;
import org.vaelab.train.RunConfig;
import org.vaelab.metrics.VaeMetric;
import org.vaelab.train.StepLog;
import org.vaelab.loss.TraceKey;

/**
 * The results table of a report: one row per configuration, mean ± 95% t-interval half-width over seeds, rendered
 * as Markdown (for the report) and as a LaTeX booktabs table (for papers). Built once from finished runs.
 *
 * <p>The metric columns come from a {@link MetricSet} ({@link MetricSet#columns()}): a column is shown when every row
 * has its metric, so MIG appears for data sets with factors and the IW-NLL when it was computed. The fixed columns
 * are the configuration, the decoder (only when configurations differ in it), β, the training time and N.
 *
 * @param rows          one per configuration, in plan order
 * @param mixedDecoders whether configurations use different decoder likelihoods (then a decoder column is shown)
 * @param columns       the metric columns that may be shown, in order
 */
public record ResultsTable(List<Row> rows, boolean mixedDecoders, List<VaeMetric.Column> columns) {

    public ResultsTable {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
    }

    /** A table with the standard metrics' columns. */
    public ResultsTable(List<Row> rows, boolean mixedDecoders) {
        this(rows, mixedDecoders, MetricSet.standard().columns());
    }

    /** The metric columns shown: those whose metric every row has. */
    public List<VaeMetric.Column> shownColumns() {
        return columns.stream().filter(c -> rows.stream().allMatch(r -> r.metrics().containsKey(c.id()))).toList();
    }

    /**
     * One configuration's numbers.
     *
     * @param label   configuration label
     * @param decoder decoder likelihood, e.g. {@code Bernoulli}
     * @param beta    KL weight in force at the end of training (β_eff for the mean recipe), NaN if none was traced
     * @param metrics summaries over seeds of every metric the runs report
     * @param seconds training wall time
     */
    public record Row(String label, String decoder, double beta, Map<MetricId, Summary> metrics, Summary seconds) {
        public Row {
            metrics = Map.copyOf(metrics);
        }

        /** The number of seeds: that of the metric summaries (every seed reports the same metrics). */
        public int n() {
            return metrics.values().stream().mapToInt(Summary::n).max().orElse(seconds.n());
        }
    }

    /** Builds the table from finished runs grouped by configuration label, with the standard metrics' columns. */
    public static ResultsTable of(Map<String, List<RunRecord>> finished) {
        return of(finished, MetricSet.standard());
    }

    /**
     * Builds the table from finished runs grouped by configuration label (each list non-empty, all finished), with
     * the columns of {@code metrics}.
     */
    public static ResultsTable of(Map<String, List<RunRecord>> finished, MetricSet metrics) {
        List<Row> rows = new ArrayList<>();
        for (var e : finished.entrySet()) {
            List<RunRecord> runs = e.getValue();
            Map<MetricId, Summary> s = SeedAggregator.summarize(runs.stream().map(RunRecord::metrics).toList());
            double[] secs = runs.stream().mapToDouble(r -> r.provenance().trainSeconds()).toArray();
            RunRecord first = runs.get(0);
            String decoder = decoder(first);
            rows.add(new Row(e.getKey(), decoder, finalBeta(first), s, Summary.of(secs)));
        }
        boolean mixed = rows.stream().map(Row::decoder).distinct().count() > 1;
        return new ResultsTable(rows, mixed, metrics.columns());
    }

    /** The run's decoder likelihood as a word: {@code Bernoulli} or {@code Gaussian}. */
    static String decoder(RunRecord r) {
        String name = r.config().model().likelihood().name();
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }

    /**
     * The part of a table caption that says what the numbers are from, taken from the runs' configurations: data
     * set and binarisation, model, optimiser, batch, epochs and the number of seeds.
     */
    static String setupCaption(Map<String, List<RunRecord>> finished) {
        List<RunRecord> all = finished.values().stream().flatMap(List::stream).toList();
        RunConfig c = all.get(0).config();
        StringBuilder sb = new StringBuilder("Data: ").append(distinct(all, r -> r.config().data().dataset()));
        sb.append(", ").append(distinct(all, r -> switch (r.config().data().binarization()) {
            case NONE -> "not binarised";
            case DYNAMIC -> "dynamically binarised";
            case STATIC -> "statically binarised";
        }));
        if (c.data().trainLimit() > 0 || c.data().testLimit() > 0)
            sb.append(" (first ").append(c.data().trainLimit()).append(" train / ").append(c.data().testLimit())
                    .append(" test images)");
        sb.append(". Model: MLP VAE ").append(distinct(all, r -> r.config().model().describe().replaceFirst(",.*$", "")));
        List<String> decoders = all.stream().map(ResultsTable::decoder).distinct().toList();
        sb.append(decoders.size() == 1 ? ", " + decoders.get(0) + " decoder" : ", decoder per row (Decoder column)");
        sb.append(". Training: Adam, learning rate ").append(distinct(all, r -> String.valueOf(r.config().train().learningRate())))
                .append(", batch $B = ").append(distinct(all, r -> String.valueOf(r.config().train().batchSize())))
                .append("$, ").append(distinct(all, r -> String.valueOf(r.config().train().epochs())))
                .append(c.train().epochs() == 1 ? " epoch. " : " epochs. ");
        java.util.IntSummaryStatistics n = finished.values().stream().mapToInt(List::size).summaryStatistics();
        String seeds = n.getMin() == n.getMax() ? String.valueOf(n.getMax()) : n.getMin() + "--" + n.getMax();
        sb.append("Test-set metrics in nats per image, mean ± 95% t-interval half-width over ").append(seeds)
                .append(n.getMax() == 1 ? " seed" : " seeds").append(" ($N$).");
        return sb.toString();
    }

    /** The value all runs share, or the distinct values joined by " / " if they differ. */
    private static String distinct(List<RunRecord> runs, java.util.function.Function<RunRecord, String> f) {
        return String.join(" / ", runs.stream().map(f).distinct().toList());
    }

    private static double finalBeta(RunRecord r) {
        StepLog log = r.steps();
        return log == null ? Double.NaN : log.last(TraceKey.BETA);
    }

    /** The header of a column, with its parameter's value (the first row's, all rows of a report share it). */
    private String header(VaeMetric.Column c, boolean latex) {
        String h = latex ? c.latexHeader() : c.header();
        if (c.parameter() == null) return h;
        Summary p = rows.isEmpty() ? null : rows.get(0).metrics().get(c.parameter());
        String v = p == null ? "?" : p.mean() == Math.rint(p.mean()) ? String.valueOf((long) p.mean())
                : String.format(Locale.ROOT, "%.3g", p.mean());
        return latex ? h + " ($" + c.parameterName() + "=" + v + "$)" : h + " (" + c.parameterName() + "=" + v + ")";
    }

    /** The table in GitHub Markdown. */
    public String markdown() {
        List<VaeMetric.Column> shown = shownColumns();
        StringBuilder sb = new StringBuilder("| configuration |").append(mixedDecoders ? " decoder |" : "").append(" β |");
        for (VaeMetric.Column c : shown) sb.append(' ').append(header(c, false)).append(" |");
        sb.append(" train time (s) | N |\n|---|").append(mixedDecoders ? "---|" : "").append("---:|")
                .append("---:|".repeat(shown.size())).append("---:|---:|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.label()).append(" | ");
            if (mixedDecoders) sb.append(r.decoder()).append(" | ");
            sb.append(beta(r.beta())).append(" | ");
            for (VaeMetric.Column c : shown) sb.append(cell(r.metrics().get(c.id()), c.decimals(), " ± ")).append(" | ");
            sb.append(cell(r.seconds(), 1, " ± ")).append(" | ").append(r.n()).append(" |\n");
        }
        return sb.toString();
    }

    /** The table as a LaTeX {@code table} with booktabs rules (needs {@code \\usepackage{booktabs}}). */
    public String latex(String caption, String label) {
        List<VaeMetric.Column> shown = shownColumns();
        StringBuilder sb = new StringBuilder();
        sb.append("% Generated by vaelab; needs \\usepackage{booktabs}.\n");
        sb.append("\\begin{table}[t]\n\\centering\n\\small\n");
        sb.append("\\caption{").append(tex(caption)).append("}\n\\label{").append(label).append("}\n");
        sb.append("\\begin{tabular}{l").append(mixedDecoders ? "l" : "").append("r").append("r".repeat(shown.size()))
                .append("rr}\n\\toprule\n");
        sb.append("Configuration & ").append(mixedDecoders ? "Decoder & " : "").append("$\\beta$ & ");
        for (VaeMetric.Column c : shown) sb.append(header(c, true)).append(" & ");
        sb.append("Train (s) & $N$ \\\\\n\\midrule\n");
        for (Row r : rows) {
            sb.append(tex(r.label())).append(" & ");
            if (mixedDecoders) sb.append(r.decoder()).append(" & ");
            sb.append(beta(r.beta()).replace("–", "--")).append(" & ");
            for (VaeMetric.Column c : shown)
                sb.append("$").append(cell(r.metrics().get(c.id()), c.decimals(), " \\pm ")).append("$ & ");
            sb.append("$").append(cell(r.seconds(), 1, " \\pm ")).append("$ & ").append(r.n()).append(" \\\\\n");
        }
        sb.append("\\bottomrule\n\\end{tabular}\n\\end{table}\n");
        return sb.toString();
    }

    /** Mean ± CI half-width; a single seed has no interval, and the N column says so. */
    private static String cell(Summary s, int decimals, String pm) {
        String mean = String.format(Locale.ROOT, "%." + decimals + "f", s.mean());
        return s.n() < 2 ? mean : mean + pm + String.format(Locale.ROOT, "%." + decimals + "f", s.halfWidth());
    }

    private static String beta(double b) {
        return Double.isNaN(b) ? "–" : String.format(Locale.ROOT, "%.3g", b);
    }

    /**
     * Escapes text for LaTeX and writes the Greek letters vaelab's labels use as math. A lone letter with a
     * subscript ({@code β_eff}, {@code C_t}) becomes math with the subscript, upright if it is a word
     * ({@code $\beta_\mathrm{eff}$}), never an escaped underscore. Text already in math ({@code $…$}) is kept as is.
     */
    static String tex(String s) {
        StringBuilder sb = new StringBuilder();
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '$') {   // math written by the caller, e.g. $B = 128$
                int end = s.indexOf('$', i + 1);
                if (end > i) {
                    sb.append(s, i, end + 1);
                    i = end;
                    continue;
                }
            }
            boolean lone = Character.isLetter(c) && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)));
            if (lone && i + 2 < n && s.charAt(i + 1) == '_' && Character.isLetterOrDigit(s.charAt(i + 2))) {
                int j = i + 2;
                while (j < n && Character.isLetterOrDigit(s.charAt(j))) j++;
                String sub = s.substring(i + 2, j);
                String base = greek(c);
                sb.append('$').append(base == null ? String.valueOf(c) : base).append('_')
                        .append(sub.length() == 1 ? sub : "\\mathrm{" + sub + "}").append('$');
                i = j - 1;
                continue;
            }
            String g = greek(c);
            if (g != null) {
                sb.append('$').append(g).append('$');
                continue;
            }
            switch (c) {
                case '\\' -> sb.append("\\textbackslash{}");
                case '&', '%', '#', '_', '{', '}', '$' -> sb.append('\\').append(c);
                case '~' -> sb.append("\\textasciitilde{}");
                case '^' -> sb.append("\\textasciicircum{}");
                case '±' -> sb.append("$\\pm$");
                case '–', '—' -> sb.append("--");
                case '…' -> sb.append("\\dots{}");
                case '×' -> sb.append("$\\times$");
                case '≈' -> sb.append("$\\approx$");
                case '·' -> sb.append("$\\cdot$");
                case '‖' -> sb.append("$\\|$");
                default -> sb.append(c);
            }
        }
        return sb.toString().replace("$$", "");
    }

    /** The LaTeX command of a Greek letter vaelab's labels use, or null. */
    private static String greek(char c) {
        return switch (c) {
            case 'β' -> "\\beta";
            case 'σ' -> "\\sigma";
            case 'λ' -> "\\lambda";
            case 'κ' -> "\\kappa";
            case 'γ' -> "\\gamma";
            case 'μ' -> "\\mu";
            default -> null;
        };
    }
}
