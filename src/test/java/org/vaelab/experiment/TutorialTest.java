package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaelab.train.Trainer;

/**
 * The tutorial's experiment is real code: its Java block is compiled against the test classpath, loaded, and run
 * through the runner on a tiny budget. It does not depend on how experiments are registered, so it keeps working
 * whichever way registration goes.
 */
class TutorialTest {

    static final Path TUTORIAL = Path.of("docs/tutorial-your-own-experiment.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void theTutorialExperimentCompilesRunsAndWritesAReport(@TempDir Path tmp) throws Exception {
        String markdown = Files.readString(TUTORIAL);
        Matcher block = JAVA_BLOCK.matcher(markdown);
        assertTrue(block.find(), TUTORIAL + " has no ```java block");
        String source = block.group(1);
        assertTrue(!block.find(), "one Java block, the whole class: the test compiles the first");
        String pkg = match("(?m)^package\\s+([\\w.]+);", source);
        String cls = match("(?m)^public\\s+(?:final\\s+)?class\\s+(\\w+)", source);

        Path src = tmp.resolve("src").resolve(pkg.replace('.', '/')).resolve(cls + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler: run the tests on a JDK");
        var err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, "-encoding", "UTF-8", "-proc:none", "-Xlint:all,-path,-processing,-serial", "-Werror",
                "-classpath", classpath(), "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "the tutorial's class does not compile:\n" + err.toString(StandardCharsets.UTF_8));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Experiment e = (Experiment) loader.loadClass(pkg + "." + cls).getDeclaredConstructor().newInstance();
            assertTrue(e.question().contains("Question"), "the question opens the report");
            Properties p = new Properties();
            p.setProperty("vaelab.reports", tmp.resolve("reports").toString());
            p.setProperty("seeds", "1");
            p.setProperty("epochs", "1");
            p.setProperty("trainLimit", "300");
            p.setProperty("testLimit", "100");
            Overrides o = Overrides.from(p);
            var out = new ByteArrayOutputStream();
            ExperimentRunner.Result r = new ExperimentRunner(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new Trainer()).run(o.configure(e), o);
            String log = out.toString(StandardCharsets.UTF_8);
            assertEquals(e.arms().size(), r.finished(), log);
            assertTrue(r.report() != null && Files.isRegularFile(r.report()), log);
            String report = Files.readString(r.report());
            assertTrue(report.contains("## What the numbers say") && report.contains("units active"), report);
        }
        // The commands the tutorial tells readers to type use the class's registry name.
        assertTrue(markdown.contains("-Dexperiment=warmup-units") && source.contains("return \"warmup-units\";"));
    }

    private static String match(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex);
        return m.group(1);
    }

    /**
     * The test classpath: {@code java.class.path} (Surefire may reduce it to a manifest-only jar, which javac follows)
     * plus the folders and jars of the classes the tutorial uses, to be independent of how Surefire is configured.
     */
    private static String classpath() throws Exception {
        Set<String> parts = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        for (Class<?> c : List.of(Experiment.class, org.vaelab.experiments.Quickstart.class,
                com.fasterxml.jackson.annotation.JsonInclude.class))
            parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(File.pathSeparator, parts);
    }
}
