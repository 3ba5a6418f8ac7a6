package org.vaelab.process;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that lives no longer than the process that started it.
 *
 * <p>The launcher ({@code org.vaelab.Main}) runs inside Maven's JVM and starts the JVM that trains. Killing {@code mvn} with a
 * signal the JVM can handle runs the launcher's shutdown hook, which stops the child; {@code kill -9} runs nothing,
 * and the child, re-parented to PID 1, would go on training for hours, holding both cores and writing into the run
 * store behind the user's back. So the child is told its parent's pid ({@value #PARENT_PID}) and watches it.
 */
public final class ChildProcess {

    /** Environment variable holding the pid of the process a child must not outlive. */
    public static final String PARENT_PID = "VAELAB_PARENT_PID";

    /** How often a child looks at its parent: a few checks of /proc per second cost nothing next to training. */
    static final Duration POLL = Duration.ofMillis(200);

    /** Exit code of a child that stops because its parent has gone (nobody is left to read it). */
    public static final int ORPHANED = 1;

    /** How long the launcher's shutdown hook waits for the child to stop cleanly after passing the signal on. */
    private static final long STOP_SECONDS = 5;

    private ChildProcess() {
    }

    /**
     * Starts {@code pb} (already given its command, environment and I/O) as a child that exits when this process
     * dies, waits for it and returns its exit code, which the caller makes its own. A signal that ends this JVM
     * (Ctrl-C, {@code kill}) is passed on to the child through a shutdown hook.
     */
    public static int run(ProcessBuilder pb) throws IOException, InterruptedException {
        return start(pb).waitFor();
    }

    /**
     * Starts {@code pb} as a child that exits when this process dies, and returns it: as {@link #run}, for a caller
     * that starts several (the workers of {@code -Dworkers}) and reads their output itself.
     */
    public static Process start(ProcessBuilder pb) throws IOException {
        pb.environment().put(PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        Process child = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!child.isAlive()) return;
            child.destroy();
            try {
                child.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vaelab-stop-child"));
        return child;
    }

    /**
     * In a child started by {@link #run}: starts a daemon thread that halts this JVM, with one line on stderr, within
     * about {@link #POLL} of the parent's death. Does nothing in a process started otherwise.
     *
     * <p>The parent counts as gone when its handle is no longer alive (the handle carries its start time, so a new
     * process that reuses the pid is not mistaken for it) or when this process has been re-parented: a parent killed
     * by {@code kill -9} may stay a zombie, which looks alive, until its own parent reaps it.
     * {@link ProcessHandle#onExit()} is not used: for a process that is not our child it polls at intervals growing to
     * 5 s, too slow for "stops within a couple of seconds".
     */
    public static void exitWithParent() {
        exitWithParent("runs that finished are in the run store, the others will train next time");
    }

    /**
     * As {@link #exitWithParent()}, with {@code whatIsLeft} (what the user finds after the stop) in the line it prints.
     */
    public static void exitWithParent(String whatIsLeft) {
        String value = System.getenv(PARENT_PID);
        if (value == null) return;
        long pid;
        try {
            pid = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            System.err.println("vaelab: ignoring " + PARENT_PID + "=" + value + ", which is not a process id");
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        // The re-parenting test only holds for the launcher's direct child, not for a process that inherited the variable.
        boolean direct = ppid() == pid;
        Thread watch = new Thread(() -> {
            while (!gone(parent, pid, direct)) {
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("vaelab: the launching process (pid " + pid + ") has exited, so this process stops too; "
                    + whatIsLeft);
            System.err.flush();
            // halt, not exit: shutdown hooks and finalisation could block, and nothing must keep training.
            Runtime.getRuntime().halt(ORPHANED);
        }, "vaelab-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static boolean gone(Optional<ProcessHandle> parent, long pid, boolean direct) {
        if (parent.isEmpty() || !parent.get().isAlive()) return true;
        return direct && ppid() != pid;
    }

    private static long ppid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
}
