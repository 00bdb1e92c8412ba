package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.Subwords;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format-level checks; real ONNX graphs are tested with exported models in the training module. */
class ModelBundleTest {

    private static final Map<String, byte[]> GRAPHS = Map.of(ModelBundle.ENCODER, new byte[] {1, 2, 3}, ModelBundle.DECODER, new byte[] {4, 5});

    private static Manifest manifest(int version) {
        Vocabulary v = Vocabulary.build(Map.of("a", 2L, "b", 1L), 10, 1);
        return new Manifest(version, "t", new Manifest.Latent(LatentType.GAUSSIAN, 4), new Manifest.Architecture(8, 8), TokenNormalizer.defaults().spec(),
                new Manifest.Vocab(v.size(), 20), null, Map.of("seed", 1), Map.of(), null);
    }

    /** Replaces {@code from} (which must be there) by {@code to} in the bundle's manifest and returns why loading it fails. */
    private static BundleException loadAfterEditingManifest(Path out, String from, String to) throws Exception {
        Path manifest = out.resolve(ModelBundle.MANIFEST);
        String json = Files.readString(manifest);
        assertTrue(json.contains(from), json);
        Files.writeString(manifest, json.replace(from, to));
        return assertThrows(BundleException.class, () -> ModelBundle.load(out));
    }

    private static ModelBundle write(Path out, int version) throws Exception {
        Vocabulary v = Vocabulary.build(Map.of("a", 2L, "b", 1L), 10, 1);
        return ModelBundle.write(out, manifest(version), v, GRAPHS);
    }

    @Test
    void zipAndDirectoryBundlesRoundTrip(@TempDir Path dir) throws Exception {
        for (Path out : new Path[] {dir.resolve("m.vae"), dir.resolve("m-dir")}) {
            write(out, Manifest.FORMAT_VERSION);
            ModelBundle b = ModelBundle.load(out);
            assertEquals(6, b.vocabulary().size());
            assertArrayEquals(new byte[] {4, 5}, b.file(ModelBundle.DECODER));
            assertEquals(ModelBundle.sha256(new byte[] {1, 2, 3}), b.manifest().files().get(ModelBundle.ENCODER));
            assertEquals(20, b.sentenceEncoder().maxLength());
        }
    }

    @Test
    void aChangedFileIsReportedAsChecksumMismatchNamingIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        write(out, Manifest.FORMAT_VERSION);
        Files.write(out.resolve(ModelBundle.ENCODER), new byte[] {9, 9, 9});
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(out));
        assertTrue(e.getMessage().contains("encoder.onnx: checksum mismatch"), e.getMessage());
    }

    @Test
    void aMaximumLengthBelowOneNamesTheBundle(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("short");
        write(out, Manifest.FORMAT_VERSION);
        BundleException e = loadAfterEditingManifest(out, "\"maxLength\" : 20", "\"maxLength\" : 0");
        assertTrue(e.getMessage().startsWith(out + "!manifest.json: vocab.maxLength 0 must be at least 1"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        write(out, Manifest.FORMAT_VERSION);
        Files.delete(out.resolve(ModelBundle.DECODER));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(out));
        assertTrue(e.getMessage().contains("missing decoder.onnx"), e.getMessage());
    }

    @Test
    void anUnknownFormatVersionIsRejected(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        write(out, Manifest.FORMAT_VERSION);
        BundleException e = loadAfterEditingManifest(out, "\"formatVersion\" : 1", "\"formatVersion\" : 99");
        assertTrue(e.getMessage().contains("unknown bundle format version 99"), e.getMessage());
    }

    /** Found by ModelBundleFuzzTest: a damaged entry name escaped as an IllegalArgumentException. */
    @Test
    void aZipEntryNameThatIsNotUtf8IsACorruptBundle(@TempDir Path dir) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("\u00e9.txt"));
            zip.write(1);
            zip.closeEntry();
        }
        byte[] z = bytes.toByteArray();
        for (int i = 0; i + 1 < z.length; i++) {
            if ((z[i] & 0xff) == 0xC3 && (z[i + 1] & 0xff) == 0xA9) {
                z[i + 1] = '('; // C3 28: not UTF-8
                break;
            }
        }
        Path bad = dir.resolve("bad.vae");
        Files.write(bad, z);
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(bad));
        assertTrue(e.getMessage().contains("not a readable bundle (corrupt zip: bad entry name"), e.getMessage());
    }

    @Test
    void truncatedOrForeignFilesAreNotBundles(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("m.vae");
        write(zip, Manifest.FORMAT_VERSION);
        byte[] bytes = Files.readAllBytes(zip);
        Path cut = dir.resolve("cut.vae");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());

        Path text = dir.resolve("notes.vae");
        Files.writeString(text, "not a model", StandardCharsets.UTF_8);
        e = assertThrows(BundleException.class, () -> ModelBundle.load(text));
        assertTrue(e.getMessage().contains("not a readable bundle"), e.getMessage());

        e = assertThrows(BundleException.class, () -> ModelBundle.load(dir.resolve("absent.vae")));
        assertTrue(e.getMessage().contains("model bundle not found"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutManifestIsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("vocab.txt"), "x\n");
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(dir));
        assertTrue(e.getMessage().contains("missing manifest.json"), e.getMessage());
    }

    @Test
    void aWordPieceBundleSegmentsWithItsOwnFileAndRefusesAMismatchedOne(@TempDir Path dir) throws Exception {
        byte[] json;
        try (Subwords full = Subwords.ofBackbone(PretrainedBackbone.MINILM)) {
            json = full.restrict(Subwords.choose(Map.of("park", 3L, "##ing", 2L, "the", 5L), 40));
        }
        Vocabulary v;
        try (Subwords cut = Subwords.fromJson(json, "cut")) {
            v = cut.vocabulary();
        }
        Manifest m = new Manifest(Manifest.FORMAT_VERSION_WORDPIECE, "wp", new Manifest.Latent(LatentType.GAUSSIAN, 4), new Manifest.Architecture(8, 8),
                TokenNormalizer.defaults().spec(), new Manifest.Vocab(v.size(), 20, Subwords.WORDPIECE), null, Map.of(), Map.of(), null);
        Map<String, byte[]> files = new java.util.HashMap<>(GRAPHS);
        files.put(Subwords.FILE, json);
        Path out = dir.resolve("wp.vae");
        ModelBundle.write(out, m, v, files);
        ModelBundle b = ModelBundle.load(out);
        EncodedSentence e = b.sentenceEncoder().encode(java.util.List.of("Parking", "the", "Park"));
        assertEquals(0, e.unknownCount());
        assertEquals(java.util.List.of("parking", "the", "park"), b.words(java.util.Arrays.copyOf(e.ids(), e.ids().length - 1)));
        assertTrue(e.ids().length - 1 > 3, "parking is more than one piece");

        // a word-piece bundle written as format 1 (which older libraries would read as words) is refused
        // (ModelBundle.write loads what it wrote, so it refuses these bundles itself)
        Manifest asV1 = new Manifest(Manifest.FORMAT_VERSION, "wp", m.latent(), m.architecture(), m.normalizer(), m.vocab(), null, Map.of(), Map.of(), null);
        BundleException version = assertThrows(BundleException.class, () -> ModelBundle.write(dir.resolve("v1"), asV1, v, files));
        assertTrue(version.getMessage().contains("does not match vocabulary units"), version.getMessage());
        // the manifest says word pieces but the bundle has no segmenter
        BundleException missing = assertThrows(BundleException.class, () -> ModelBundle.write(dir.resolve("nofile"), m, v, GRAPHS));
        assertTrue(missing.getMessage().contains("missing " + Subwords.FILE), missing.getMessage());
        // a segmenter whose pieces the vocabulary does not hold
        java.util.List<String> changed = new java.util.ArrayList<>(v.tokens());
        changed.set(changed.size() - 1, "not-a-piece");
        BundleException mismatch = assertThrows(BundleException.class,
                () -> ModelBundle.write(dir.resolve("other"), m, Vocabulary.fromLines(changed, "changed"), files));
        assertTrue(mismatch.getMessage().contains("do not belong together"), mismatch.getMessage());
    }
    @Test
    void aBundleSharesTheFilesEqualToItsBaseAndRefusesAChangedOrMissingBase(@TempDir Path dir) throws Exception {
        Vocabulary v = Vocabulary.build(Map.of("a", 2L, "b", 1L), 10, 1);
        Path basePath = dir.resolve("base.vae");
        ModelBundle base = write(basePath, Manifest.FORMAT_VERSION);
        Map<String, byte[]> studentGraphs = Map.of(ModelBundle.ENCODER, new byte[] {7, 7}, ModelBundle.DECODER, new byte[] {4, 5});
        Path studentPath = dir.resolve("students").resolve("s.vae");
        ModelBundle student = ModelBundle.write(studentPath, manifest(Manifest.FORMAT_VERSION), v, studentGraphs, base,
                ModelBundle.baseReference(basePath.toString(), studentPath));

        assertEquals("../base.vae", student.manifest().base());
        assertEquals(Manifest.FORMAT_VERSION_SHARED, student.manifest().formatVersion());
        assertEquals(java.util.List.of(ModelBundle.DECODER, ModelBundle.VOCAB), student.sharedFiles());
        java.util.Set<String> held = ModelBundle.readZip(Files.newInputStream(studentPath)).keySet();
        assertEquals(java.util.Set.of(ModelBundle.MANIFEST, ModelBundle.ENCODER), held, "only the files that differ from the base are written");
        ModelBundle loaded = ModelBundle.load(studentPath);
        assertArrayEquals(new byte[] {7, 7}, loaded.file(ModelBundle.ENCODER));
        assertArrayEquals(new byte[] {4, 5}, loaded.file(ModelBundle.DECODER));
        assertEquals(6, loaded.vocabulary().size());

        // re-exported (as rehash does), the copy keeps sharing with the same base, wherever it is written
        Path copy = dir.resolve("elsewhere").resolve("deeper").resolve("copy");
        ModelBundle again = ModelBundle.writeWithBaseOf(loaded, copy, loaded.manifest(), loaded.vocabulary(), Map.of(ModelBundle.ENCODER,
                loaded.file(ModelBundle.ENCODER), ModelBundle.DECODER, loaded.file(ModelBundle.DECODER)));
        assertEquals("../../base.vae", again.manifest().base());
        assertEquals(loaded.sharedFiles(), ModelBundle.load(copy).sharedFiles());

        // nothing in common: written self-contained, in the format of its vocabulary
        ModelBundle alone = ModelBundle.write(dir.resolve("alone.vae"), manifest(Manifest.FORMAT_VERSION), Vocabulary.build(Map.of("c", 2L, "d", 1L), 10, 1),
                Map.of(ModelBundle.ENCODER, new byte[] {1}, ModelBundle.DECODER, new byte[] {2}), base, "base.vae");
        assertEquals(null, alone.manifest().base());
        assertEquals(Manifest.FORMAT_VERSION, alone.manifest().formatVersion());
        // a bundle with a base cannot be a base
        assertThrows(IllegalArgumentException.class, () -> ModelBundle.write(dir.resolve("x.vae"), manifest(Manifest.FORMAT_VERSION), v, studentGraphs,
                loaded, "students/s.vae"));

        // the base changed: the shared file no longer matches the student's manifest
        write(basePath, Manifest.FORMAT_VERSION);
        Files.delete(basePath);
        ModelBundle.write(basePath, manifest(Manifest.FORMAT_VERSION), v, Map.of(ModelBundle.ENCODER, new byte[] {1, 2, 3}, ModelBundle.DECODER,
                new byte[] {6}));
        BundleException changed = assertThrows(BundleException.class, () -> ModelBundle.load(studentPath));
        assertTrue(changed.getMessage().contains("decoder.onnx: the base '../base.vae' holds a different file"), changed.getMessage());
        // the base is gone
        Files.delete(basePath);
        BundleException gone = assertThrows(BundleException.class, () -> ModelBundle.load(studentPath));
        assertTrue(gone.getMessage().contains("cannot read its base bundle '../base.vae'") && gone.getMessage().contains("base bundle not found"),
                gone.getMessage());
        // read from memory, a base can only be a shipped model
        Map<String, byte[]> raw = ModelBundle.readZip(Files.newInputStream(studentPath));
        BundleException memory = assertThrows(BundleException.class, () -> ModelBundle.fromFiles("mem", raw));
        assertTrue(memory.getMessage().contains("can only share files with a shipped model"), memory.getMessage());
    }

    @Test
    void theFormatVersionAndTheBaseMustAgree(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        write(out, Manifest.FORMAT_VERSION);
        BundleException noBase = loadAfterEditingManifest(out, "\"formatVersion\" : 1,", "\"formatVersion\" : 3,");
        assertTrue(noBase.getMessage().contains("format version 3 needs a base bundle"), noBase.getMessage());
        BundleException oldFormat = loadAfterEditingManifest(out, "\"formatVersion\" : 3,", "\"formatVersion\" : 1, \"base\" : \"brown-bernoulli64\",");
        assertTrue(oldFormat.getMessage().contains("names a base bundle but has format version 1"), oldFormat.getMessage());
    }
}
