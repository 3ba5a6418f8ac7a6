package org.vaelab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules about the shape of the main code, read from its sources (src/main/java and experiments/), so that they hold
 * without anyone drawing the package graph by hand.
 *
 * <ul>
 *   <li>No import cycle among the org.vaelab packages: each package sits above everything it uses, so a package
 *       can be read, tested and replaced knowing only those below it.</li>
 *   <li>No main file above {@value #MAX_LINES} lines unless its first comment gives the reason, on a line that
 *       starts "Long because".</li>
 * </ul>
 * A dependency is an import (single-type, on-demand or static) or a fully qualified {@code org.vaelab.x.Y} name in
 * code; names inside comments and string literals are not dependencies (a Javadoc link compiles to nothing).
 */
class ArchitectureTest {

    static final List<Path> MAIN_ROOTS = List.of(Path.of("src/main/java"), Path.of("experiments"));
    static final int MAX_LINES = 400;

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^\\s*import\\s+(?:static\\s+)?(org\\.vaelab\\.[\\w.]+?)(?:\\.\\*)?\\s*;", Pattern.MULTILINE);
    /** A qualified name in code: {@code org.vaelab.} then lower-case package segments, then a type. */
    private static final Pattern QUALIFIED = Pattern.compile("\\borg\\.vaelab(?:\\.[a-z_]\\w*)*\\.[A-Z]\\w*");

    @Test
    void mainPackagesHaveNoCycle() {
        Map<String, Set<String>> graph = packageGraph();
        assertTrue(graph.size() > 5, "expected the org.vaelab packages, read " + graph.keySet());
        // Each cycle found is reported, then broken at its last edge, so one run names every cycle there is.
        StringBuilder cycles = new StringBuilder();
        for (List<String> cycle = findCycle(graph); cycle != null; cycle = findCycle(graph)) {
            cycles.append("package cycle: ").append(String.join(" -> ", cycle)).append('\n').append(describe(cycle));
            graph.get(cycle.get(cycle.size() - 2)).remove(cycle.get(cycle.size() - 1));
        }
        if (cycles.length() > 0) fail(cycles.toString());
    }

    @Test
    void cycleFinderNamesTheCycle() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", new TreeSet<>(List.of("b")));
        g.put("b", new TreeSet<>(List.of("c")));
        g.put("c", new TreeSet<>(List.of("a", "d")));
        g.put("d", new TreeSet<>());
        assertEquals(List.of("a", "b", "c", "a"), findCycle(g));
        g.get("c").remove("a");
        assertEquals(null, findCycle(g));
    }

    @Test
    void dependenciesIgnoreCommentsAndStrings() {
        String src = """
                package org.vaelab.x;
                import org.vaelab.a.A;
                import static org.vaelab.b.B.f;
                import org.vaelab.c.*;
                /** {@link org.vaelab.doc.D} */
                class X { String s = "org.vaelab.str.S"; // org.vaelab.line.L
                  Object o = new org.vaelab.e.E(); }
                """;
        assertEquals(Set.of("org.vaelab.a", "org.vaelab.b", "org.vaelab.c", "org.vaelab.e"), dependencies(src));
    }

    @Test
    void longMainFilesSayWhy() {
        List<String> offenders = new ArrayList<>();
        for (Path file : mainSources()) {
            String rel = file.toString().replace('\\', '/');
            String text = read(file);
            long lines = text.lines().count();
            if (lines <= MAX_LINES) continue;
            if (!firstCommentSaysWhyLong(text)) offenders.add(rel + " (" + lines + " lines)");
        }
        assertTrue(offenders.isEmpty(), "main files above " + MAX_LINES + " lines whose first comment has no line"
                + " starting 'Long because': split them or give the reason:\n  " + String.join("\n  ", offenders));
    }

    // ------------------------------------------------------------------ reading sources

    static List<Path> mainSources() {
        List<Path> out = new ArrayList<>();
        for (Path root : MAIN_ROOTS) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Package → the other org.vaelab packages its main sources use. */
    static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Path file : mainSources()) {
            String text = read(file);
            Matcher m = PACKAGE.matcher(text);
            if (!m.find()) throw new IllegalStateException(file + " has no package line");
            String pkg = m.group(1);
            Set<String> uses = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
            for (String dep : dependencies(text)) if (!dep.equals(pkg)) uses.add(dep);
        }
        return graph;
    }

    /** The org.vaelab packages a source file uses, by import or by qualified name in code. */
    static Set<String> dependencies(String source) {
        String code = withoutCommentsAndStrings(source);
        Set<String> out = new TreeSet<>();
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) out.add(packageOf(imports.group(1)));
        Matcher names = QUALIFIED.matcher(code.replaceAll("(?m)^\\s*(package|import)\\s.*$", ""));
        while (names.find()) out.add(packageOf(names.group()));
        return out;
    }

    /** The package part of a qualified name: the segments before the first that starts with a capital. */
    private static String packageOf(String name) {
        String[] parts = name.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String p : parts) {
            if (Character.isUpperCase(p.charAt(0))) break;
            if (pkg.length() > 0) pkg.append('.');
            pkg.append(p);
        }
        return pkg.toString();
    }

    /** The source with comments, string and char literals and text blocks blanked (line breaks kept). */
    static String withoutCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < n && s.charAt(i) != '\n') i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = blank(s, i, end < 0 ? n : end + 2, out);
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                while (end > 0 && s.charAt(end - 1) == '\\') end = s.indexOf("\"\"\"", end + 1);
                i = blank(s, i, end < 0 ? n : end + 3, out);
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') j += s.charAt(j) == '\\' ? 2 : 1;
                i = blank(s, i, Math.min(n, j + 1), out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int blank(String s, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) out.append(s.charAt(k) == '\n' ? '\n' : ' ');
        return to;
    }

    /** True if the file's first comment has a line starting "Long because" (after its leading {@code *} and {@code <p>}). */
    static boolean firstCommentSaysWhyLong(String source) {
        int start = source.indexOf("/*");
        if (start < 0) return false;
        int end = source.indexOf("*/", start);
        String comment = source.substring(start + 2, end < 0 ? source.length() : end);
        return comment.lines()
                .map(l -> l.strip().replaceFirst("^\\*+", "").strip().replaceFirst("^<p>", "").strip())
                .anyMatch(l -> l.startsWith("Long because"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ cycles

    /** One cycle of the graph as a path that ends where it starts, or null if there is none. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // absent: unvisited, 1: on the current path, 2: done
        for (String start : graph.keySet()) {
            List<String> cycle = visit(start, graph, state, new ArrayList<>());
            if (cycle != null) return cycle;
        }
        return null;
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
                                      List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) return null;
        if (s != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return cycle;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> cycle = visit(next, graph, state, path);
            if (cycle != null) return cycle;
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return null;
    }

    /** For each edge of the cycle, the files that make it, so the message says where to cut. */
    private static String describe(List<String> cycle) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k + 1 < cycle.size(); k++) {
            String from = cycle.get(k), to = cycle.get(k + 1);
            List<String> files = new ArrayList<>();
            for (Path file : mainSources()) {
                String text = read(file);
                Matcher m = PACKAGE.matcher(text);
                if (m.find() && m.group(1).equals(from) && dependencies(text).contains(to))
                    files.add(file.getFileName().toString());
            }
            sb.append("  ").append(from).append(" -> ").append(to).append(": ").append(files).append('\n');
        }
        return sb.toString();
    }
}
