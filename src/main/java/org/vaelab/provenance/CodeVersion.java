package org.vaelab.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The version of the code that produces a run's numbers: SHA-256 over the compiled classes of the packages that
 * load data, build and train the model, apply the weighting and compute metrics ({@link #PACKAGES}).
 *
 * <p>Why not the git commit: any commit, even to the README, would invalidate every finished run, so nothing could
 * ever be reused across commits. Why not a hand-bumped constant: forgetting to bump it silently reuses runs made by
 * different numerics. Hashing the class files is automatic and conservative: a change to any of these classes
 * (including one that only moves line numbers) retrains; changes elsewhere (reports, experiments' prose) do not.
 */
public final class CodeVersion {

    /** Packages whose compiled code determines a run's numbers. */
    public static final List<String> PACKAGES = List.of("org.vaelab.data", "org.vaelab.model", "org.vaelab.train",
            "org.vaelab.weighting", "org.vaelab.metrics");

    private static volatile String cached;

    private CodeVersion() {
    }

    /** SHA-256 (hex) of the class files of {@link #PACKAGES}, in name order; computed once per process. */
    public static String sha256() {
        String v = cached;
        if (v == null) cached = v = compute();
        return v;
    }

    private static String compute() {
        TreeMap<String, byte[]> classes = new TreeMap<>();
        ClassLoader cl = CodeVersion.class.getClassLoader();
        try {
            for (String pkg : PACKAGES) {
                String dir = pkg.replace('.', '/');
                var urls = cl.getResources(dir);
                while (urls.hasMoreElements()) collect(urls.nextElement(), dir, classes);
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : classes.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(e.getValue());
            }
            if (classes.isEmpty()) throw new IllegalStateException("no classes found for " + PACKAGES);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vaelab's class files to version the code", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the .class files directly in {@code dir} (not sub-packages) found at {@code url}. */
    private static void collect(URL url, String dir, TreeMap<String, byte[]> out) throws IOException {
        if (url.getProtocol().equals("file")) {
            Path folder;
            try {
                folder = Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList())
                    out.put(dir + "/" + f.getFileName(), Files.readAllBytes(f));
            }
        } else if (url.getProtocol().equals("jar")) {
            JarURLConnection conn = (JarURLConnection) url.openConnection();
            conn.setUseCaches(false);
            try (JarFile jar = conn.getJarFile()) {
                var entries = jar.entries();
                while (entries.hasMoreElements()) {
                    var e = entries.nextElement();
                    String name = e.getName();
                    if (name.startsWith(dir + "/") && name.endsWith(".class") && name.indexOf('/', dir.length() + 1) < 0) {
                        try (InputStream in = jar.getInputStream(e)) {
                            out.put(name, in.readAllBytes());
                        }
                    }
                }
            }
        }
    }
}
