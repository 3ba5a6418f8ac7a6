package org.vaelab.experiment;

import java.nio.file.Path;

/**
 * Where an experiment's report and runs go. The experiment's own plan writes {@code <reports>/<name>/}, the
 * canonical report; any override that changes the plan (seeds, epochs, a budget, a data limit, {@code -DiwK}, …)
 * makes a <em>variant</em>, which writes {@code <reports>/<name>.<what changed>/}, e.g.
 * {@code reports/quickstart.seeds-1.epochs-1/}. A quick check therefore never replaces the canonical report or its
 * runs, and two variants never share a folder unless they have the same plan.
 *
 * @param dir     the folder
 * @param variant whether the plan differs from the experiment's own
 * @param flags   the overrides that make it a variant, as {@code -Dkey=value} words (empty for the canonical plan)
 */
public record ReportFolder(Path dir, boolean variant, String flags) {

    /** The folder for this experiment under {@code reportsRoot} with these overrides. */
    public static ReportFolder of(Path reportsRoot, Experiment experiment, Overrides overrides) {
        // The experiment may arrive configured with a budget (Overrides.configure): compare with its default plan.
        boolean variant = !overrides.runs(experiment)
                .equals(Overrides.none().runs(experiment.withBudget(Experiment.DEFAULT_BUDGET)));
        if (!variant) return new ReportFolder(reportsRoot.resolve(experiment.name()), false, "");
        String flags = overrides.asFlags().strip();
        return new ReportFolder(reportsRoot.resolve(experiment.name() + "." + slug(flags)), true, flags);
    }

    /** {@code -Dseeds=1 -Depochs=1} → {@code seeds-1.epochs-1}: readable, and safe as a folder name. */
    static String slug(String flags) {
        StringBuilder sb = new StringBuilder();
        for (String word : flags.split("\\s+")) {
            if (word.isBlank()) continue;
            String w = word.replaceFirst("^-D", "").replace('=', '-').replaceAll("[^A-Za-z0-9.+-]+", "_");
            if (sb.length() > 0) sb.append('.');
            sb.append(w);
        }
        return sb.length() == 0 ? "variant" : sb.toString();
    }

    /** What makes this a variant, for the console. */
    public String describe() {
        return variant ? flags : "the experiment's own plan";
    }

    /** The report's one-line title: the experiment's summary, marked as a variant where it is one. */
    public String summary(Experiment experiment) {
        return variant ? experiment.summary().replaceFirst("\\s*\\(~[^)]*\\)$", "") + "; variant " + flags
                : experiment.summary();
    }
}
