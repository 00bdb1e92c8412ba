package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code annotate -m BUNDLE} with a bundle that cannot be loaded: the one-line error keeps the
 * bundle's path (and for a missing base, the bundle that names it), where the root cause alone (a
 * ZipException, a Jackson message) named neither.
 */
class AnnotateModelErrorsTest {

    private static final Vocabulary VOCAB = Vocabulary.build(Map.of("a", 2L, "b", 1L), 10, 1);
    private static final Map<String, byte[]> GRAPHS = Map.of(ModelBundle.ENCODER, new byte[] {1}, ModelBundle.DECODER, new byte[] {2});

    private static Manifest manifest() {
        return new Manifest(Manifest.FORMAT_VERSION, "t", new Manifest.Latent(LatentType.GAUSSIAN, 4), new Manifest.Architecture(8, 8),
                TokenNormalizer.defaults().spec(), new Manifest.Vocab(VOCAB.size(), 20), null, Map.of(), Map.of(), null);
    }

    /** The stderr line of {@code annotate -m model} on a small text, which must exit 1 with nothing on stdout. */
    private static String error(Path dir, Path model) throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "The jury said so .\n");
        CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> CliRun.capture(new byte[0], () -> LatentNlp.execute("annotate", "-m", model.toString(), text.toString())));
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        return r.err().strip();
    }

    @Test
    void aFileThatIsNotAZipIsNamed(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("notes.vae"), "not a model");
        assertEquals("latent-nlp annotate: " + bad + " is not a readable bundle (corrupt zip: no entries (not a zip file, or empty))", error(dir, bad));
    }

    @Test
    void aManifestThatIsNotJsonIsNamedWithItsBundle(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        ModelBundle.write(out, manifest(), VOCAB, GRAPHS);
        Files.writeString(out.resolve(ModelBundle.MANIFEST), "{\"formatVersion\": 1,");
        String err = error(dir, out);
        assertTrue(err.startsWith("latent-nlp annotate: " + out + "!manifest.json is not valid manifest JSON: Unexpected end-of-input"), err);
    }

    @Test
    void aManifestValueOutOfBoundsIsNamedWithItsBundle(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        ModelBundle.write(out, manifest(), VOCAB, GRAPHS);
        Path m = out.resolve(ModelBundle.MANIFEST);
        Files.writeString(m, Files.readString(m).replace("\"hiddenDim\" : 8", "\"hiddenDim\" : 2147483647"));
        assertEquals("latent-nlp annotate: " + out + "!manifest.json: architecture.hiddenDim 2147483647 must be at least 1 and at most 16384 (the LSTM"
                + " state size)", error(dir, out));
    }

    @Test
    void aMissingBaseIsNamedWithTheBundleThatNamesIt(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("base.vae");
        ModelBundle b = ModelBundle.write(base, manifest(), VOCAB, GRAPHS);
        Path student = dir.resolve("students").resolve("s.vae");
        ModelBundle.write(student, manifest(), VOCAB, Map.of(ModelBundle.ENCODER, new byte[] {7}, ModelBundle.DECODER, new byte[] {2}), b,
                ModelBundle.baseReference(base.toString(), student));
        Files.delete(base);
        assertEquals("latent-nlp annotate: " + student + ": cannot read its base bundle '../base.vae': base bundle not found: " + student.getParent()
                .resolve("../base.vae") + " (the manifest's base is resolved against the bundle's directory)", error(dir, student));
    }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("m.vae");
        try {
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assertEquals(0, p.waitFor());
        } catch (java.io.IOException e) {
            Assumptions.abort("no mkfifo on this machine: " + e.getMessage());
        }
        assertEquals("latent-nlp annotate: " + fifo + " is a FIFO, socket or device, not a bundle: give a .vae file (a zip) or a bundle directory",
                error(dir, fifo));
    }
}
