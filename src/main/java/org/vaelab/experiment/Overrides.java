package org.vaelab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.vaelab.train.RunConfig;

/**
 * Command-line overrides that work for every experiment, read from system properties
 * ({@code mvn compile exec:java -Dexperiment=quickstart -Dseeds=3 -Depochs=5}):
 * <ul>
 *   <li>{@code seeds}: seeds per arm (1, 2, …, n)</li>
 *   <li>{@code epochs}, {@code batch}, {@code lr}: optimisation settings of every arm</li>
 *   <li>{@code trainLimit}, {@code testLimit}: use only the first n training / test images</li>
 *   <li>{@code fresh}: retrain runs that already finished with the same config</li>
 *   <li>{@code shard}: {@code i/n} runs only the i-th of n slices of the runs (1-based), for spreading a sweep over
 *       machines that share the report folder</li>
 *   <li>{@code verify}: re-run the runs (or {@code verifySample} of them) and compare with the recorded numbers,
 *       within relative {@code tolerance} (default 1e-6)</li>
 *   <li>{@code iwK}: importance samples per test image for the importance-weighted NLL (0 = off, the default;
 *       5000 as in Burda et al. 2016 for final numbers)</li>
 *   <li>{@code budget}: a named compute budget, for experiments that define several (e.g. {@code smoke}); the
 *       experiment reads and validates it, this class only forwards it to the report's command line</li>
 *   <li>{@code vaelab.reports}: where reports go (default {@code reports})</li>
 * </ul>
 * A bad value fails at once with a message naming the property, the value and what is allowed.
 *
 * @param seeds      seeds per arm, or null to keep the experiment's
 * @param epochs     or null
 * @param batch      or null
 * @param lr         or null
 * @param trainLimit or null
 * @param testLimit  or null
 * @param fresh      retrain finished runs
 * @param reportsDir root folder of reports
 * @param shard      the slice of runs to train, or null for all
 * @param verify     re-run and compare instead of running
 * @param verifySample how many runs to re-run when verifying, or null for all
 * @param tolerance  relative tolerance of verification
 * @param budget     the {@code budget} property as given, or null
 * @param iwK        importance samples for the IW-NLL, or null to keep the experiment's (off)
 */
public record Overrides(Integer seeds, Integer epochs, Integer batch, Double lr, Integer trainLimit,
                        Integer testLimit, boolean fresh, String reportsDir, Shard shard, boolean verify,
                        Integer verifySample, double tolerance, String budget, Integer iwK) {

    /**
     * The i-th (1-based) of n slices of an experiment's runs: run k (0-based, in plan order) belongs to slice
     * {@code k mod n + 1}, so slices get similar mixes of configurations.
     *
     * @param index i, 1 ≤ i ≤ n
     * @param count n ≥ 1
     */
    public record Shard(int index, int count) {
        public Shard {
            if (count < 1 || index < 1 || index > count)
                throw new IllegalArgumentException("-Dshard=" + index + "/" + count + " is not valid: expected i/n with 1 ≤ i ≤ n, e.g. 2/8");
        }

        public boolean includes(int runIndex) {
            return runIndex % count == index - 1;
        }

        static Shard parse(String s) {
            String[] parts = s.trim().split("/");
            try {
                if (parts.length == 2) return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException("-Dshard=" + s + " is not valid: expected i/n with 1 ≤ i ≤ n, e.g. 2/8");
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    /** The property names this class reads, for help text. */
    public static final List<String> KEYS = List.of("seeds", "epochs", "batch", "lr", "trainLimit", "testLimit", "fresh",
            "shard", "verify", "verifySample", "tolerance", "budget", "iwK", "vaelab.reports");

    public static Overrides none() {
        return new Overrides(null, null, null, null, null, null, false, "reports", null, false, null, 1e-6, null, null);
    }

    public static Overrides from(Properties p) {
        return new Overrides(
                positiveInt(p, "seeds"), positiveInt(p, "epochs"), positiveInt(p, "batch"), rate(p, "lr"),
                nonNegativeInt(p, "trainLimit"), nonNegativeInt(p, "testLimit"), bool(p, "fresh"),
                p.getProperty("vaelab.reports", "reports"),
                p.getProperty("shard") == null ? null : Shard.parse(p.getProperty("shard")),
                bool(p, "verify"), positiveInt(p, "verifySample"), tolerance(p),
                p.getProperty("budget"), nonNegativeInt(p, "iwK"));
    }

    /** Whether {@code -Dprune=true} asks to delete run folders that are not in the plan. */
    public boolean prune() {
        return Boolean.getBoolean("prune");
    }

    /** The runs of an experiment: every arm × seed, with these overrides applied. */
    public List<RunConfig> runs(Experiment e) {
        int n = seeds != null ? seeds : e.seeds();
        List<RunConfig> runs = new ArrayList<>();
        for (Arm arm : e.arms()) {
            for (int s = 1; s <= n; s++) {
                RunConfig c = arm.run(e.name(), s);
                var t = c.train();
                if (epochs != null) t = t.withEpochs(epochs);
                if (batch != null) t = t.withBatchSize(batch);
                if (lr != null) t = t.withLearningRate(lr);
                c = c.withTrain(t);
                if (iwK != null) c = c.withIwSamples(iwK);
                if (trainLimit != null || testLimit != null)
                    c = c.withData(c.data().withLimits(trainLimit != null ? trainLimit : c.data().trainLimit(),
                            testLimit != null ? testLimit : c.data().testLimit()));
                runs.add(c);
            }
        }
        return runs;
    }

    /** The overrides in force, as {@code -Dkey=value} words, for the report's "how to reproduce" line. */
    public String asFlags() {
        StringBuilder sb = new StringBuilder();
        if (seeds != null) sb.append(" -Dseeds=").append(seeds);
        if (epochs != null) sb.append(" -Depochs=").append(epochs);
        if (batch != null) sb.append(" -Dbatch=").append(batch);
        if (lr != null) sb.append(" -Dlr=").append(lr);
        if (trainLimit != null) sb.append(" -DtrainLimit=").append(trainLimit);
        if (testLimit != null) sb.append(" -DtestLimit=").append(testLimit);
        if (budget != null) sb.append(" -Dbudget=").append(budget);
        if (iwK != null) sb.append(" -DiwK=").append(iwK);
        return sb.toString();
    }

    private static Integer positiveInt(Properties p, String key) {
        Integer v = integer(p, key);
        if (v != null && v < 1) throw bad(key, p.getProperty(key), "a whole number ≥ 1");
        return v;
    }

    private static Integer nonNegativeInt(Properties p, String key) {
        Integer v = integer(p, key);
        if (v != null && v < 0) throw bad(key, p.getProperty(key), "a whole number ≥ 0 (0 = all)");
        return v;
    }

    private static Integer integer(Properties p, String key) {
        String s = p.getProperty(key);
        if (s == null) return null;
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            throw bad(key, s, "a whole number");
        }
    }

    private static Double rate(Properties p, String key) {
        String s = p.getProperty(key);
        if (s == null) return null;
        try {
            double v = Double.parseDouble(s.trim());
            if (!(v > 0 && v <= 1)) throw bad(key, s, "a number in (0, 1], e.g. 1e-3");
            return v;
        } catch (NumberFormatException e) {
            throw bad(key, s, "a number in (0, 1], e.g. 1e-3");
        }
    }

    private static double tolerance(Properties p) {
        String s = p.getProperty("tolerance");
        if (s == null) return 1e-6;
        try {
            double v = Double.parseDouble(s.trim());
            if (v >= 0 && Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw bad("tolerance", s, "a relative tolerance ≥ 0, e.g. 1e-6");
    }

    private static boolean bool(Properties p, String key) {
        String s = p.getProperty(key);
        if (s == null) return false;
        if (s.isEmpty() || s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        throw bad(key, s, "true or false");
    }

    private static IllegalArgumentException bad(String key, String value, String allowed) {
        return new IllegalArgumentException("-D" + key + "=" + value + " is not valid: expected " + allowed);
    }
}
