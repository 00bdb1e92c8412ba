package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzz of format-3 base resolution on a real file system: a student bundle (zip or directory)
 * sharing its vocabulary and decoder with a base, the base named by a relative, dotted or absolute
 * path, and the base replaced by one of the things a hostile or careless user leaves there
 * (missing, a dangling link, a FIFO, an empty or foreign file, a directory of other files, a bundle
 * with a base of its own, the student itself, a changed or missing shared file, a file over the
 * size limit, {@code /proc}, a manifest of the wrong types). The oracle: the student loads, with
 * its own encoder and the base's shared files, exactly when the base is an intact self-contained
 * bundle (a zip, a directory, or a link to either); otherwise the refusal starts with the student
 * and names the base as its manifest does, within a time guard (a FIFO or /proc once hung).
 */
class BundleBaseFuzzTest {

    /** What lies where the student's manifest points. */
    enum Base {
        ZIP(true), DIRECTORY(true), LINK_TO_ZIP(true), LINK_TO_DIRECTORY(true),
        MISSING(false), DANGLING_LINK(false), FIFO(false), EMPTY_FILE(false), FOREIGN_FILE(false), DIRECTORY_OF_OTHER_FILES(false),
        HAS_A_BASE(false), THE_STUDENT_ITSELF(false), CHANGED_SHARED_FILE(false), MISSING_SHARED_FILE(false), OVER_THE_LIMIT(false),
        PROC(false), WRONG_MANIFEST_TYPES(false);

        final boolean intact;

        Base(boolean intact) {
            this.intact = intact;
        }
    }

    /** How the manifest names the base. */
    enum Ref { PLAIN, DOTTED, ABSOLUTE }

    private static final Duration GUARD = Duration.ofSeconds(15);
    /** Limits small enough that a 100 KB file is over them; the bundles written here are a few KB. */
    private static final BundleFiles READER = new BundleFiles(64 << 10, 256 << 10);
    private static final Vocabulary VOCAB = Vocabulary.build(Map.of("a", 2L, "b", 1L), 10, 1);
    private static final byte[] ENCODER = {1, 2, 3};
    private static final byte[] DECODER = {4, 5};
    private static final byte[] STUDENT_ENCODER = {7, 7};

    private static Manifest manifest() {
        return new Manifest(Manifest.FORMAT_VERSION, "t", new Manifest.Latent(LatentType.GAUSSIAN, 4), new Manifest.Architecture(8, 8),
                TokenNormalizer.defaults().spec(), new Manifest.Vocab(VOCAB.size(), 20), null, Map.of(), Map.of(), null);
    }

    @Provide
    Arbitrary<Base> bases() {
        // the intact kinds often enough that a third of the tries load
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(Base.ZIP, Base.DIRECTORY, Base.LINK_TO_ZIP, Base.LINK_TO_DIRECTORY)),
                Tuple.of(13, Arbitraries.of(Base.values()).filter(b -> !b.intact)));
    }

    @Property(seed = "20261221")
    void aStudentLoadsExactlyWhenItsBaseIsAnIntactSelfContainedBundle(@ForAll("bases") Base base, @ForAll Ref ref, @ForAll boolean studentZip,
            @ForAll @IntRange(min = 0, max = 40) int otherFiles) throws Exception {
        Statistics.label("base").collect(base);
        Statistics.label("base").coverage(c -> {
            for (Base b : Base.values()) {
                c.check(b).count(n -> n >= 1);
            }
        });
        Statistics.label("outcome").collect(base.intact ? "loads" : "refused");
        Statistics.label("outcome").coverage(c -> {
            c.check("loads").percentage(p -> p >= 20);
            c.check("refused").percentage(p -> p >= 20);
        });
        Path dir = Files.createTempDirectory("base-fuzz");
        try {
            Path student = dir.resolve(studentZip ? "s.vae" : "s");
            String named = prepare(dir, student, base, ref, otherFiles);
            if (base.intact) {
                ModelBundle b = assertTimeoutPreemptively(GUARD, () -> ModelBundle.load(student, READER));
                assertArrayEquals(STUDENT_ENCODER, b.file(ModelBundle.ENCODER));
                assertArrayEquals(DECODER, b.file(ModelBundle.DECODER));
                assertEquals(VOCAB.tokens(), b.vocabulary().tokens());
                assertEquals(java.util.List.of(ModelBundle.DECODER, ModelBundle.VOCAB), b.sharedFiles());
            } else {
                BundleException e = assertTimeoutPreemptively(GUARD, () -> assertThrows(BundleException.class, () -> ModelBundle.load(student, READER)));
                String m = e.getMessage();
                assertTrue(m.startsWith(student.toString()), m);
                assertTrue(m.contains("'" + named + "'"), "names the base as the manifest does ('" + named + "'): " + m);
                assertTrue(m.contains(expected(base)), base + " should say '" + expected(base) + "': " + m);
            }
        } finally {
            delete(dir);
        }
    }

    /** What the refusal says for each kind of base that is not intact. */
    private static String expected(Base base) {
        return switch (base) {
            case MISSING, DANGLING_LINK -> "base bundle not found";
            case FIFO -> "is a FIFO, socket or device";
            case EMPTY_FILE -> "is empty (0 bytes)";
            case FOREIGN_FILE -> "not a readable bundle (corrupt zip";
            case DIRECTORY_OF_OTHER_FILES, PROC -> "has no manifest.json";
            case HAS_A_BASE, THE_STUDENT_ITSELF -> "has a base of its own";
            case CHANGED_SHARED_FILE -> "holds a different file";
            case MISSING_SHARED_FILE -> "has none";
            case OVER_THE_LIMIT -> "over the limit of 65536 bytes for one bundle file";
            case WRONG_MANIFEST_TYPES -> "!manifest.json: latent.dim is \"4\", must be a JSON integer";
            default -> throw new IllegalArgumentException(base + " is intact");
        };
    }

    /** Writes the student and, where its manifest points, the base of the given kind; returns the base as the manifest names it. */
    private static String prepare(Path dir, Path student, Base kind, Ref ref, int otherFiles) throws Exception {
        Files.createDirectories(dir.resolve("sub")); // for the dotted reference
        Path good = dir.resolve(kind == Base.DIRECTORY || kind == Base.LINK_TO_DIRECTORY || kind == Base.MISSING_SHARED_FILE ? "good" : "good.vae");
        ModelBundle base = ModelBundle.write(good, manifest(), VOCAB, Map.of(ModelBundle.ENCODER, ENCODER, ModelBundle.DECODER, DECODER));
        ModelBundle.write(student, manifest(), VOCAB, Map.of(ModelBundle.ENCODER, STUDENT_ENCODER, ModelBundle.DECODER, DECODER), base,
                ModelBundle.baseReference(good.toString(), student));
        Path target = dir.resolve("base");
        switch (kind) {
            case ZIP, DIRECTORY -> Files.move(good, target);
            case LINK_TO_ZIP, LINK_TO_DIRECTORY -> Files.createSymbolicLink(target, good);
            case MISSING -> { }
            case DANGLING_LINK -> Files.createSymbolicLink(target, dir.resolve("gone.vae"));
            case FIFO -> {
                Process p = new ProcessBuilder("mkfifo", target.toString()).start();
                assertEquals(0, p.waitFor());
            }
            case EMPTY_FILE -> Files.write(target, new byte[0]);
            case FOREIGN_FILE -> Files.writeString(target, "#!/bin/sh\necho not a model\n");
            case DIRECTORY_OF_OTHER_FILES -> {
                Files.createDirectories(target);
                for (int i = 0; i < otherFiles; i++) {
                    Files.write(target.resolve("f" + i + (i % 2 == 0 ? ".conf" : ".onnx")), new byte[100 << 10]); // each over the limit
                }
                Files.write(target.resolve(ModelBundle.VOCAB), new byte[100 << 10]);
            }
            case HAS_A_BASE -> ModelBundle.write(target, manifest(), VOCAB, Map.of(ModelBundle.ENCODER, new byte[] {9}, ModelBundle.DECODER, DECODER), base,
                    ModelBundle.baseReference(good.toString(), target));
            case THE_STUDENT_ITSELF -> { }
            case CHANGED_SHARED_FILE -> ModelBundle.write(target, manifest(), VOCAB, Map.of(ModelBundle.ENCODER, ENCODER, ModelBundle.DECODER, new byte[] {6}));
            case MISSING_SHARED_FILE -> {
                Files.move(good, target);
                Files.delete(target.resolve(ModelBundle.DECODER));
            }
            case OVER_THE_LIMIT -> ModelBundle.write(target, manifest(), VOCAB, Map.of(ModelBundle.ENCODER, ENCODER, ModelBundle.DECODER, DECODER,
                    "decoder_step.onnx", new byte[100 << 10]));
            case PROC -> { }
            case WRONG_MANIFEST_TYPES -> {
                Files.move(good, target);
                replaceInZip(target, ModelBundle.MANIFEST, s -> s.replace("\"dim\" : 4", "\"dim\" : \"4\""));
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        Path pointed = kind == Base.THE_STUDENT_ITSELF ? student : kind == Base.PROC ? Path.of("/proc") : target;
        String named = kind == Base.PROC || ref == Ref.ABSOLUTE ? pointed.toAbsolutePath().toString()
                : ref == Ref.DOTTED ? "./sub/../" + dir.relativize(pointed) : dir.relativize(pointed).toString();
        setBase(student, named);
        return named;
    }

    /** Rewrites the student's manifest to name {@code base} (its sums are unchanged: the base is not among them). */
    private static void setBase(Path student, String base) throws IOException {
        java.util.function.UnaryOperator<String> edit = json -> json.replaceFirst("\"base\" : \"[^\"]*\"", "\"base\" : \"" + base.replace("\\", "\\\\") + "\"");
        if (Files.isDirectory(student)) {
            Path m = student.resolve(ModelBundle.MANIFEST);
            Files.writeString(m, edit.apply(Files.readString(m)));
        } else {
            replaceInZip(student, ModelBundle.MANIFEST, edit);
        }
    }

    private static void replaceInZip(Path zip, String name, java.util.function.UnaryOperator<String> edit) throws IOException {
        Map<String, byte[]> raw;
        try (var in = Files.newInputStream(zip)) {
            raw = new LinkedHashMap<>(ModelBundle.readZip(in));
        }
        raw.put(name, edit.apply(new String(raw.get(name), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : raw.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) { // does not follow links: a link to /proc or a FIFO is deleted, not entered
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
