package org.vaelab.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vaelab.report.RunRecord;

/**
 * A declarative experiment: a question, the arms (configurations) that answer it, and how many seeds each
 * gets. The runner trains and evaluates every arm × seed, writes run records and the report; an experiment
 * class never trains or renders anything itself. Implementations live in {@code experiments/}, one
 * notebook-style file each with a public no-argument constructor, and are registered for {@link java.util.ServiceLoader}
 * by a line in {@code META-INF/services/org.vaelab.experiment.Experiment} ({@link ExperimentRegistry#standard()}).
 */
public interface Experiment {

    /** Registry name, used as {@code -Dexperiment=NAME} and as the report folder. */
    String name();

    /** One line for {@code -Dexperiment=list} and the report title. */
    String summary();

    /**
     * Where this experiment stands in {@code -Dexperiment=list}: lower first, equal ones by name. The first steps
     * for a newcomer come first; the default, {@value #DEFAULT_LISTING_ORDER}, puts a new experiment after the
     * standard ones.
     */
    default int listingOrder() {
        return DEFAULT_LISTING_ORDER;
    }

    /** The {@link #listingOrder()} of an experiment that does not choose one. */
    int DEFAULT_LISTING_ORDER = 100;

    /** The question the experiment answers and why it matters: the report's opening (Markdown). */
    String question();

    /** The configurations to compare, before command-line overrides. */
    List<Arm> arms();

    /** Seeds per arm, before overrides. */
    default int seeds() {
        return 2;
    }

    /**
     * What the results show, written from the numbers of this run (Markdown); empty for none. Called with the
     * finished runs only.
     */
    default String discussion(List<RunRecord> runs) {
        return "";
    }

    /**
     * The options of {@link Overrides#EXPERIMENT_KEYS} this experiment uses; {@link Overrides#configure} refuses the
     * others, so that a setting that would change nothing never passes silently. Default: all of them, as every
     * sweep of arms × seeds uses them; a {@link #runStandalone standalone} experiment declares what it reads.
     */
    default List<String> options() {
        return Overrides.EXPERIMENT_KEYS;
    }

    /**
     * The names {@code -Dbudget=} accepts, {@value #DEFAULT_BUDGET} first. Default: only
     * {@value #DEFAULT_BUDGET}, the settings of {@link #arms()} as written.
     */
    default List<String> budgets() {
        return List.of(DEFAULT_BUDGET);
    }

    /** The budget every experiment has: its arms and seeds as declared. */
    String DEFAULT_BUDGET = "default";

    /**
     * This experiment with the named budget, one of {@link #budgets()}: the object whose arms, seeds, question and
     * discussion are those of that budget. Called only by {@link Overrides#configure}, which has checked the name.
     * Default: {@code this} for {@value #DEFAULT_BUDGET}.
     *
     * @throws IllegalArgumentException if the name is not one of {@link #budgets()}
     */
    default Experiment withBudget(String budget) {
        if (budget.equals(DEFAULT_BUDGET)) return this;
        throw new IllegalArgumentException("-Dbudget=" + budget + " is not valid for " + name()
                + ": expected one of " + String.join(", ", budgets()));
    }

    /**
     * Whether the report's figures (training curves, rate–distortion plane, KL per dimension, heat maps) draw the
     * configuration with this label; the tables list every configuration either way. Default: all. An experiment
     * with many configurations (re-runs of every arm under other settings) draws the ones a reader compares.
     */
    default boolean drawnInFigures(String label) {
        return true;
    }

    /**
     * For experiments that are not a sweep of arms × seeds (benchmarks, estimator checks): do the whole job and
     * return the report written, if any. The runner calls this first and uses {@link #arms()} only when it returns
     * {@code Optional.empty()} without doing anything, which is the default.
     *
     * @return empty if this is an ordinary sweep; otherwise the path of the report (or of the output folder)
     */
    default Optional<Path> runStandalone(Overrides overrides, PrintStream out) throws IOException {
        return Optional.empty();
    }
}
