package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundle paths that are not bundles: FIFOs, {@code /proc}, directories full of other files, and
 * files over the size limits. Each must fail fast with a message naming the path (the timeout is
 * only a guard against a hang, which is what these paths caused before).
 */
class BundlePathsTest {

    private static final Duration GUARD = Duration.ofSeconds(20);
    private static final Map<String, byte[]> GRAPHS = Map.of(ModelBundle.ENCODER, new byte[] {1, 2, 3}, ModelBundle.DECODER, new byte[] {4, 5});

    private static Manifest manifest() {
        return new Manifest(Manifest.FORMAT_VERSION, "t", new Manifest.Latent(LatentType.GAUSSIAN, 4), new Manifest.Architecture(8, 8),
                TokenNormalizer.defaults().spec(), new Manifest.Vocab(vocabulary().size(), 20), null, Map.of(), Map.of(), null);
    }

    private static Vocabulary vocabulary() {
        return Vocabulary.build(Map.of("a", 2L, "b", 1L), 10, 1);
    }

    /** A bundle at {@code out} sharing its vocabulary and decoder with the bundle at {@code base}. */
    private static void writeStudent(Path base, Path out) throws IOException {
        ModelBundle b = ModelBundle.write(base, manifest(), vocabulary(), GRAPHS);
        ModelBundle.write(out, manifest(), vocabulary(), Map.of(ModelBundle.ENCODER, new byte[] {7}, ModelBundle.DECODER, new byte[] {4, 5}), b,
                ModelBundle.baseReference(base.toString(), out));
    }

    private static BundleException refused(Path path) {
        return assertTimeoutPreemptively(GUARD, () -> assertThrows(BundleException.class, () -> ModelBundle.load(path)));
    }

    private static void mkfifo(Path path) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo on this machine: " + e.getMessage());
            return;
        }
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void aFifoAsTheBundleIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("m.vae");
        mkfifo(fifo);
        BundleException e = refused(fifo);
        assertTrue(e.getMessage().startsWith(fifo + " is a FIFO, socket or device, not a bundle"), e.getMessage());
        Path link = dir.resolve("link.vae");
        Files.createSymbolicLink(link, fifo);
        e = refused(link);
        assertTrue(e.getMessage().startsWith(link + " is a FIFO, socket or device (" + fifo.toRealPath() + ")"), e.getMessage());
    }

    @Test
    void aFifoAsAFormat3BaseIsRefusedNamingTheBundleThatNamesIt(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("base.vae");
        Path student = dir.resolve("s.vae");
        writeStudent(base, student);
        Files.delete(base);
        mkfifo(base);
        BundleException e = refused(student);
        assertTrue(e.getMessage().startsWith(student + ": cannot read its base bundle 'base.vae': " + base + " is a FIFO"), e.getMessage());
    }

    @Test
    void aFifoInABundleDirectoryIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        ModelBundle.write(out, manifest(), vocabulary(), GRAPHS);
        Files.delete(out.resolve(ModelBundle.DECODER));
        mkfifo(out.resolve(ModelBundle.DECODER));
        BundleException e = refused(out);
        assertTrue(e.getMessage().contains(out.resolve(ModelBundle.DECODER) + " is a FIFO, socket or device, not a regular file"), e.getMessage());
    }

    @Test
    void procAndItsFilesAreRefusedFast() {
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc), "no /proc on this machine");
        BundleException e = refused(proc);
        assertEquals("/proc: missing manifest.json (is this a latent-nlp model bundle?)", e.getMessage());
        Path kmsg = Path.of("/proc/kmsg"); // a reader blocks until the kernel logs
        Assumptions.assumeTrue(Files.exists(kmsg), "no /proc/kmsg on this machine");
        e = refused(kmsg);
        assertTrue(e.getMessage().startsWith("/proc/kmsg is empty (0 bytes), not a bundle"), e.getMessage());
        e = refused(Path.of("/proc/self/mem"));
        assertTrue(e.getMessage().startsWith("/proc/self/mem is empty (0 bytes)"), e.getMessage());
    }

    /** /etc as a bundle or a base: one lookup of manifest.json, no other file read (the link below would block a reader). */
    @Test
    void aDirectoryWithoutManifestIsRefusedWithoutReadingItsFiles(@TempDir Path dir) throws Exception {
        Path etc = dir.resolve("etc");
        Files.createDirectories(etc);
        for (int i = 0; i < 300; i++) {
            Files.write(etc.resolve("file" + i + ".conf"), new byte[4096]);
        }
        Path kmsg = Path.of("/proc/kmsg");
        if (Files.isReadable(kmsg)) {
            Files.createSymbolicLink(etc.resolve(ModelBundle.VOCAB), kmsg);
        }
        Files.write(etc.resolve(ModelBundle.ENCODER), new byte[1 << 20]);
        BundleFiles small = new BundleFiles(1 << 16, 1 << 17); // every read of encoder.onnx would be over the limit
        BundleException e = assertTimeoutPreemptively(GUARD, () -> assertThrows(BundleException.class, () -> ModelBundle.load(etc, small)));
        assertEquals(etc + ": missing manifest.json (is this a latent-nlp model bundle?)", e.getMessage());

        Path base = dir.resolve("base.vae");
        Path student = dir.resolve("s.vae");
        writeStudent(base, student);
        Files.delete(base);
        Files.createSymbolicLink(base, etc);
        e = assertTimeoutPreemptively(GUARD, () -> assertThrows(BundleException.class, () -> ModelBundle.load(student, small)));
        assertEquals(student + ": its base 'base.vae' has no manifest.json", e.getMessage());
        Path realEtc = Path.of("/etc");
        if (Files.isDirectory(realEtc)) {
            Files.delete(base);
            Files.createSymbolicLink(base, realEtc);
            e = refused(student);
            assertEquals(student + ": its base 'base.vae' has no manifest.json", e.getMessage());
        }
    }

    @Test
    void aFileOverTheLimitIsRefusedNamingItAndTheLimit(@TempDir Path dir) throws Exception {
        BundleFiles small = new BundleFiles(1000, 4000);
        Path out = dir.resolve("m");
        ModelBundle.write(out, manifest(), vocabulary(), Map.of(ModelBundle.ENCODER, new byte[1001], ModelBundle.DECODER, new byte[5]));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(out, small));
        assertEquals(out.resolve(ModelBundle.ENCODER) + " is 1001 bytes, over the limit of 1000 bytes for one bundle file", e.getMessage());

        // in a zip, the inflated size counts: 1 MB of zeros is a 1 KB entry
        Path zip = dir.resolve("bomb.vae");
        Files.write(zip, zip(Map.of(ModelBundle.MANIFEST, new byte[] {'{', '}'}, ModelBundle.ENCODER, new byte[1 << 20])));
        assertTrue(Files.size(zip) < 4000, "the zip itself is small");
        e = assertThrows(BundleException.class, () -> ModelBundle.load(zip, small));
        assertEquals(zip + "!" + ModelBundle.ENCODER + " is over the limit of 1000 bytes for one bundle file", e.getMessage());

        // each file under the limit, all of them over the bundle's
        Path many = dir.resolve("many.vae");
        Files.write(many, zip(Map.of("a", new byte[900], "b", new byte[900], "c", new byte[900], "d", new byte[900], "e", new byte[900])));
        e = assertThrows(BundleException.class, () -> ModelBundle.load(many, small));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(many.toString()) + "!\\w: the bundle's files are over the limit of 4000 bytes in all"),
                e.getMessage());

        // the default limits, at their size: 1 GiB a file, 2 GiB in all
        assertEquals(1L << 30, BundleFiles.MAX_FILE_BYTES);
        Path sparse = dir.resolve("sparse.vae");
        try (var f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(BundleFiles.MAX_TOTAL_BYTES + 1); // sparse: no disk used
        }
        e = assertThrows(BundleException.class, () -> ModelBundle.load(sparse));
        assertEquals(sparse + " is 2147483649 bytes, over the limit of 2147483648 bytes (2 GiB) for a whole bundle", e.getMessage());
    }

    @Test
    void twoZipEntriesOfOneNameAreRefused(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            // ZipOutputStream refuses a duplicate name, so the second entry is written as manifest.jsoN and renamed in the bytes
            out.putNextEntry(new ZipEntry(ModelBundle.MANIFEST));
            out.write('{');
            out.closeEntry();
            out.putNextEntry(new ZipEntry("manifest.jsoN"));
            out.write('}');
            out.closeEntry();
        }
        byte[] z = bytes.toByteArray();
        for (int i = 0; i + 13 <= z.length; i++) {
            if (new String(z, i, 13, java.nio.charset.StandardCharsets.US_ASCII).equals("manifest.jsoN")) {
                z[i + 12] = 'n';
            }
        }
        Path dup = dir.resolve("dup.vae");
        Files.write(dup, z);
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(dup));
        assertEquals(dup + " holds two entries named manifest.json (a zip written by ModelBundle.write has one of each)", e.getMessage());
    }

    @Test
    void aBundleOfThousandsOfFilesIsRefusedBeforeTheyAreRead(@TempDir Path dir) throws Exception {
        Map<String, byte[]> entries = new java.util.HashMap<>();
        for (int i = 0; i <= BundleFiles.MAX_ENTRIES; i++) {
            entries.put("f" + i, new byte[0]);
        }
        Path zip = dir.resolve("many.vae");
        Files.write(zip, zip(entries));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(zip));
        assertEquals(zip + " has more than 1024 entries; a bundle zip holds a handful of files", e.getMessage());

        Path out = dir.resolve("m");
        ModelBundle.write(out, manifest(), vocabulary(), GRAPHS);
        Path m = out.resolve(ModelBundle.MANIFEST);
        StringBuilder listed = new StringBuilder("\"files\" : {");
        for (int i = 0; i < 2000; i++) {
            listed.append("\"f").append(i).append("\" : \"00\", ");
        }
        Files.writeString(m, Files.readString(m).replace("\"files\" : {", listed));
        e = assertThrows(BundleException.class, () -> ModelBundle.load(out));
        assertEquals(m + " lists 2003 files; a bundle holds a handful (at most 1024)", e.getMessage());
    }

    /** Symbolic links a user makes still work: to the bundle, and to files of a bundle directory. */
    @Test
    void symbolicLinksToABundleAndToItsFilesAreFollowed(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        ModelBundle.write(out, manifest(), vocabulary(), GRAPHS);
        Path moved = dir.resolve("decoder-elsewhere.onnx");
        Files.move(out.resolve(ModelBundle.DECODER), moved);
        Files.createSymbolicLink(out.resolve(ModelBundle.DECODER), moved);
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, out);
        ModelBundle b = ModelBundle.load(link);
        assertArrayEquals(new byte[] {4, 5}, b.file(ModelBundle.DECODER));
        Path zip = dir.resolve("m.vae");
        ModelBundle.write(zip, manifest(), vocabulary(), GRAPHS);
        Path zipLink = dir.resolve("z.vae");
        Files.createSymbolicLink(zipLink, zip);
        assertArrayEquals(new byte[] {1, 2, 3}, ModelBundle.load(zipLink).file(ModelBundle.ENCODER));
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
