package io.latentnlp.models.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.latentnlp.models.latent.LatentType;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads {@code manifest.json} strictly: a JSON object without duplicate keys or trailing text;
 * integers are JSON integers (not {@code 3.5}, {@code 1e2} or {@code "3"}), numbers are not
 * strings, strings are not numbers or booleans, booleans are {@code true}/{@code false}, the
 * latent type is one of {@link LatentType}'s names; the hash's floats are finite as floats; and
 * sizes lie within the bounds below. Every refusal is a {@link BundleException} that names the
 * manifest, the field and the value. Checks that need more than one field (the hash against the
 * latent, the format against the base) stay in {@link ModelBundle}.
 */
final class ManifestReader {

    /** Latent variables d (dimensions, bits or groups): the shipped models have 32 and 64. */
    static final int MAX_LATENT_DIM = 4096;
    /** Classes per categorical group K. */
    static final int MAX_CATEGORIES = 4096;
    /** Width of the code z the decoder reads, d (or d K for categorical latents); also bounds hash bits. */
    static final int MAX_CODE_WIDTH = 65_536;
    /** Embedding and LSTM state sizes: the shipped models have 128. */
    static final int MAX_LAYER = 16_384;
    /** Vocabulary entries: the shipped models have 6,000 and 8,000. */
    static final int MAX_VOCAB = 1 << 24;
    /** The longest sentence in units: the shipped models have 60 and 80. */
    static final int MAX_LENGTH = 65_536;

    private static final ObjectMapper STRICT = strictMapper();
    /** The manifest's fields of primitive type, where an explicit JSON null must not pass for 0 or false. */
    private static final String[] PRIMITIVES = {"formatVersion", "latent.dim", "latent.categories", "architecture.embeddingDim",
        "architecture.hiddenDim", "architecture.tiedEmbeddings", "vocab.size", "vocab.maxLength", "hash.bits", "encoder.backbone.dim",
        "encoder.backbone.maxPieces"};

    private ManifestReader() {}

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        CoercionInputShape[] scalars = {CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Integer,
            CoercionInputShape.Float, CoercionInputShape.Boolean};
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Textual,
            LogicalType.Enum}) {
            for (CoercionInputShape shape : scalars) {
                boolean same = switch (type) {
                    case Integer -> shape == CoercionInputShape.Integer;
                    case Float -> shape == CoercionInputShape.Integer || shape == CoercionInputShape.Float; // 1 is a number too
                    case Boolean -> shape == CoercionInputShape.Boolean;
                    case Textual -> shape == CoercionInputShape.String || shape == CoercionInputShape.EmptyString;
                    default -> shape == CoercionInputShape.String; // an enum by its name
                };
                if (!same) {
                    mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
        return mapper;
    }

    /**
     * The manifest in {@code json}.
     *
     * @param where how messages name the manifest, e.g. {@code model.vae!manifest.json}
     * @throws BundleException naming {@code where}, the field and the value
     */
    static Manifest read(byte[] json, String where) {
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (IOException e) {
            throw new BundleException(where + " is not valid manifest JSON: " + firstLine(e), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new BundleException(where + " is not valid manifest JSON: a manifest is a JSON object, not " + shown(tree));
        }
        for (String field : new String[] {"thresholds", "center", "projection"}) {
            finiteFloats(tree.path("hash").path(field), where, "hash." + field);
        }
        for (String field : PRIMITIVES) {
            JsonNode v = tree.at("/" + field.replace('.', '/'));
            if (v.isNull()) { // the binding would read it as 0 or false, as if absent
                throw new BundleException(where + ": " + field + " is null, must be " + (field.endsWith("tiedEmbeddings") ? "true or false"
                        : "a JSON integer") + " (or absent where the format allows)");
            }
        }
        Manifest manifest;
        try {
            manifest = STRICT.treeToValue(tree, Manifest.class);
        } catch (JsonMappingException e) {
            throw new BundleException(where + ": " + fieldProblem(tree, e), e);
        } catch (JsonProcessingException e) {
            throw new BundleException(where + " is not valid manifest JSON: " + firstLine(e), e);
        }
        checkBounds(manifest, where);
        return manifest;
    }

    /** Every element of an array of floats (when there is one) is a JSON number that is finite as a float. */
    private static void finiteFloats(JsonNode array, String where, String field) {
        if (!array.isArray()) {
            return; // absent or null; any other shape is refused by the binding, naming the field
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber() || !Float.isFinite(v.floatValue())) {
                throw new BundleException(where + ": " + field + "[" + i + "] is " + shown(v) + ", must be a finite JSON number (|x| < 3.4e38, as a float)");
            }
        }
    }

    private static void checkBounds(Manifest m, String where) {
        Manifest.Latent latent = m.latent();
        if (latent != null) {
            within(where, "latent.dim", latent.dim(), 1, MAX_LATENT_DIM, "latent variables: dimensions, bits or categorical groups");
            if (latent.categories() != 0) {
                within(where, "latent.categories", latent.categories(), 2, MAX_CATEGORIES, "classes per categorical group");
                long width = (long) latent.dim() * latent.categories();
                if (width > MAX_CODE_WIDTH) {
                    throw new BundleException(where + ": latent.dim x latent.categories = " + latent.dim() + " x " + latent.categories() + " = " + width
                            + " must be at most " + MAX_CODE_WIDTH + " (the width of the code z the decoder reads)");
                }
            }
        }
        Manifest.Architecture a = m.architecture();
        if (a != null) {
            within(where, "architecture.embeddingDim", a.embeddingDim(), 1, MAX_LAYER, "the word embedding size");
            within(where, "architecture.hiddenDim", a.hiddenDim(), 1, MAX_LAYER, "the LSTM state size");
        }
        Manifest.Vocab v = m.vocab();
        if (v != null) {
            within(where, "vocab.size", v.size(), 1, MAX_VOCAB, "vocabulary entries, specials included");
            within(where, "vocab.maxLength", v.maxLength(), 1, MAX_LENGTH, "the longest training sentence in tokens; longer input is truncated to it");
        }
        if (m.hash() != null) {
            within(where, "hash.bits", m.hash().bits(), 1, MAX_CODE_WIDTH, "bits of the semantic hash");
        }
    }

    private static void within(String where, String field, int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new BundleException(where + ": " + field + " " + value + " must be at least " + min + " and at most " + max + " (" + what + ")");
        }
    }

    /** "latent.dim is 64.7, must be a JSON integer", from a binding error and the tree it read. */
    private static String fieldProblem(JsonNode tree, JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        JsonNode node = tree;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                node = node.path(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
                node = node.path(r.getIndex());
            }
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType()
                : e.getCause() instanceof InputCoercionException c ? c.getTargetType() : null;
        String expected = expected(target, node);
        return (path.length() == 0 ? "the manifest" : path) + " is " + shown(node) + ", must be " + (expected != null ? expected : firstLine(e));
    }

    private static String expected(Class<?> target, JsonNode node) {
        if (target == null) {
            return null;
        }
        if (target == int.class || target == Integer.class || target == long.class) {
            return node.isIntegralNumber() ? "a JSON integer that fits 32 bits" : "a JSON integer (not a fraction, exponent or string)";
        }
        if (target == float.class || target == double.class) {
            return "a finite JSON number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a JSON string";
        }
        if (target.isEnum()) {
            return "one of " + Arrays.toString(target.getEnumConstants());
        }
        if (target.isArray()) {
            return "a JSON array of numbers";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "a JSON object";
        }
        return null;
    }

    /** A JSON value as the manifest holds it, cut to 60 characters. */
    private static String shown(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        String s = node.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static String firstLine(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
