package org.vaelab.model;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop over rows as two halves, {@code [0, n/2)} on the calling thread and {@code [n/2, n)} on one helper
 * thread, so that the element-wise passes and Adam use the second core that OpenBLAS uses for the matrix products.
 *
 * <p>Why not an {@code ExecutorService}: a step of the reference model has about a dozen such passes of 20–200 µs
 * each, and a park/unpark hand-off costs tens of microseconds on a VM; here the helper spins briefly for the next
 * pass before it parks, and the caller spins for the helper's half, which takes as long as its own.
 *
 * <p>Determinism: the split is the same whether or not the helper runs it (when another thread holds the helper, or
 * a body itself calls {@link #run}, the caller runs both halves itself, first then second), and a body that reduces keeps one accumulator per half,
 * combined in half order by the caller. So results do not depend on threading.
 */
final class RowSplit {

    /** A loop body over rows {@code [from, to)}; {@code half} (0 or 1) selects per-half accumulators. */
    interface Body {
        void run(int half, int from, int to);
    }

    /** Below this many rows (or blocks) both halves run on the caller: the hand-off would cost more than it saves. */
    static final int MIN_SPLIT = 16;
    /** Spin iterations of the idle helper before it parks (a few µs): 0, 400 and 5,000 timed alike within noise. */
    private static final int HELPER_SPINS = 100;

    /** The process-wide instance: one helper thread for the one core that is not the caller's. */
    static final RowSplit SHARED = new RowSplit(Runtime.getRuntime().availableProcessors() > 1);

    private final Thread helper;
    /** Held by the one caller using the helper; not reentrant, so a run inside a body runs on its caller alone. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger posted = new AtomicInteger(), finished = new AtomicInteger();
    private volatile Body body;
    private volatile int from, to;
    private volatile Throwable failure;

    private RowSplit(boolean threaded) {
        if (threaded) {
            helper = new Thread(this::serve, "vaelab-rowsplit");
            helper.setDaemon(true);
            helper.start();
        } else {
            helper = null;
        }
    }

    /** Runs {@code body} over {@code [0, n/2)} as half 0 and {@code [n/2, n)} as half 1; returns when both are done. */
    void run(int n, Body body) {
        int mid = n / 2;
        if (helper == null || n < MIN_SPLIT || !busy.compareAndSet(false, true)) {
            body.run(0, 0, mid);
            body.run(1, mid, n);
            return;
        }
        try {
            this.body = body;
            this.from = mid;
            this.to = n;
            int ticket = posted.incrementAndGet();
            LockSupport.unpark(helper);
            Throwable mine = null;
            try {
                body.run(0, 0, mid);
            } catch (Throwable t) {
                mine = t;
            }
            // Wait even when our half failed: the helper must be done with this body before the next run posts one.
            for (int spins = 0; finished.get() != ticket; spins++) {
                if (spins < 1 << 16) Thread.onSpinWait();
                else Thread.yield();   // the helper was descheduled: let it run
            }
            Throwable theirs = failure;
            failure = null;
            if (mine != null && theirs != null) mine.addSuppressed(theirs);
            if (mine != null) throw unchecked(mine);
            if (theirs != null) throw unchecked(theirs);
        } finally {
            busy.set(false);
        }
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException e) return e;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    private void serve() {
        int seen = 0;
        while (true) {
            for (int spins = 0; posted.get() == seen; spins++) {
                if (spins < HELPER_SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            seen = posted.get();
            try {
                body.run(1, from, to);
            } catch (Throwable t) {
                failure = t;
            }
            finished.set(seen);
        }
    }
}
