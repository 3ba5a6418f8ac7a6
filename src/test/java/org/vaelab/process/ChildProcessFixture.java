package org.vaelab.process;

import java.nio.file.Path;
import java.util.List;

/**
 * Test-only launcher and child for {@link ChildProcessTest}, through the code paths {@code org.vaelab.Main} uses: {@code parent
 * CODE} starts this class as {@code child CODE} with {@link ChildProcess#run} and exits with its exit code; the child
 * watches its parent with {@link ChildProcess#exitWithParent}, prints {@code child PID}, then exits with CODE, or for
 * a negative CODE keeps "training" for a minute.
 */
public final class ChildProcessFixture {

    private ChildProcessFixture() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("parent")) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                    ChildProcessFixture.class.getName(), "child", args[1])).inheritIO();
            System.exit(ChildProcess.run(pb));
        }
        ChildProcess.exitWithParent();
        System.out.println("child " + ProcessHandle.current().pid());
        System.out.flush();
        int code = Integer.parseInt(args[1]);
        if (code >= 0) System.exit(code);
        Thread.sleep(60_000);
        System.exit(0);
    }
}
