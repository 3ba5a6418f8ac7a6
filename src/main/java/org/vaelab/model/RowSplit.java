package org.vaelab.model;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.vaelab.cpu.CpuAllocation;

/**
 * Runs a loop over rows as {@value #PARTS} fixed parts, shared between the calling thread and one helper thread, so
 * that the element-wise passes and Adam use the second core that OpenBLAS uses for the matrix products; and, under
 * kernels where vaelab threads the products itself, a product's two column halves ({@link #pair}, {@link Gemm}).
 *
 * <p>Why not an {@code ExecutorService}: a step of the reference model has about a dozen such passes of 20–700 µs
 * each, and a park/unpark hand-off costs tens of microseconds on a VM. Here the helper spins briefly for the next
 * pass before it parks, and the parts are handed out one at a time to whichever thread asks first: the caller starts
 * on them at once, the helper joins when it wakes, and the caller waits at most for the one part the helper is
 * running. An earlier version gave each thread a fixed half, and the caller then waited for the helper to wake up;
 * a profile of training showed the caller spinning in that wait for about a third of its Java time.
 *
 * <p>Determinism: the parts are the same whichever thread runs them ({@link #from}), a body that reduces keeps one
 * accumulator per part, and the caller combines them in part order. When the helper is taken (by another calling
 * thread, or by a body that itself calls {@link #run}) the caller runs every part itself, in order. So results do not
 * depend on threading.
 */
final class RowSplit {

    /** A loop body over rows {@code [from, to)}; {@code part} (0 to {@link #PARTS} − 1) selects per-part accumulators. */
    interface Body {
        void run(int part, int from, int to);
    }

    /** Parts per run: fine enough that a helper which wakes late still takes a share, coarse enough to cost nothing. */
    static final int PARTS = 8;
    /** Below this many rows (or blocks) every part runs on the caller: the hand-off would cost more than it saves. */
    static final int MIN_SPLIT = 16;
    /** Spin iterations of the idle helper before it parks (a few µs): 0, 400 and 5,000 timed alike within noise. */
    private static final int HELPER_SPINS = 100;

    /**
     * The process-wide instance: one helper thread for a second processor, if this process may use one. The count is
     * the allocation ({@link CpuAllocation}: affinity, cgroup quota, Slurm, a worker's share), not the machine's cores,
     * so a worker given one processor never runs a second Java thread beside its own.
     */
    static final RowSplit SHARED = new RowSplit(CpuAllocation.current().cpus() > 1);

    private final Thread helper;
    /** Held by the one caller using the helper; not reentrant, so a run inside a body runs on its caller alone. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** How many jobs have been posted; the helper compares it with the count it has seen. */
    private final AtomicInteger posted = new AtomicInteger();
    private volatile Job job;

    private RowSplit(boolean threaded) {
        if (threaded) {
            helper = new Thread(this::serve, "vaelab-rowsplit");
            helper.setDaemon(true);
            helper.start();
        } else {
            helper = null;
        }
    }

    /** Whether this instance has a helper thread (this process may use a second processor). */
    boolean threaded() {
        return helper != null;
    }

    /** The first row of part {@code part} of n rows; part {@link #PARTS} gives n. */
    static int from(int n, int part) {
        return from(n, part, PARTS);
    }

    /** The first row of part {@code part} of n rows cut into {@code parts}; part {@code parts} gives n. */
    private static int from(int n, int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    /** Runs {@code body} over every part of {@code [0, n)}; returns when all are done, rethrowing a part's failure. */
    void run(int n, Body body) {
        if (helper == null || n < MIN_SPLIT || !busy.compareAndSet(false, true)) {
            serial(n, body);
            return;
        }
        share(new Job(n, PARTS, body));
    }

    /**
     * Runs {@code first} and {@code second}, on the caller and the helper when the helper is free, else both on the
     * caller (first, then second); returns when both are done, rethrowing a failure. For two pieces of work that are
     * the same whichever thread runs them, such as the column halves of a product ({@link Gemm}).
     */
    void pair(Runnable first, Runnable second) {
        if (helper == null || !busy.compareAndSet(false, true)) {
            first.run();
            second.run();
            return;
        }
        share(new Job(2, 2, (part, from, to) -> (part == 0 ? first : second).run()));
    }

    /** Posts {@code j} to the helper, works on it, and waits for the helper's part; {@link #busy} is held on entry. */
    private void share(Job j) {
        try {
            job = j;
            posted.incrementAndGet();
            LockSupport.unpark(helper);
            j.work();
            // Every part is claimed by now; wait for the one the helper may still be running.
            for (int spins = 0; j.done.get() < j.parts; spins++) {
                if (spins < 1 << 16) Thread.onSpinWait();
                else Thread.yield();   // the helper was descheduled: let it run
            }
            Throwable failure = j.failure.get();
            if (failure != null) throw unchecked(failure);
        } finally {
            busy.set(false);
        }
    }

    /** Runs every part on the calling thread, in order. */
    static void serial(int n, Body body) {
        for (int p = 0; p < PARTS; p++) body.run(p, from(n, p), from(n, p + 1));
    }

    /** One run's parts, each claimed exactly once (by {@code next}) by the caller or the helper. */
    private static final class Job {
        final int n, parts;
        final Body body;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int n, int parts, Body body) {
            this.n = n;
            this.parts = parts;
            this.body = body;
        }

        /** Claims and runs parts until none is left; a finished job has none, so a late helper does nothing. */
        void work() {
            for (int p; (p = next.getAndIncrement()) < parts; ) {
                try {
                    body.run(p, from(n, p, parts), from(n, p + 1, parts));
                } catch (Throwable t) {
                    if (!failure.compareAndSet(null, t)) failure.get().addSuppressed(t);
                } finally {
                    done.incrementAndGet();
                }
            }
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
            job.work();
        }
    }
}
