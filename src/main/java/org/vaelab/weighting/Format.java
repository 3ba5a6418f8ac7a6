package org.vaelab.weighting;

import java.math.BigDecimal;

/** Compact number formatting for labels: 0.1 not 0.10000000000000001, 4 not 4.0. */
final class Format {
    private Format() {
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
