package org.vaelab.train;

/**
 * A run produced a NaN or infinite value. The message names the run, the step and the values, and says what to try;
 * a sweep records the failure and goes on with the next run.
 */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private final long step;

    public DivergenceException(String runId, long step, String values) {
        super("run " + runId + " diverged at step " + step + ": " + values
                + ". Try a smaller learning rate (-Dlr=...), a smaller β or a larger decoder σ, or another seed.");
        this.runId = runId;
        this.step = step;
    }

    public String runId() {
        return runId;
    }

    public long step() {
        return step;
    }
}
