package org.vaelab.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

/**
 * A fingerprint of the code that produces a run's numbers: SHA-256 over the compiled classes of the packages that
 * load data, build and train the model, apply the weighting and compute metrics ({@link #PACKAGES}), with their
 * debug information removed.
 *
 * <p>It is recorded in provenance as {@code codeSha256} and only <em>warns</em>: it is not part of a run's key.
 * A run's identity is its configuration plus the declared {@link NumericsVersion}, bumped by hand whenever a change
 * can move a number (and enforced by the golden-run test); hashing the bytecode cannot tell a refactoring from a
 * change of numerics, so keying on it retrained everything after any edit. Why not the git commit: any commit, even
 * to the README, would change it.
 *
 * <p>Debug information is dropped before hashing ({@code LineNumberTable}, {@code LocalVariableTable},
 * {@code LocalVariableTypeTable}, {@code SourceFile}, {@code SourceDebugExtension}, {@code MethodParameters}: ASM's
 * {@link ClassReader#SKIP_DEBUG}), and the class is rewritten with a fresh constant pool, so editing a comment,
 * adding blank lines or renaming a local variable leaves the hash unchanged, while any change to the executed code
 * or its constants changes it.
 */
public final class CodeVersion {

    /** Packages whose compiled code determines a run's numbers. */
    public static final List<String> PACKAGES = List.of("org.vaelab.data", "org.vaelab.loss", "org.vaelab.model",
            "org.vaelab.train", "org.vaelab.weighting", "org.vaelab.metrics");

    private static volatile String cached;

    private CodeVersion() {
    }

    /**
     * SHA-256 (hex) of the class files of {@link #PACKAGES} without debug information, in name order; computed once
     * per process.
     */
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
            if (classes.isEmpty()) throw new IllegalStateException("no classes found for " + PACKAGES);
            return sha256(classes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vaelab's class files to version the code", e);
        }
    }

    /**
     * Whether a reused run was made by other code than this process runs: true if {@code recordedCodeSha256} (a run's
     * recorded {@code codeSha256}) differs from {@link #sha256()}, or is missing (nothing shows it is the same).
     * Only grounds for a warning: if the numerics changed, {@link NumericsVersion} should have been bumped.
     */
    public static boolean differsFrom(String recordedCodeSha256) {
        return recordedCodeSha256 == null || !recordedCodeSha256.equals(sha256());
    }

    /**
     * SHA-256 (hex) over class files given by name (e.g. {@code org/vaelab/model/Gemm.class}): each name, then the
     * class without debug information ({@link #withoutDebugInfo}), in name order.
     */
    static String sha256(SortedMap<String, byte[]> classFiles) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : classFiles.entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update(withoutDebugInfo(e.getKey(), e.getValue()));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The class file re-serialised without debug attributes. The writer is not given the reader, so it builds a new
     * constant pool holding only what the remaining code refers to: copying the old pool would keep the dropped
     * attributes' strings (source file name, local variable names) in the bytes.
     */
    static byte[] withoutDebugInfo(String name, byte[] classFile) {
        try {
            ClassReader reader = new ClassReader(classFile);
            ClassWriter writer = new ClassWriter(0);
            reader.accept(writer, ClassReader.SKIP_DEBUG);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot parse class file " + name + " (" + classFile.length + " bytes) to"
                    + " version the code; rebuild with `mvn clean compile`, or upgrade org.ow2.asm:asm if the class"
                    + " file version is newer than it reads", e);
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
