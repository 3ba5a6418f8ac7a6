package org.vaelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vaelab.metrics.MetricId;
import org.vaelab.metrics.SeedAggregator;
import org.vaelab.metrics.Summary;
import org.vaelab.train.RunConfig;
import org.vaelab.train.StepLog;
import org.vaelab.loss.TraceKey;

/**
 * The results table of a report: one row per configuration, mean ± 95% t-interval half-width over seeds, rendered
 * as Markdown (for the report) and as a LaTeX booktabs table (for papers). Built once from finished runs.
 *
 * @param rows       one per configuration, in plan order
 * @param mixedDecoders whether configurations use different decoder likelihoods (then a decoder column is shown)
 */
public record ResultsTable(List<Row> rows, boolean mixedDecoders) {

    private boolean hasMi() {
        return rows.stream().allMatch(r -> r.mi() != null);
    }

    private boolean hasIw() {
        return rows.stream().allMatch(r -> r.iwNll() != null);
    }

    /** K of the IW-NLL column (the first row's; all rows of a report share it). */
    private int iwK() {
        return rows.isEmpty() ? 0 : rows.get(0).iwK();
    }

    /**
     * One configuration's numbers.
     *
     * @param label   configuration label
     * @param decoder decoder likelihood, e.g. {@code Bernoulli}
     * @param beta    KL weight in force at the end of training (β_eff for the mean recipe), NaN if none was traced
     * @param elbo    test ELBO
     * @param rec     test distortion
     * @param kl      test rate
     * @param active  active units
     * @param mi      mutual information I(x; z) estimate (He et al. 2019), or null if not measured
     * @param iwNll   importance-weighted NLL, or null if not computed
     * @param iwK     its number of importance samples (0 if not computed)
     * @param seconds training wall time
     */
    public record Row(String label, String decoder, double beta, Summary elbo, Summary rec, Summary kl, Summary active,
                      Summary mi, Summary iwNll, int iwK, Summary seconds) {
        public int n() {
            return elbo.n();
        }
    }

    /** Builds the table from finished runs grouped by configuration label (each list non-empty, all finished). */
    public static ResultsTable of(Map<String, List<RunRecord>> finished) {
        List<Row> rows = new ArrayList<>();
        for (var e : finished.entrySet()) {
            List<RunRecord> runs = e.getValue();
            Map<MetricId, Summary> s = SeedAggregator.summarize(runs.stream().map(RunRecord::metrics).toList());
            double[] secs = runs.stream().mapToDouble(r -> r.provenance().trainSeconds()).toArray();
            RunRecord first = runs.get(0);
            String decoder = decoder(first);
            int k = first.metrics().getOrDefault(MetricId.IW_K, 0.0).intValue();
            rows.add(new Row(e.getKey(), decoder, finalBeta(first), s.get(MetricId.ELBO), s.get(MetricId.REC),
                    s.get(MetricId.KL), s.get(MetricId.ACTIVE_UNITS), s.get(MetricId.MI), s.get(MetricId.IW_NLL), k,
                    Summary.of(secs)));
        }
        boolean mixed = rows.stream().map(Row::decoder).distinct().count() > 1;
        return new ResultsTable(List.copyOf(rows), mixed);
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

    /** The table in GitHub Markdown. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("| configuration |").append(mixedDecoders ? " decoder |" : "")
                .append(" β | ELBO |").append(hasIw() ? " IW-NLL (K=" + iwK() + ") |" : "")
                .append(" Rec (D) | KL (R) |").append(hasMi() ? " MI |" : "").append(" active units | train time (s) | N |\n|---|")
                .append(mixedDecoders ? "---|" : "").append("---:|---:|").append(hasIw() ? "---:|" : "")
                .append("---:|---:|").append(hasMi() ? "---:|" : "").append("---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.label()).append(" | ");
            if (mixedDecoders) sb.append(r.decoder()).append(" | ");
            sb.append(beta(r.beta())).append(" | ").append(cell(r.elbo(), 2, " ± ")).append(" | ");
            if (hasIw()) sb.append(cell(r.iwNll(), 2, " ± ")).append(" | ");
            sb.append(cell(r.rec(), 2, " ± ")).append(" | ").append(cell(r.kl(), 2, " ± ")).append(" | ");
            if (hasMi()) sb.append(cell(r.mi(), 2, " ± ")).append(" | ");
            sb.append(cell(r.active(), 1, " ± ")).append(" | ").append(cell(r.seconds(), 1, " ± ")).append(" | ")
                    .append(r.n()).append(" |\n");
        }
        return sb.toString();
    }

    /** The table as a LaTeX {@code table} with booktabs rules (needs {@code \\usepackage{booktabs}}). */
    public String latex(String caption, String label) {
        StringBuilder sb = new StringBuilder();
        sb.append("% Generated by vaelab; needs \\usepackage{booktabs}.\n");
        sb.append("\\begin{table}[t]\n\\centering\n\\small\n");
        sb.append("\\caption{").append(tex(caption)).append("}\n\\label{").append(label).append("}\n");
        sb.append("\\begin{tabular}{l").append(mixedDecoders ? "l" : "").append("rr").append(hasIw() ? "r" : "")
                .append("rr").append(hasMi() ? "r" : "").append("rrr}\n\\toprule\n");
        sb.append("Configuration & ").append(mixedDecoders ? "Decoder & " : "").append("$\\beta$ & ELBO & ")
                .append(hasIw() ? "IW-NLL ($K=" + iwK() + "$) & " : "").append("Rec ($D$) & KL ($R$) & ")
                .append(hasMi() ? "MI & " : "").append("Active units & Train (s) & $N$ \\\\\n\\midrule\n");
        for (Row r : rows) {
            sb.append(tex(r.label())).append(" & ");
            if (mixedDecoders) sb.append(r.decoder()).append(" & ");
            sb.append(beta(r.beta()).replace("–", "--")).append(" & $").append(cell(r.elbo(), 2, " \\pm ")).append("$ & ");
            if (hasIw()) sb.append("$").append(cell(r.iwNll(), 2, " \\pm ")).append("$ & ");
            sb.append("$").append(cell(r.rec(), 2, " \\pm ")).append("$ & $").append(cell(r.kl(), 2, " \\pm ")).append("$ & ");
            if (hasMi()) sb.append("$").append(cell(r.mi(), 2, " \\pm ")).append("$ & ");
            sb.append("$").append(cell(r.active(), 1, " \\pm ")).append("$ & $").append(cell(r.seconds(), 1, " \\pm "))
                    .append("$ & ").append(r.n()).append(" \\\\\n");
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
