package org.vaelab.claims;

/** Which sign of an effect a claim predicts, or which side is "better". */
public enum Direction {
    /** The effect is positive: arm A's value is larger. */
    INCREASE("> 0", "above", 1),
    /** The effect is negative: arm A's value is smaller. */
    DECREASE("< 0", "below", -1);

    private final String relation, side;
    private final int sign;

    Direction(String relation, String side, int sign) {
        this.relation = relation;
        this.side = side;
        this.sign = sign;
    }

    /** {@code > 0} or {@code < 0}. */
    public String relation() {
        return relation;
    }

    /** "above" or "below" (0 or a margin). */
    public String side() {
        return side;
    }

    /** +1 or −1. */
    public int sign() {
        return sign;
    }

    /** The other direction. */
    public Direction opposite() {
        return this == INCREASE ? DECREASE : INCREASE;
    }
}
