package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.hash.LatentHasher;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.text.TokenNormalizer;
import io.latentnlp.models.text.Vocabulary;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Manifest values that used to load unchecked (NaN hash thresholds, a hidden size of 2^31 - 1,
 * fractional or quoted integers, a categorical code width that overflows an int): each refusal
 * names the manifest, the field and the value.
 */
class ManifestValuesTest {

    private static final Vocabulary VOCAB = Vocabulary.build(Map.of("a", 2L, "b", 1L), 10, 1);

    /** A bundle, file name to content, whose manifest has these JSON values (hash null = none) and is otherwise valid. */
    private static Map<String, byte[]> bundle(String format, String latent, String hash, String architecture) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put(ModelBundle.VOCAB, String.join("\n", VOCAB.tokens()).concat("\n").getBytes(StandardCharsets.UTF_8));
        files.put(ModelBundle.ENCODER, new byte[] {1});
        files.put(ModelBundle.DECODER, new byte[] {2});
        Map<String, String> sums = new TreeMap<>();
        files.forEach((k, v) -> sums.put(k, ModelBundle.sha256(v)));
        String json;
        try {
            json = "{\"formatVersion\": " + format + ", \"name\": \"t\", \"latent\": " + latent + ", \"architecture\": " + architecture
                    + ", \"normalizer\": " + ModelBundle.JSON.writeValueAsString(TokenNormalizer.defaults().spec()) + ", \"vocab\": {\"size\": "
                    + VOCAB.size() + ", \"maxLength\": 20}" + (hash == null ? "" : ", \"hash\": " + hash) + ", \"files\": "
                    + ModelBundle.JSON.writeValueAsString(sums) + "}";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
        Map<String, byte[]> raw = new LinkedHashMap<>(files);
        raw.put(ModelBundle.MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        return raw;
    }

    private static final String GAUSSIAN4 = "{\"type\": \"GAUSSIAN\", \"dim\": 4}";
    private static final String ARCH = "{\"embeddingDim\": 8, \"hiddenDim\": 8}";

    @Test
    void theTemplateLoads() {
        ModelBundle b = ModelBundle.fromFiles("m.vae", bundle("1", GAUSSIAN4, "{\"method\": \"median-threshold\", \"bits\": 4, \"thresholds\": [0, 1, -1.5, 2e-3]}", ARCH));
        assertEquals(4, b.manifest().hash().thresholds().length);
        ModelBundle itq = ModelBundle.fromFiles("m.vae", bundle("1", "{\"type\": \"CATEGORICAL\", \"dim\": 2, \"categories\": 2}",
                "{\"method\": \"itq\", \"bits\": 1, \"center\": [0, 0, 0, 0], \"projection\": [1, 0, 0, 1]}", ARCH));
        assertEquals(4, itq.manifest().latent().codeDim());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "hash.thresholds[1] | [0, \"NaN\", 0, 0]        | hash.thresholds[1] is \"NaN\", must be a finite JSON number",
        "hash.thresholds[2] | [0, 0, 1e39, 0]           | hash.thresholds[2] is 1.0E39, must be a finite JSON number",
        "hash.thresholds[0] | [\"-Infinity\", 0, 0, 0] | hash.thresholds[0] is \"-Infinity\", must be a finite JSON number",
        "hash.thresholds[3] | [0, 0, 0, null]           | hash.thresholds[3] is null, must be a finite JSON number",
        "hash.thresholds    | \"0\"                     | hash.thresholds is \"0\", must be a JSON array of numbers",
    })
    void aHashThresholdThatIsNotAFiniteNumberIsRefused(String field, String value, String message) {
        assertRefused("1", GAUSSIAN4, "{\"method\": \"median-threshold\", \"bits\": 4, \"thresholds\": " + value + "}", ARCH, message);
    }

    @Test
    void anItqCenterOrProjectionThatIsNotFiniteIsRefused() {
        String latent = "{\"type\": \"GAUSSIAN\", \"dim\": 2}";
        assertRefused("1", latent, "{\"method\": \"itq\", \"bits\": 1, \"center\": [\"NaN\", 0], \"projection\": [1, 0]}", ARCH,
                "hash.center[0] is \"NaN\", must be a finite JSON number");
        assertRefused("1", latent, "{\"method\": \"itq\", \"bits\": 1, \"center\": [0, 0], \"projection\": [1, -4e38]}", ARCH,
                "hash.projection[1] is -4.0E38, must be a finite JSON number");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"embeddingDim\": 8, \"hiddenDim\": 2147483647} | architecture.hiddenDim 2147483647 must be at least 1 and at most 16384 (the LSTM state size)",
        "{\"embeddingDim\": 8, \"hiddenDim\": -1}         | architecture.hiddenDim -1 must be at least 1 and at most 16384",
        "{\"embeddingDim\": 0, \"hiddenDim\": 8}          | architecture.embeddingDim 0 must be at least 1 and at most 16384",
        "{\"embeddingDim\": 8, \"hiddenDim\": 8.5}        | architecture.hiddenDim is 8.5, must be a JSON integer (not a fraction, exponent or string)",
        "{\"embeddingDim\": 8, \"hiddenDim\": 1e1}        | architecture.hiddenDim is 10.0, must be a JSON integer",
        "{\"embeddingDim\": 8, \"hiddenDim\": 4294967296} | architecture.hiddenDim is 4294967296, must be a JSON integer that fits 32 bits",
        "{\"embeddingDim\": 8, \"hiddenDim\": 8, \"tiedEmbeddings\": \"true\"} | architecture.tiedEmbeddings is \"true\", must be true or false",
        "{\"embeddingDim\": 8, \"hiddenDim\": 8, \"decoder\": 1} | architecture.decoder is 1, must be a JSON string",
    })
    void aLayerSizeOutOfBoundsOrNotAnIntegerIsRefused(String architecture, String message) {
        assertRefused("1", GAUSSIAN4, null, architecture, message);
    }

    @ParameterizedTest(name = "formatVersion {0}")
    @CsvSource(delimiter = '|', value = {
        "3.5     | formatVersion is 3.5, must be a JSON integer (not a fraction, exponent or string)",
        "\"3\"   | formatVersion is \"3\", must be a JSON integer",
        "1.0     | formatVersion is 1.0, must be a JSON integer",
        "null    | formatVersion is null, must be a JSON integer",
    })
    void aFormatVersionThatIsNotAJsonIntegerIsRefused(String version, String message) {
        assertRefused(version, GAUSSIAN4, null, ARCH, message);
    }

    @ParameterizedTest(name = "latent {0}")
    @CsvSource(delimiter = '|', value = {
        "{\"type\": \"GAUSSIAN\", \"dim\": 64.7}   | latent.dim is 64.7, must be a JSON integer",
        "{\"type\": \"GAUSSIAN\", \"dim\": \"64\"} | latent.dim is \"64\", must be a JSON integer",
        "{\"type\": \"GAUSSIAN\", \"dim\": 4097}   | latent.dim 4097 must be at least 1 and at most 4096",
        "{\"type\": 0, \"dim\": 4}                 | latent.type is 0, must be one of [GAUSSIAN, BERNOULLI, CATEGORICAL, NONE]",
        "{\"type\": \"gauss\", \"dim\": 4}         | latent.type is \"gauss\", must be one of [GAUSSIAN, BERNOULLI, CATEGORICAL, NONE]",
        "{\"type\": \"CATEGORICAL\", \"dim\": 65536, \"categories\": 65536} | latent.dim 65536 must be at least 1 and at most 4096",
        "{\"type\": \"CATEGORICAL\", \"dim\": 4096, \"categories\": 4096}   | latent.dim x latent.categories = 4096 x 4096 = 16777216 must be at most 65536",
        "{\"type\": \"CATEGORICAL\", \"dim\": 4, \"categories\": 1}         | latent.categories 1 must be at least 2 and at most 4096",
    })
    void aLatentSizeOutOfBoundsOrNotAnIntegerIsRefused(String latent, String message) {
        assertRefused("1", latent, null, ARCH, message);
    }

    /** The overflow of the issue: d K = 65536 x 65536 wrapped to 0 and gave "(1 <= bits <= 0)"; the width is computed in 64 bits. */
    @Test
    void aCategoricalWidthThatOverflowsAnIntIsNamedNotWrapped() {
        assertEquals(4096L * 4096, (long) LatentType.CATEGORICAL.codeDim(4096, 4096));
        assertThrows(ArithmeticException.class, () -> LatentType.CATEGORICAL.codeDim(65536, 65536));
        Manifest.Latent wide = new Manifest.Latent(LatentType.CATEGORICAL, 256, 256); // c = 65,536
        String problem = LatentHasher.mismatch(new Manifest.Hash(Manifest.Hash.ITQ, 65536, null, new float[65536], new float[65536]), wide);
        assertTrue(problem.contains("1 <= bits <= 65536") && problem.contains("got 65536 and 65536"), problem); // c * bits = 2^32 is not 0
    }

    @Test
    void duplicateKeysAndTrailingTextAreNotJson() {
        Map<String, byte[]> raw = bundle("1", GAUSSIAN4, null, ARCH);
        String json = new String(raw.get(ModelBundle.MANIFEST), StandardCharsets.UTF_8);
        raw.put(ModelBundle.MANIFEST, json.replace("\"name\": \"t\"", "\"name\": \"t\", \"formatVersion\": 2").getBytes(StandardCharsets.UTF_8));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.fromFiles("m.vae", raw));
        assertEquals("m.vae!manifest.json is not valid manifest JSON: Duplicate field 'formatVersion'", e.getMessage());
        raw.put(ModelBundle.MANIFEST, (json + " {}").getBytes(StandardCharsets.UTF_8));
        e = assertThrows(BundleException.class, () -> ModelBundle.fromFiles("m.vae", raw));
        assertTrue(e.getMessage().startsWith("m.vae!manifest.json is not valid manifest JSON: Trailing token"), e.getMessage());
        raw.put(ModelBundle.MANIFEST, "[1]".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(BundleException.class, () -> ModelBundle.fromFiles("m.vae", raw));
        assertEquals("m.vae!manifest.json is not valid manifest JSON: a manifest is a JSON object, not [1]", e.getMessage());
    }

    /** Every shipped manifest passes the strict reader (the shipped files are not changed). */
    @Test
    void everyShippedBundleStillLoads() {
        for (String name : ShippedModels.NAMES) {
            assertEquals(name, ShippedModels.load(name).manifest().name());
        }
    }

    private static void assertRefused(String format, String latent, String hash, String architecture, String message) {
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.fromFiles("m.vae", bundle(format, latent, hash, architecture)));
        assertTrue(e.getMessage().startsWith("m.vae!manifest.json: " + message), e.getMessage());
    }
}
