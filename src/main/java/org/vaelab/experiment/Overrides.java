package org.vaelab.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vaelab.data.DataSources;
import org.vaelab.data.UserData;
import org.vaelab.train.DataConfig;
import org.vaelab.train.RunConfig;

/**
 * The command line, parsed and checked in one place: every vaelab option is read here, from system properties
 * ({@code mvn compile exec:java -Dexperiment=quickstart -Dseeds=3 -Depochs=5}), and nowhere else (the data folders
 * {@code vaelab.data} and {@code vaelab.repo} excepted: {@link org.vaelab.data.DataSources} reads them where it
 * opens the files, and they are listed as known here).
 *
 * <p>Options of an experiment ({@link #EXPERIMENT_KEYS}; each experiment declares those it uses in
 * {@link Experiment#options()}):
 * <ul>
 *   <li>{@code seeds}: seeds per arm (1, 2, …, n)</li>
 *   <li>{@code epochs}, {@code batch}, {@code lr}: optimisation settings of every arm</li>
 *   <li>{@code trainLimit}, {@code testLimit}: use only the first n training / test images (0 = all)</li>
 *   <li>{@code fresh}: retrain runs that already finished with the same config</li>
 *   <li>{@code shard}: {@code i/n} runs only the i-th of n slices of the runs (1-based), for spreading a sweep over
 *       machines that share the report folder</li>
 *   <li>{@code verify}: re-run the runs (or {@code verifySample} of them) and compare with the recorded numbers,
 *       within relative {@code tolerance} (default 1e-6)</li>
 *   <li>{@code iwK}: importance samples per test image for the importance-weighted NLL (0 = off, the default;
 *       5000 as in Burda et al. 2016 for final numbers)</li>
 *   <li>{@code budget}: a named compute budget out of {@link Experiment#budgets()}; {@link #configure} hands it to
 *       the experiment</li>
 *   <li>{@code prune}: delete run folders of configurations no longer in the plan</li>
 *   <li>{@code workers}: how many processes train runs of the plan at once on this machine ({@link Launch}); a
 *       setting of the launch, not of the plan, so it changes no run and makes no variant</li>
 *   <li>{@code vaelab.dataset}: the data set of every arm instead of the experiment's own: a built-in name
 *       ({@link org.vaelab.data.DataSources#names()}) or a user's files, {@code npy:TRAIN[,TEST]},
 *       {@code idx:FOLDER} or {@code csv:TRAIN[,TEST]} ({@link org.vaelab.data.UserData}); the plan is then a
 *       variant with its own report folder</li>
 * </ul>
 * Settings every experiment accepts ({@link #GLOBAL_KEYS}): {@code experiment}, {@code vaelab.reports} (where
 * reports go, default {@code reports}), {@code vaelab.data}, {@code vaelab.repo}, {@code vaelab.verbose},
 * {@code vaelab.xmx} and {@code vaelab.openblasCoreType} ({@link Launch}).
 *
 * <p>Nothing passes silently: a key without a dot (as users type {@code -Dseeds=3}) or starting with
 * {@code vaelab.} that is not an option is refused, with the nearest option when it looks like a typo; an option the
 * chosen experiment does not use is refused by {@link #configure}; a bad value fails with a message naming the
 * property, the value and what is allowed. Keys with other dots ({@code java.*}, {@code maven.*},
 * {@code org.slf4j.*}…) belong to the JVM, Maven or libraries and are ignored.
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
 * @param prune      delete run folders of configurations no longer in the plan
 * @param experiment the {@code experiment} property, "" when absent
 * @param launch     how the JVM that trains is started and logs
 * @param given      the vaelab options as typed (key → value), for {@link #configure}'s check
 * @param dataset    the data set replacing every arm's ({@code -Dvaelab.dataset}, syntax checked, trimmed), or null
 *                   to keep the experiment's
 */
public record Overrides(Integer seeds, Integer epochs, Integer batch, Double lr, Integer trainLimit,
                        Integer testLimit, boolean fresh, String reportsDir, Shard shard, boolean verify,
                        Integer verifySample, double tolerance, String budget, Integer iwK, boolean prune,
                        String experiment, Launch launch, Map<String, String> given, String dataset) {

    /** Copies {@code given}, so that the record stays immutable. */
    public Overrides {
        given = Collections.unmodifiableMap(new TreeMap<>(given));
    }

    /**
     * The options of the sweep alone, as before {@code prune} existed: prune off, no experiment named, default
     * launch settings. Kept so that code and tests building overrides by hand need not name the process settings.
     */
    public Overrides(Integer seeds, Integer epochs, Integer batch, Double lr, Integer trainLimit, Integer testLimit,
                     boolean fresh, String reportsDir, Shard shard, boolean verify, Integer verifySample,
                     double tolerance, String budget, Integer iwK) {
        this(seeds, epochs, batch, lr, trainLimit, testLimit, fresh, reportsDir, shard, verify, verifySample, tolerance,
                budget, iwK, false, "", Launch.DEFAULTS, Map.of(), null);
    }

    /** All settings but the data set, which stays the experiment's: kept for code written before {@code dataset}. */
    public Overrides(Integer seeds, Integer epochs, Integer batch, Double lr, Integer trainLimit, Integer testLimit,
                     boolean fresh, String reportsDir, Shard shard, boolean verify, Integer verifySample,
                     double tolerance, String budget, Integer iwK, boolean prune, String experiment, Launch launch,
                     Map<String, String> given) {
        this(seeds, epochs, batch, lr, trainLimit, testLimit, fresh, reportsDir, shard, verify, verifySample, tolerance,
                budget, iwK, prune, experiment, launch, given, null);
    }

    /** These overrides with other launch settings: how {@code Main} tells a worker which one it is. */
    public Overrides withLaunch(Launch l) {
        return new Overrides(seeds, epochs, batch, lr, trainLimit, testLimit, fresh, reportsDir, shard, verify,
                verifySample, tolerance, budget, iwK, prune, experiment, l, given, dataset);
    }

    /** The options an experiment may use, in help order; {@link Experiment#options()} declares which it does. */
    public static final List<String> EXPERIMENT_KEYS = List.of("seeds", "epochs", "batch", "lr", "trainLimit",
            "testLimit", "fresh", "shard", "verify", "verifySample", "tolerance", "iwK", "budget", "prune",
            "vaelab.dataset", "workers");

    /** Settings every experiment accepts: which experiment, and the {@code vaelab.*} settings of the process. */
    public static final List<String> GLOBAL_KEYS = List.of("experiment", "vaelab.reports", "vaelab.data",
            "vaelab.repo", "vaelab.verbose", "vaelab.xmx", "vaelab.openblasCoreType");

    /**
     * Options of single tools rather than sweeps (the loss-convention translator's {@code rec}, {@code kl}, {@code w},
     * {@code pixels}, {@code latents}, {@code loss}): known, so not typos, but refused by every experiment that does not
     * declare them in {@link Experiment#options()}. Their values are checked by the tool's own validated record.
     */
    public static final List<String> TOOL_KEYS = List.of("rec", "kl", "w", "pixels", "latents", "loss");

    /** Every vaelab option, for help text and the unknown-key check. */
    public static final List<String> KEYS = concat(concat(GLOBAL_KEYS, EXPERIMENT_KEYS), TOOL_KEYS);

    /**
     * Keys without a dot that are not vaelab's but that people pass to Maven alongside {@code exec:java}, out of
     * habit or from scripts: {@code skipTests} and {@code test} (Surefire: {@code mvn -DskipTests compile exec:java}
     * must still run), {@code argLine} (Surefire's JVM options) and {@code basedir} (which Maven and Surefire set
     * themselves). They are ignored rather than refused.
     */
    public static final Set<String> BUILD_KEYS = Set.of("skipTests", "test", "argLine", "basedir");

    /** Overrides that change nothing: the experiment's own settings, reports under {@code reports/}. */
    public static Overrides none() {
        return new Overrides(null, null, null, null, null, null, false, "reports", null, false, null, 1e-6, null, null);
    }

    /**
     * Parses and checks every vaelab option among {@code p} (normally {@link System#getProperties()}).
     *
     * @throws IllegalArgumentException naming the key and value, for an unknown key or a bad value
     */
    public static Overrides from(Properties p) {
        Map<String, String> given = new TreeMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            if (!isCandidate(key) || BUILD_KEYS.contains(key)) continue;
            if (!KEYS.contains(key)) throw unknown(key, p.getProperty(key));
            given.put(key, p.getProperty(key));
        }
        String reports = p.getProperty("vaelab.reports", "reports");
        if (reports.isBlank()) throw bad("vaelab.reports", reports, "a folder, e.g. reports");
        String coreType = p.getProperty("vaelab.openblasCoreType");
        Launch launch = new Launch(heapSize(p), coreType == null || coreType.isBlank() ? null : coreType.trim(),
                bool(p, "vaelab.verbose"), intFrom(p, "workers", 1, " (runs trained at once)"), 1, null);
        return new Overrides(
                intFrom(p, "seeds", 1, ""), intFrom(p, "epochs", 1, ""), intFrom(p, "batch", 1, ""), rate(p, "lr"),
                intFrom(p, "trainLimit", 0, " (0 = all images)"), intFrom(p, "testLimit", 0, " (0 = all images)"),
                bool(p, "fresh"), reports,
                p.getProperty("shard") == null ? null : Shard.parse(p.getProperty("shard")),
                bool(p, "verify"), intFrom(p, "verifySample", 1, ""), tolerance(p),
                p.getProperty("budget"), intFrom(p, "iwK", 0, " (0 = off)"), bool(p, "prune"),
                p.getProperty("experiment", "").trim(), launch, given, dataset(p));
    }

    /**
     * {@code vaelab.dataset}: a built-in name or a user data spec, syntax checked here so that a typo fails before
     * anything starts (whether the files exist is checked when they are loaded, as for the built-in sets).
     */
    private static String dataset(Properties p) {
        String s = p.getProperty("vaelab.dataset");
        if (s == null) return null;
        String t = s.strip();
        String allowed = "a built-in data set (" + String.join(", ", DataSources.names()) + ") or your own files as "
                + UserData.SYNTAX;
        if (UserData.isSpec(t)) {
            try {
                return UserData.Spec.parse(t).text();
            } catch (IllegalArgumentException e) {
                // A known format with bad paths gets the parser's detail; an unknown format only the list above.
                String prefix = t.substring(0, t.indexOf(':')).toLowerCase(Locale.ROOT);
                boolean known = java.util.Arrays.stream(UserData.Format.values()).anyMatch(f -> f.prefix().equals(prefix));
                throw bad("vaelab.dataset", s, known ? allowed + " (" + e.getMessage() + ")" : allowed);
            }
        }
        if (DataSources.find(t).isPresent()) return t;
        throw bad("vaelab.dataset", s, allowed);
    }

    /**
     * Whether a system property may be meant for vaelab: keys without a dot (as users type {@code -Dseeds=3}) and
     * {@code vaelab.*}. Other dotted keys belong to the JVM, Maven or a library.
     */
    public static boolean isCandidate(String key) {
        return !key.contains(".") || key.startsWith("vaelab.");
    }

    /**
     * Checks the given options against what {@code e} uses and returns the experiment configured with them (its
     * {@link Experiment#withBudget budget}). Every experiment must pass through here before it runs: the budget
     * reaches the experiment only this way.
     *
     * @throws IllegalArgumentException naming the option and the experiment, for an option the experiment does not
     *     use, a budget it does not define, or a verification setting without {@code -Dverify=true}
     */
    public Experiment configure(Experiment e) {
        List<String> uses = e.options();
        for (var g : given.entrySet()) {
            if (GLOBAL_KEYS.contains(g.getKey()) || uses.contains(g.getKey())) continue;
            throw new IllegalArgumentException("-D" + g.getKey() + "=" + g.getValue() + " is not used by " + e.name()
                    + (uses.isEmpty() ? ", which takes no options besides the -Dvaelab.* settings"
                    : ", which accepts " + flags(uses) + " (and the -Dvaelab.* settings)") + "; drop it");
        }
        if (budget != null && !e.budgets().contains(budget)) {
            throw new IllegalArgumentException("-Dbudget=" + budget + " is not valid for " + e.name() + ": "
                    + (e.budgets().size() <= 1 ? "it defines no budgets besides " + String.join(", ", e.budgets())
                    : "expected one of " + String.join(", ", e.budgets())));
        }
        for (String key : List.of("verifySample", "tolerance")) {
            if (given.containsKey(key) && !verify)
                throw new IllegalArgumentException("-D" + key + "=" + given.get(key)
                        + " applies only to verification: add -Dverify=true or drop it");
        }
        return budget == null ? e : e.withBudget(budget);
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
                if (dataset != null)
                    c = c.withData(new DataConfig(dataset, c.data().binarization(), c.data().trainLimit(),
                            c.data().testLimit()));
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
        if (dataset != null) sb.append(" -Dvaelab.dataset=").append(dataset);
        return sb.toString();
    }

    /**
     * An int from {@code min} to {@link Integer#MAX_VALUE}, or null when absent; the message states the whole range,
     * also for numbers too large for an int.
     */
    private static Integer intFrom(Properties p, String key, int min, String meaning) {
        String s = p.getProperty(key);
        if (s == null) return null;
        String t = s.trim();
        if (t.matches("[+-]?\\d{1,18}")) {
            long v = Long.parseLong(t);
            if (v >= min && v <= Integer.MAX_VALUE) return (int) v;
        }
        throw bad(key, s, "a whole number from " + min + " to " + Integer.MAX_VALUE + meaning);
    }

    /** A JVM heap size with its unit, as {@code -Xmx} takes it. */
    private static String heapSize(Properties p) {
        String s = p.getProperty("vaelab.xmx");
        if (s == null) return Launch.DEFAULTS.xmx();
        // A number without a unit is bytes to -Xmx, so "4" would give the child a heap it cannot even start with.
        if (s.trim().matches("[1-9]\\d{0,6}[kKmMgGtT]")) return s.trim();
        throw bad("vaelab.xmx", s, "a heap size with its unit, e.g. 4g or 3072m");
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

    /** One line: the key and value, and the option meant if it looks like a typo, else every option. */
    private static IllegalArgumentException unknown(String key, String value) {
        String near = nearest(key);
        return new IllegalArgumentException("-D" + key + "=" + value + " is not a vaelab option: "
                + (near != null ? "did you mean -D" + near + "?" : "the options are " + flags(KEYS)));
    }

    /**
     * The option {@code key} was probably meant to be, or null: the closest, ignoring case and the {@code vaelab.}
     * prefix, of those at most 2 edits away or sharing a prefix of at least 3 letters. Short options need closer
     * matches (edits below half their length), or {@code -Dfoo} would suggest {@code -Dlr}.
     */
    static String nearest(String key) {
        String k = bare(key.toLowerCase(Locale.ROOT));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String option : KEYS) {
            String bare = bare(option.toLowerCase(Locale.ROOT));
            int d = editDistance(k, bare);
            if (d > 2 || 2 * d >= bare.length()) d = Integer.MAX_VALUE;
            // A prefix scores the letters it lacks or adds, so -DverifySamples finds verifySample rather than verify.
            if (k.length() >= 3 && (bare.startsWith(k) || k.startsWith(bare))) d = Math.min(d, Math.abs(k.length() - bare.length()));
            if (d < bestDistance) {
                best = option;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String bare(String key) {
        return key.startsWith("vaelab.") ? key.substring("vaelab.".length()) : key;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String flags(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "-D" + k).toList());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
