package org.vaelab.claims;

/** What the runs say about a claim, under its pre-registered {@link Rule}. */
public enum Outcome {
    /** The effect is in the claimed direction (or within the claimed margin), with its 95% interval. */
    REPRODUCED("reproduced"),
    /** The 95% interval lies entirely on the other side: the runs contradict the claim. */
    NOT_REPRODUCED("not reproduced"),
    /** Neither: the interval straddles the boundary, too few seeds, or the quantity cannot separate the arms. */
    INCONCLUSIVE("inconclusive");

    private final String text;

    Outcome(String text) {
        this.text = text;
    }

    /** The outcome in words, as reports print it. */
    public String text() {
        return text;
    }
}
