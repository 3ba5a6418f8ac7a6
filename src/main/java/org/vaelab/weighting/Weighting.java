package org.vaelab.weighting;

import org.vaelab.loss.BatchStats;
import org.vaelab.loss.LossWeights;

/**
 * How the KL term is weighted against reconstruction at each step.
 *
 * <p>Lifecycle: the trainer calls {@link #reset()} once before a run, then, for every step, has the engine run the
 * forward pass and calls {@link #weights(Progress, BatchStats)} with that batch's measured Rec and KL; it hands the
 * returned coefficients to the engine, which differentiates the loss with them. Schedules (immutable records) read
 * only {@link Progress}; capacity annealing and free bits also read the batch but keep no state; controllers
 * (GECO, ControlVAE, the learned σ-VAE) read the batch and keep explicit state, which {@link #reset()} clears and
 * {@link #copy()} does not share.
 *
 * <p>The configuration must serialise (to provenance JSON and the config hash) field by field, and state must
 * not: stateless schemes are Java records; controllers are classes whose {@code config()} record is marked
 * {@code @JsonValue}, so they serialise as their configuration only.
 */
public interface Weighting {

    /** Short label for tables and legends, e.g. {@code β=4} or {@code mean w=0.1}. */
    String label();

    /** The loss coefficients for this step. */
    LossWeights weights(Progress progress, BatchStats batch);

    /** Clears controller state. Schedules have none. */
    default void reset() {
    }

    /** An equal configuration with fresh state; schedules may return themselves. */
    default Weighting copy() {
        return this;
    }
}
