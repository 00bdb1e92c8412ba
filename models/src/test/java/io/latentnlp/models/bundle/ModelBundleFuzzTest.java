package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzz properties of the bundle readers ({@link ModelBundle#load}, {@link ModelBundle#fromFiles})
 * on a real bundle: the shipped {@code brown-bernoulli64.vae}'s manifest and vocabulary, with its
 * ONNX graphs cut to their first bytes (and the checksums recomputed) so that a try takes
 * milliseconds; the loader verifies checksums and never parses a graph. A mutated manifest,
 * mutated zip bytes or a truncated zip must give a {@link BundleException} that names the bundle,
 * or load with exactly the original files: never another exception type, never a changed file.
 */
class ModelBundleFuzzTest {

    private static final String SHIPPED = "/io/latentnlp/models/shipped/brown-bernoulli64.vae";
    private static Map<String, byte[]> files;
    private static byte[] zip;

    /** The small bundle, file name to content, built once from the shipped one. */
    static synchronized Map<String, byte[]> files() {
        if (files == null) {
            try (InputStream in = ModelBundleFuzzTest.class.getResourceAsStream(SHIPPED)) {
                Map<String, byte[]> shipped = ModelBundle.readZip(in);
                Map<String, byte[]> small = new TreeMap<>();
                shipped.forEach((name, content) -> {
                    if (!name.equals(ModelBundle.MANIFEST)) {
                        small.put(name, name.endsWith(".onnx") ? Arrays.copyOf(content, 64) : content);
                    }
                });
                Map<String, String> sums = new TreeMap<>();
                small.forEach((k, v) -> sums.put(k, ModelBundle.sha256(v)));
                Manifest manifest = ModelBundle.JSON.readValue(shipped.get(ModelBundle.MANIFEST), Manifest.class).withFiles(sums);
                small.put(ModelBundle.MANIFEST, ModelBundle.JSON.writeValueAsBytes(manifest));
                ModelBundle.fromFiles("small", small); // it is a valid bundle
                files = small;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ZipOutputStream out = new ZipOutputStream(bytes)) {
                    for (Map.Entry<String, byte[]> e : small.entrySet()) {
                        out.putNextEntry(new ZipEntry(e.getKey()));
                        out.write(e.getValue());
                        out.closeEntry();
                    }
                }
                zip = bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    static byte[] zip() {
        files();
        return zip;
    }

    @Property(seed = "20261210")
    void aManifestWithMutatedBytesIsRefusedOrChangesNoFile(@ForAll @Size(min = 1, max = 4) List<@IntRange(max = 1 << 20) Integer> positions,
            @ForAll @Size(min = 4, max = 4) List<Byte> values, @ForAll @Size(min = 4, max = 4) List<@IntRange(max = 2) Integer> kinds) {
        byte[] m = files().get(ModelBundle.MANIFEST).clone();
        for (int i = 0; i < positions.size(); i++) {
            int at = positions.get(i) % m.length;
            m = switch (kinds.get(i)) {
                case 0 -> replace(m, at, values.get(i));
                case 1 -> concat(Arrays.copyOf(m, at), new byte[] {values.get(i)}, Arrays.copyOfRange(m, at, m.length));
                default -> concat(Arrays.copyOf(m, at), new byte[0], Arrays.copyOfRange(m, Math.min(m.length, at + 1 + values.get(i) % 8 + 8), m.length));
            };
            if (m.length == 0) {
                break;
            }
        }
        loadsTheSameFilesOrIsRefused(withManifest(m));
    }

    @Provide
    Arbitrary<JsonNode> jsonValues() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Arbitraries.oneOf(
                Arbitraries.just(f.nullNode()),
                Arbitraries.integers().map(f::numberNode),
                Arbitraries.of(-1, 0, 1, 2, 64, Integer.MAX_VALUE).map(f::numberNode),
                Arbitraries.of(Double.NaN, -0.5, 1e300).map(f::numberNode),
                Arbitraries.strings().ofMaxLength(8).map(f::textNode),
                Arbitraries.of("gaussian", "bernoulli", "categorical", "none", "pretrained", "vae-lstm", "").map(f::textNode),
                Arbitraries.of(true, false).map(f::booleanNode),
                Arbitraries.just(f.arrayNode()),
                Arbitraries.just(f.objectNode()));
    }

    @Property(seed = "20261211")
    void aManifestWithAChangedOrMissingFieldIsRefusedOrChangesNoFile(@ForAll @Size(min = 1, max = 3) List<@IntRange(max = 1 << 20) Integer> picks,
            @ForAll("jsonValues") JsonNode value, @ForAll boolean remove) throws IOException {
        JsonNode root = ModelBundle.JSON.readTree(files().get(ModelBundle.MANIFEST));
        for (int pick : picks) {
            List<JsonNode[]> slots = new ArrayList<>(); // {container, key-or-index as text}
            collect(root, slots);
            JsonNode[] slot = slots.get(pick % slots.size());
            if (slot[0] instanceof ObjectNode o) {
                if (remove) {
                    o.remove(slot[1].asText());
                } else {
                    o.set(slot[1].asText(), value.deepCopy());
                }
            } else if (slot[0] instanceof ArrayNode a) {
                if (remove) {
                    a.remove(slot[1].asInt());
                } else {
                    a.set(slot[1].asInt(), value.deepCopy());
                }
            }
        }
        loadsTheSameFilesOrIsRefused(withManifest(ModelBundle.JSON.writeValueAsBytes(root)));
    }

    @Property(seed = "20261212")
    void aZipWithMutatedBytesIsRefusedOrChangesNoFile(@ForAll @Size(min = 1, max = 4) List<@IntRange(max = 1 << 24) Integer> positions,
            @ForAll @Size(min = 4, max = 4) List<Byte> values) throws IOException {
        byte[] z = zip().clone();
        for (int i = 0; i < positions.size(); i++) {
            z[positions.get(i) % z.length] = values.get(i);
        }
        loadZip(z);
    }

    @Property(seed = "20261213")
    void aTruncatedZipIsRefused(@ForAll @IntRange(max = 1 << 24) int cut) throws IOException {
        byte[] z = zip();
        loadZip(Arrays.copyOf(z, cut % z.length));
    }

    private static void loadZip(byte[] z) throws IOException {
        Path file = Files.createTempFile("fuzz", ".vae");
        try {
            Files.write(file, z);
            try {
                check(ModelBundle.load(file));
            } catch (BundleException e) {
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            }
        } finally {
            Files.delete(file);
        }
    }

    private static void loadsTheSameFilesOrIsRefused(Map<String, byte[]> raw) {
        try {
            check(ModelBundle.fromFiles("fuzz.vae", raw));
        } catch (BundleException e) {
            assertTrue(e.getMessage().startsWith("fuzz.vae"), e.getMessage());
        }
    }

    /**
     * A bundle that loads has the required files, and every file it has is the original byte for
     * byte. The manifest itself carries no checksum, so an edit that drops the optional
     * {@code decoder_step.onnx} from its {@code files} loads the bundle without generation
     * (docs/fuzzing.md, limits).
     */
    private static void check(ModelBundle bundle) {
        Map<String, byte[]> original = files();
        for (String name : List.of(ModelBundle.VOCAB, ModelBundle.ENCODER, ModelBundle.DECODER)) {
            assertTrue(bundle.hasFile(name), name);
        }
        for (String name : bundle.manifest().files().keySet()) {
            assertTrue(original.containsKey(name), "a file the original bundle does not have: " + name);
            assertArrayEquals(original.get(name), bundle.file(name), name);
        }
        bundle.vocabulary();
        bundle.normalizer();
    }

    private static Map<String, byte[]> withManifest(byte[] manifest) {
        Map<String, byte[]> raw = new LinkedHashMap<>(files());
        raw.put(ModelBundle.MANIFEST, manifest);
        return raw;
    }

    private static void collect(JsonNode node, List<JsonNode[]> slots) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(k -> {
                slots.add(new JsonNode[] {o, JsonNodeFactory.instance.textNode(k)});
                collect(o.get(k), slots);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new JsonNode[] {a, JsonNodeFactory.instance.numberNode(i)});
                collect(a.get(i), slots);
            }
        }
    }

    private static byte[] replace(byte[] m, int at, byte value) {
        byte[] c = m.clone();
        c[at] = value;
        return c;
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        out.writeBytes(c);
        return out.toByteArray();
    }
}
