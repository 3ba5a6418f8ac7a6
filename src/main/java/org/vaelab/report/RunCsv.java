package org.vaelab.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.vaelab.loss.TraceKey;
import org.vaelab.metrics.KlTrace;
import org.vaelab.metrics.MetricId;
import org.vaelab.model.Posterior;
import org.vaelab.train.StepLog;
import org.vaelab.train.TestCurve;

/**
 * The text formats of a run's files ({@link RunFiles}): {@code metrics.csv}, {@code steps.csv},
 * {@code kl_per_dim.csv}, {@code curve.csv} and
 * {@code posterior.csv.gz}, written with seven significant digits and read back with
 * errors that name the line.
 */
final class RunCsv {

    private RunCsv() {
    }

    static String metricsCsv(Map<MetricId, Double> metrics) {
        StringBuilder sb = new StringBuilder("metric,value\n");
        metrics.forEach((id, v) -> sb.append(id.key()).append(',').append(v).append('\n'));
        return sb.toString();
    }

    /** Reads {@value #METRICS}; a malformed or truncated line is an IOException naming the line. */
    static Map<MetricId, Double> readMetrics(Path file) throws IOException {
        Map<MetricId, Double> m = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals("metric,value"))
            throw new IOException("line 1 is not the header 'metric,value'");
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            int comma = line.lastIndexOf(',');
            try {
                if (comma < 0) throw new IllegalArgumentException("no comma");
                MetricId id = MetricId.parse(line.substring(0, comma));
                if (m.put(id, Double.parseDouble(line.substring(comma + 1))) != null)
                    throw new IllegalArgumentException(id.key() + " appears twice");
            } catch (IllegalArgumentException e) {
                throw malformed(i, "metric,value", line, e);
            }
        }
        return m;
    }

    /** The error for a line that does not parse, numbered from 1 as editors do. */
    private static IOException malformed(int index, String expected, String line, RuntimeException e) {
        String shown = line.length() > 60 ? line.substring(0, 60) + "…" : line;
        return new IOException("line " + (index + 1) + " is not '" + expected + "' (" + e.getMessage() + "): '" + shown
                + "'", e);
    }

    static String stepsCsv(StepLog log) {
        StringBuilder sb = new StringBuilder("step,epoch");
        for (TraceKey w : log.weights().keySet()) sb.append(',').append(w.key());
        sb.append(",rec,kl\n");
        long[] step = log.step();
        int[] epoch = log.epoch();
        double[] rec = log.rec();
        double[] kl = log.kl();
        List<double[]> cols = new ArrayList<>(log.weights().values());
        for (int i = 0; i < step.length; i++) {
            sb.append(step[i]).append(',').append(epoch[i]);
            for (double[] c : cols) sb.append(',').append(num(c[i]));
            sb.append(',').append(num(rec[i])).append(',').append(num(kl[i])).append('\n');
        }
        return sb.toString();
    }

    /** Reads {@value #STEPS}; a malformed or truncated line is an IOException naming the line. */
    static StepLog readSteps(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.isEmpty() ? new String[0] : lines.get(0).split(",");
        int nw = header.length - 4;
        if (nw < 0 || !header[0].equals("step") || !header[1].equals("epoch") || !header[nw + 2].equals("rec")
                || !header[nw + 3].equals("kl"))
            throw new IOException("line 1 is not a header 'step,epoch,<weights…>,rec,kl'");
        int rows = lines.size() - 1;
        long[] step = new long[rows];
        int[] epoch = new int[rows];
        double[] rec = new double[rows];
        double[] kl = new double[rows];
        double[][] w = new double[nw][rows];
        for (int i = 0; i < rows; i++) {
            String line = lines.get(i + 1);
            try {
                String[] f = line.split(",", -1);
                if (f.length != header.length)
                    throw new IllegalArgumentException(f.length + " fields instead of " + header.length);
                step[i] = Long.parseLong(f[0]);
                epoch[i] = Integer.parseInt(f[1]);
                for (int k = 0; k < nw; k++) w[k][i] = Double.parseDouble(f[2 + k]);
                rec[i] = Double.parseDouble(f[2 + nw]);
                kl[i] = Double.parseDouble(f[3 + nw]);
            } catch (IllegalArgumentException e) {
                throw malformed(i + 1, lines.get(0), line, e);
            }
        }
        Map<TraceKey, double[]> weights = new LinkedHashMap<>();
        for (int k = 0; k < nw; k++) weights.put(TraceKey.of(header[2 + k]), w[k]);
        return new StepLog(step, epoch, rec, kl, weights);
    }

    static String klTraceCsv(KlTrace trace) {
        StringBuilder sb = new StringBuilder("step");
        for (int j = 0; j < trace.dims(); j++) sb.append(",z").append(j);
        sb.append('\n');
        long[] steps = trace.steps();
        for (int t = 0; t < steps.length; t++) {
            sb.append(steps[t]);
            for (int j = 0; j < trace.dims(); j++) sb.append(',').append(num(trace.kl(t, j)));
            sb.append('\n');
        }
        return sb.toString();
    }

    static String curveCsv(TestCurve curve) {
        StringBuilder sb = new StringBuilder(CURVE_HEADER).append('\n');
        for (TestCurve.Point p : curve.points())
            sb.append(p.epoch()).append(',').append(p.step()).append(',').append(num(p.iwNll())).append(',')
                    .append(num(p.standardError())).append(',').append(num(p.elbo())).append('\n');
        return sb.toString();
    }

    static final String CURVE_HEADER = "epoch,step,iw_nll,iw_nll_se,elbo";

    /** Reads {@code curve.csv}; a malformed or truncated line is an IOException naming the line. */
    static TestCurve readCurve(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(CURVE_HEADER))
            throw new IOException("line 1 is not the header '" + CURVE_HEADER + "'");
        List<TestCurve.Point> points = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            try {
                String[] f = line.split(",", -1);
                if (f.length != 5) throw new IllegalArgumentException(f.length + " fields instead of 5");
                points.add(new TestCurve.Point(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            } catch (IllegalArgumentException e) {
                throw malformed(i, CURVE_HEADER, line, e);
            }
        }
        try {
            return new TestCurve(points);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Reads {@value #KL_PER_DIM}; a malformed or truncated line is an IOException naming the line. */
    static KlTrace readKlTrace(Path file) throws IOException {
        KlTrace.Builder b = new KlTrace.Builder();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("step"))
            throw new IOException("line 1 is not a header 'step,z0,z1,…'");
        int fields = lines.get(0).split(",").length;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            try {
                String[] f = line.split(",", -1);
                if (f.length != fields) throw new IllegalArgumentException(f.length + " fields instead of " + fields);
                double[] kl = new double[f.length - 1];
                for (int j = 0; j < kl.length; j++) kl[j] = Double.parseDouble(f[j + 1]);
                b.add(Long.parseLong(f[0]), kl);
            } catch (IllegalArgumentException e) {
                throw malformed(i, lines.get(0), line, e);
            }
        }
        return b.build();
    }

    static void writePosterior(OutputStream file, Posterior q) throws IOException {
        try (var out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(file), StandardCharsets.UTF_8))) {
            StringBuilder sb = new StringBuilder();
            for (int j = 1; j <= q.d(); j++) sb.append(j > 1 ? "," : "").append("mu_").append(j);
            for (int j = 1; j <= q.d(); j++) sb.append(",logvar_").append(j);
            out.write(sb.append('\n').toString());
            for (int i = 0; i < q.n(); i++) {
                sb.setLength(0);
                for (int j = 0; j < q.d(); j++) sb.append(j > 0 ? "," : "").append(num(q.mu(i, j)));
                for (int j = 0; j < q.d(); j++) sb.append(',').append(num(q.logvar(i, j)));
                out.write(sb.append('\n').toString());
            }
        }
    }

    /** Seven significant digits: plenty for float32 training values, and half the size of full doubles. */
    private static String num(double v) {
        if (Double.isNaN(v)) return "NaN";
        return String.format(Locale.ROOT, "%.7g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }

    /** Deletes a folder and everything in it; the error names the file that could not be deleted. */
}
