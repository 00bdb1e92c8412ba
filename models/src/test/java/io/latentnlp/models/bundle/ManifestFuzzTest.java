package io.latentnlp.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Manifests generated field by field (format version, latent type, dim and categories, layer
 * sizes, maximum length, hash spec and its floats), each field valid most of the time and
 * otherwise a value of the wrong JSON type, out of bounds, non-finite or inconsistent. The oracle
 * is written from the format's rules, not from the loader: the bundle loads exactly when every
 * field is valid (and then with the generated values), and a refusal names the manifest and one
 * of the fields that are wrong. Statistics show that both branches are reached.
 */
class ManifestFuzzTest {

    /** A JSON value as written into the manifest (null = the field is absent) and, when it is a JSON integer, its value. */
    record Json(String text, Long integer) {
        static Json of(String text) {
            Long n = text != null && text.matches("-?\\d{1,18}") ? Long.parseLong(text) : null;
            return new Json(text, n);
        }

        boolean intWithin(long min, long max) {
            return integer != null && integer >= min && integer <= max;
        }
    }

    /** What a try writes: the fields, and how its hash is built. */
    record Spec(Json format, Json type, Json dim, Json categories, Json embedding, Json hidden, Json maxLength, HashKind hash) {}

    enum HashKind { NONE, FITTING, WRONG_BITS, NAN_STRING, OVERFLOW, NULL_ELEMENT, FRACTION_BITS }

    @SafeVarargs
    private static Arbitrary<Json> weighted(Tuple.Tuple2<Integer, String>... choices) {
        List<Tuple.Tuple2<Integer, Json>> f = new ArrayList<>();
        for (Tuple.Tuple2<Integer, String> c : choices) {
            f.add(Tuple.of(c.get1(), Json.of(c.get2())));
        }
        return Arbitraries.frequency(f);
    }

    private static Arbitrary<Json> layer() {
        return weighted(Tuple.of(30, "8"), Tuple.of(10, "128"), Tuple.of(3, "1"), Tuple.of(3, "16384"), Tuple.of(1, "16385"), Tuple.of(1, "0"),
                Tuple.of(1, "-1"), Tuple.of(1, "2147483647"), Tuple.of(1, "4294967296"), Tuple.of(1, "8.5"), Tuple.of(1, "\"8\""), Tuple.of(1, "null"),
                Tuple.of(1, "1e1"));
    }

    @Provide
    Arbitrary<Spec> specs() {
        Arbitrary<Json> format = weighted(Tuple.of(40, "1"), Tuple.of(1, "2"), Tuple.of(1, "3"), Tuple.of(1, "0"), Tuple.of(1, "3.5"), Tuple.of(1, "\"1\""),
                Tuple.of(1, "1.0"), Tuple.of(1, "null"));
        Arbitrary<Json> type = weighted(Tuple.of(14, "\"GAUSSIAN\""), Tuple.of(14, "\"BERNOULLI\""), Tuple.of(14, "\"CATEGORICAL\""), Tuple.of(1, "\"NONE\""),
                Tuple.of(1, "\"gaussian\""), Tuple.of(1, "0"), Tuple.of(1, "null"));
        Arbitrary<Json> dim = weighted(Tuple.of(20, "4"), Tuple.of(10, "16"), Tuple.of(5, "1"), Tuple.of(3, "64"), Tuple.of(1, "4096"), Tuple.of(1, "4097"),
                Tuple.of(1, "0"), Tuple.of(1, "-1"), Tuple.of(1, "2147483647"), Tuple.of(1, "65536"), Tuple.of(1, "64.7"), Tuple.of(1, "\"64\""));
        // categorical needs 2..4096 with d K <= 65536; absent (or 0) is right for the others
        Arbitrary<Json> groups = weighted(Tuple.of(20, "4"), Tuple.of(10, "2"), Tuple.of(5, "16"), Tuple.of(5, "3"), Tuple.of(1, null), Tuple.of(1, "1"),
                Tuple.of(1, "0"), Tuple.of(1, "4096"), Tuple.of(1, "65536"), Tuple.of(1, "2.5"), Tuple.of(1, "\"4\""));
        Arbitrary<Json> none = weighted(Tuple.of(40, null), Tuple.of(2, "0"), Tuple.of(1, "4"), Tuple.of(1, "1"));
        Arbitrary<Tuple.Tuple2<Json, Json>> latent = type.flatMap(t -> (t.text().equals("\"CATEGORICAL\"") ? groups : none).map(k -> Tuple.of(t, k)));
        Arbitrary<Json> maxLength = weighted(Tuple.of(30, "20"), Tuple.of(3, "1"), Tuple.of(3, "65536"), Tuple.of(1, "65537"), Tuple.of(1, "0"),
                Tuple.of(1, "\"20\""), Tuple.of(1, "20.5"));
        Arbitrary<HashKind> hash = Arbitraries.frequency(Tuple.of(10, HashKind.NONE), Tuple.of(30, HashKind.FITTING), Tuple.of(1, HashKind.WRONG_BITS),
                Tuple.of(1, HashKind.NAN_STRING), Tuple.of(1, HashKind.OVERFLOW), Tuple.of(1, HashKind.NULL_ELEMENT), Tuple.of(1, HashKind.FRACTION_BITS));
        return Combinators.combine(format, latent, dim, layer(), layer(), maxLength, hash)
                .as((f, tk, d, e, h, m, kind) -> new Spec(f, tk.get1(), d, tk.get2(), e, h, m, kind));
    }

    @Property(seed = "20261220")
    void aGeneratedManifestLoadsExactlyWhenEveryFieldIsValid(@ForAll("specs") Spec spec) throws IOException {
        List<String> wrong = problems(spec);
        Map<String, byte[]> raw = new LinkedHashMap<>(ModelBundleFuzzTest.files());
        raw.put(ModelBundle.MANIFEST, manifest(spec));
        Statistics.label("outcome").collect(wrong.isEmpty() ? "loads" : "refused");
        Statistics.label("first wrong field").collect(wrong.isEmpty() ? "-" : wrong.get(0));
        Statistics.label("outcome").coverage(c -> {
            c.check("loads").percentage(p -> p >= 15);
            c.check("refused").percentage(p -> p >= 15);
        });
        try {
            ModelBundle b = ModelBundle.fromFiles("fuzz.vae", raw);
            if (!wrong.isEmpty()) {
                fail("loaded although " + wrong + " are wrong: " + new String(raw.get(ModelBundle.MANIFEST)));
            }
            Manifest.Latent latent = b.manifest().latent();
            assertEquals(spec.dim().integer().intValue(), latent.dim());
            assertEquals(spec.maxLength().integer().intValue(), b.sentenceEncoder().maxLength());
            assertEquals(spec.hidden().integer().intValue(), b.manifest().architecture().hiddenDim());
            if (b.manifest().hash() != null) {
                assertTrue(b.manifest().hash().bits() >= 1 && b.manifest().hash().bits() <= latent.codeDim(), b.manifest().hash().toString());
            }
            assertArrayEquals(ModelBundleFuzzTest.files().get(ModelBundle.ENCODER), b.file(ModelBundle.ENCODER));
        } catch (BundleException e) {
            if (wrong.isEmpty()) {
                fail("refused a valid manifest: " + e.getMessage() + "\n" + new String(raw.get(ModelBundle.MANIFEST)));
            }
            assertTrue(e.getMessage().startsWith("fuzz.vae!manifest.json"), e.getMessage());
            assertTrue(wrong.stream().flatMap(f -> Arrays.stream(f.split("\\|"))).anyMatch(e.getMessage()::contains),
                    "names none of " + wrong + ": " + e.getMessage());
        }
    }

    /** The words a refusal may use to name each wrong field, from the format's rules (docs/ARCHITECTURE.md, Manifest). */
    private static List<String> problems(Spec s) {
        List<String> wrong = new ArrayList<>();
        if (!s.format().intWithin(1, 1)) {
            wrong.add("formatVersion|format version");
        }
        String type = s.type().text();
        boolean known = type.equals("\"GAUSSIAN\"") || type.equals("\"BERNOULLI\"") || type.equals("\"CATEGORICAL\"");
        if (!known) {
            wrong.add("latent.type|bad latent spec"); // a null type reads as absent: "bad latent spec Latent[type=null, ...]"
        }
        if (!s.dim().intWithin(1, 4096)) {
            wrong.add("latent.dim");
        }
        boolean categorical = type.equals("\"CATEGORICAL\"");
        Json k = s.categories();
        if (categorical ? !k.intWithin(2, 4096) || s.dim().intWithin(1, 4096) && s.dim().integer() * k.integer() > 65536
                : k.text() != null && !k.intWithin(0, 0)) {
            // out of bounds or of the wrong type ("latent.categories"), d K too big ("latent.dim x latent.categories"), or on a latent that is
            // not categorical ("bad latent spec")
            wrong.add("latent.categories|bad latent spec");
        }
        if (!s.embedding().intWithin(1, 16384)) {
            wrong.add("architecture.embeddingDim");
        }
        if (!s.hidden().intWithin(1, 16384)) {
            wrong.add("architecture.hiddenDim");
        }
        if (!s.maxLength().intWithin(1, 65536)) {
            wrong.add("vocab.maxLength");
        }
        if (s.hash() != HashKind.NONE && s.hash() != HashKind.FITTING) {
            wrong.add("hash");
        }
        return wrong;
    }

    private static byte[] manifest(Spec s) throws IOException {
        ObjectNode root = (ObjectNode) ModelBundle.JSON.readTree(ModelBundleFuzzTest.files().get(ModelBundle.MANIFEST));
        root.remove(List.of("formatVersion", "latent", "architecture", "hash"));
        String vocab = root.get("vocab").toString().replaceFirst("\"maxLength\":\\d+", "\"maxLength\":" + s.maxLength().text());
        root.remove("vocab");
        StringBuilder json = new StringBuilder(root.toString());
        json.setLength(json.length() - 1); // reopen the object
        json.append(",\"vocab\":").append(vocab);
        json.append(",\"formatVersion\":").append(s.format().text());
        json.append(",\"latent\":{\"type\":").append(s.type().text()).append(",\"dim\":").append(s.dim().text());
        if (s.categories().text() != null) {
            json.append(",\"categories\":").append(s.categories().text());
        }
        json.append("},\"architecture\":{\"embeddingDim\":").append(s.embedding().text()).append(",\"hiddenDim\":").append(s.hidden().text()).append('}');
        String hash = hash(s);
        if (hash != null) {
            json.append(",\"hash\":").append(hash);
        }
        return json.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The hash spec: one that fits the latent when its fields are valid (median thresholds for
     * Gaussian, posterior mode for Bernoulli, packed argmax for K a power of two, else ITQ with one
     * bit), a small median spec when they are not, then spoiled as the kind says.
     */
    private static String hash(Spec s) {
        if (s.hash() == HashKind.NONE) {
            return null;
        }
        long d = s.dim().intWithin(1, 4096) ? s.dim().integer() : 4;
        long k = s.categories().intWithin(2, 4096) ? s.categories().integer() : 2;
        String type = s.type().text();
        String method;
        long bits;
        long floats; // thresholds, or the ITQ center (the projection has center x fitting bits)
        if (type.equals("\"BERNOULLI\"")) {
            method = Manifest.Hash.POSTERIOR_MODE;
            bits = d;
            floats = 0;
        } else if (type.equals("\"CATEGORICAL\"") && Long.bitCount(k) == 1) {
            method = Manifest.Hash.ARGMAX_PACKED;
            bits = d * Long.numberOfTrailingZeros(k);
            floats = 0;
        } else if (type.equals("\"CATEGORICAL\"")) {
            method = Manifest.Hash.ITQ;
            bits = 1;
            floats = Math.min(d * k, 65536);
        } else {
            method = Manifest.Hash.MEDIAN_THRESHOLD;
            bits = d;
            floats = d;
        }
        long fitting = bits;
        if (s.hash() == HashKind.WRONG_BITS) {
            bits++;
        }
        if (floats == 0 && s.hash().ordinal() >= HashKind.NAN_STRING.ordinal() && s.hash() != HashKind.FRACTION_BITS) {
            method = Manifest.Hash.MEDIAN_THRESHOLD; // a spoiled float needs floats: thresholds that the latent has no use for are refused too
            floats = bits;
        }
        String spoiled = switch (s.hash()) {
            case NAN_STRING -> "\"NaN\"";
            case OVERFLOW -> "-1e39";
            case NULL_ELEMENT -> "null";
            default -> null;
        };
        StringBuilder h = new StringBuilder("{\"method\":\"" + method + "\",\"bits\":" + (s.hash() == HashKind.FRACTION_BITS ? bits + ".5" : bits));
        if (floats > 0) {
            String field = method.equals(Manifest.Hash.ITQ) ? "center" : "thresholds";
            h.append(",\"").append(field).append("\":").append(floats(floats, spoiled));
            if (method.equals(Manifest.Hash.ITQ)) {
                h.append(",\"projection\":").append(floats(floats * fitting, null));
            }
        }
        return h.append('}').toString();
    }

    /** n floats (0.25 apart from -1), the last one replaced by {@code spoiled} when given. */
    private static String floats(long n, String spoiled) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (long i = 0; i < n; i++) {
            j.add(spoiled != null && i == n - 1 ? spoiled : Float.toString(-1 + 0.25f * (i % 9)));
        }
        return j.toString();
    }
}
