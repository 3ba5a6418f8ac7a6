package org.vaelab.report;

import java.util.List;

/**
 * What {@link RunFiles#check} found in a run folder: a run that finished and is intact, a run that stopped and is
 * intact, no run, or a folder that cannot be trusted (with every reason why).
 */
public sealed interface RunCheck permits RunCheck.Complete, RunCheck.Failed, RunCheck.Absent, RunCheck.Damaged {

    /**
     * A finished run whose files all match its manifest.
     *
     * @param record       the run as read back
     * @param hasModel     whether {@value RunFiles#MODEL} is there (a local file, not committed; without it the run
     *                     can be reported but its model not re-evaluated)
     * @param hasPosterior whether {@value RunFiles#POSTERIOR} is there (local too)
     */
    record Complete(RunRecord record, boolean hasModel, boolean hasPosterior) implements RunCheck {
    }

    /**
     * A run that stopped (e.g. diverged) and whose files match its manifest. It is not reused: the next invocation
     * trains it again.
     *
     * @param record the run as read back, {@link RunRecord#failed()} true
     */
    record Failed(RunRecord record) implements RunCheck {
        /** Why the run stopped, as recorded in {@value RunFiles#FAILURE}: for a divergence, the step and the values. */
        public String reason() {
            return record.failure();
        }
    }

    /** No run folder. */
    record Absent() implements RunCheck {
    }

    /**
     * A run folder that cannot be trusted: it must be retrained, and should be moved aside first
     * ({@link RunFiles#quarantine}) so that nothing the user had is lost.
     *
     * @param problems one human-readable line per problem, each naming the file, e.g. {@code metrics.csv was modified
     *                 since the run finished (SHA-256 3f2a… instead of 9c1b…)}
     */
    record Damaged(List<String> problems) implements RunCheck {
        public Damaged {
            if (problems.isEmpty()) throw new IllegalArgumentException("a damaged run has at least one problem");
            problems = List.copyOf(problems);
        }
    }
}
