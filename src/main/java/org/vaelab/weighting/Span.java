package org.vaelab.weighting;

/**
 * A length of training time for a schedule, in optimiser steps, in epochs, or as a fraction of the run. Papers
 * state schedule lengths in one of these units (Bowman et al. warm up over epochs, Burgess et al. over 10⁵
 * iterations); a {@code Span} keeps the unit the paper used, so a schedule stays what it says when an
 * experiment's epoch count or data size is overridden.
 *
 * @param amount how many units, finite and &gt; 0
 * @param unit   what one unit is
 */
public record Span(double amount, Unit unit) {

    /** The unit of a {@link Span}. */
    public enum Unit {
        /** Optimiser steps. */
        STEPS,
        /** Epochs of {@link Progress#stepsPerEpoch()} steps. */
        EPOCHS,
        /** Fractions of the run's {@link Progress#totalSteps()}. */
        RUN
    }

    public Span {
        if (!Double.isFinite(amount) || amount <= 0)
            throw new IllegalArgumentException("a span must be finite and > 0, got " + amount + " " + unit);
        if (unit == null) throw new IllegalArgumentException("a span needs a unit (STEPS, EPOCHS or RUN), got null");
    }

    public static Span steps(double n) {
        return new Span(n, Unit.STEPS);
    }

    public static Span epochs(double n) {
        return new Span(n, Unit.EPOCHS);
    }

    /** A fraction of the whole run, e.g. {@code ofRun(0.5)} for its first half. */
    public static Span ofRun(double fraction) {
        return new Span(fraction, Unit.RUN);
    }

    /** The span in optimiser steps (not rounded) for a run at {@code p}. */
    public double inSteps(Progress p) {
        return switch (unit) {
            case STEPS -> amount;
            case EPOCHS -> amount * p.stepsPerEpoch();
            case RUN -> amount * p.totalSteps();
        };
    }

    /** E.g. {@code 500 steps}, {@code 10 ep}, {@code 0.5 T}. */
    public String label() {
        return Format.number(amount) + switch (unit) {
            case STEPS -> " steps";
            case EPOCHS -> " ep";
            case RUN -> " T";
        };
    }
}
