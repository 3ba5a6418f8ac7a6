package org.vaelab.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.vaelab.report.RunRecord;

/**
 * A declarative experiment: a question, the arms (configurations) that answer it, and how many seeds each
 * gets. The runner trains and evaluates every arm × seed, writes run records and the report; an experiment
 * class never trains or renders anything itself. Implementations live in {@code experiments/}, one
 * notebook-style file each, and are listed in {@link ExperimentRegistry}.
 */
public interface Experiment {

    /** Registry name, used as {@code -Dexperiment=NAME} and as the report folder. */
    String name();

    /** One line for {@code -Dexperiment=list} and the report title. */
    String summary();

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
     * True for an experiment that trains nothing (e.g. checks of the metrics against closed forms): the runner then
     * calls {@link #runCustom} instead of training arms, and {@link #arms()} may be empty.
     */
    default boolean custom() {
        return false;
    }

    /**
     * Runs a {@link #custom()} experiment and writes its report under {@code overrides.reportsDir()/name()}.
     *
     * @return the report's path
     */
    default Path runCustom(Overrides overrides, PrintStream out) throws IOException {
        throw new UnsupportedOperationException(name() + " is not a custom experiment");
    }
}
