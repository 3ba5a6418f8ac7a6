package org.vaelab.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** {@code manifest.sha256} of a run folder: the SHA-256 of each of its files, as {@code sha256sum} writes them. */
final class RunManifest {

    private static final Pattern MANIFEST_LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");

    private RunManifest() {
    }

    /**
     * Writes {@value RunFiles#MANIFEST}: the SHA-256 of every file of the run folder, in the format of {@code sha256sum}
     * ({@code <hex>  <name>}, sorted by name), so that {@code sha256sum -c manifest.sha256} checks the run without
     * vaelab. Also makes every file readable by all, as the folder is.
     */
    static void write(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw FileErrors.explain("list", dir, e);
        }
        for (Path f : files) {
            FileErrors.run("set the permissions of", f, () -> AtomicFiles.setMode(f, AtomicFiles.FILE_MODE));
            try {
                sb.append(sha256(f)).append("  ").append(f.getFileName()).append('\n');
            } catch (IOException e) {
                throw FileErrors.explain("read", f, e);
            }
        }
        Path manifest = dir.resolve(RunFiles.MANIFEST);
        FileErrors.run("write", manifest, () -> AtomicFiles.writeSynced(manifest,
                out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8))));
    }

    /** The manifest's entries by file name; malformed lines become problems. */
    static Map<String, String> read(Path file, List<String> problems) {
        Map<String, String> listed = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(RunFiles.MANIFEST + " cannot be read: " + FileErrors.explain("read", file, e).getMessage());
            return listed;
        }
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MANIFEST_LINE.matcher(lines.get(i));
            if (!m.matches()) {
                problems.add(RunFiles.MANIFEST + " line " + (i + 1) + " is not '<SHA-256>  <file>': '" + lines.get(i) + "'");
            } else if (m.group(2).contains("/") || m.group(2).contains("\\") || m.group(2).startsWith(".")) {
                problems.add(RunFiles.MANIFEST + " line " + (i + 1) + " names " + m.group(2) + ", which is not a file of a run");
            } else if (listed.put(m.group(2), m.group(1)) != null) {
                problems.add(RunFiles.MANIFEST + " lists " + m.group(2) + " twice");
            }
        }
        if (lines.isEmpty()) problems.add(RunFiles.MANIFEST + " is empty");
        return listed;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
