package io.latentnlp.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The file {@value #FILE_NAME} at the top of a sharded index: the identity of the model whose
 * codes every shard holds and the list of shards (sub-directories, each a {@link HashIndex}) with
 * their counts when written. Written last and atomically (a temporary file renamed), so a
 * directory with a manifest is complete; a shard directory the manifest does not list is not
 * part of the index.
 *
 * <p>Read strictly: every field of its JSON type (counts are non-negative integers, not strings
 * or fractions), a known {@code partitioning}. The counts are the shards' own counts:
 * {@link ShardedHashIndex#open} refuses a shard that holds other counts. A writer commits in
 * three steps so that a crash at any point leaves counts a reader accepts: the manifest with the
 * new counts and, per shard, the {@code previous} ones; the shards; the manifest without
 * {@code previous}. A shard may match either while {@code previous} is listed.
 *
 * @param identity the model and hash spec of every shard
 * @param shards the shards, in order: shard i holds the ids that {@link IdPartitioning} puts in i
 * @param previous empty, or the counts of the same shards before a commit under way (same order)
 */
public record ShardManifest(IndexIdentity identity, List<Shard> shards, List<Shard> previous) {

    /** A manifest with no commit under way. */
    public ShardManifest(IndexIdentity identity, List<Shard> shards) {
        this(identity, shards, List.of());
    }

    /** The manifest's file name inside a sharded index directory. */
    public static final String FILE_NAME = "shards.json";
    /** The format written and read. */
    public static final String FORMAT = "latent-nlp-shards/1";

    /** Strict: a duplicated key or anything after the object is an error, not silently the last value or ignored. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /**
     * One shard.
     *
     * @param name its sub-directory, a plain name (no separators)
     * @param documents texts it held when written
     * @param sentences sentences it held when written
     */
    public record Shard(String name, long documents, long sentences) {
        public Shard {
            if (documents < 0 || sentences < 0) {
                throw new IllegalArgumentException("shard " + name + ": illegal counts " + documents + " documents, " + sentences + " sentences: must be >= 0");
            }
            if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("illegal shard name '" + name + "': must be a plain directory name");
            }
        }
    }

    public ShardManifest {
        shards = List.copyOf(shards);
        previous = List.copyOf(previous);
        if (!previous.isEmpty() && previous.size() != shards.size()) {
            throw new IllegalArgumentException("the previous counts must name the same shards in the same order");
        }
        for (int i = 0; i < previous.size(); i++) {
            if (!previous.get(i).name().equals(shards.get(i).name())) {
                throw new IllegalArgumentException("the previous counts must name the same shards in the same order");
            }
        }
        Set<String> names = new HashSet<>();
        for (Shard s : shards) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("shard " + s.name() + " is listed twice");
            }
        }
    }

    /**
     * Whether {@code dir} is a sharded index: it has an entry named {@value #FILE_NAME} (of any
     * type, so that a damaged manifest is reported by {@link #read} rather than the directory
     * taken for a single index).
     */
    public static boolean isSharded(Path dir) {
        return Files.exists(dir.resolve(FILE_NAME), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** The manifest with each shard's counts replaced by {@code counts} (same order). */
    ShardManifest withCounts(List<Shard> counts) {
        return new ShardManifest(identity, counts);
    }

    /** Whether shard i's own counts are those listed (or, while a commit is under way, the previous ones). */
    boolean countsMatch(int i, long documents, long sentences) {
        Shard s = shards.get(i);
        if (s.documents() == documents && s.sentences() == sentences) {
            return true;
        }
        return !previous.isEmpty() && previous.get(i).documents() == documents && previous.get(i).sentences() == sentences;
    }

    /** Writes {@code dir/shards.json} atomically. */
    public void write(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("partitioning", IdPartitioning.NAME);
        ObjectNode id = root.putObject("identity");
        id.put("model", identity.model());
        id.put("modelDigest", identity.modelDigest());
        id.put("hashMethod", identity.hashMethod());
        id.put("bits", identity.bits());
        ArrayNode list = root.putArray("shards");
        for (int i = 0; i < shards.size(); i++) {
            Shard s = shards.get(i);
            ObjectNode o = list.addObject().put("name", s.name()).put("documents", s.documents()).put("sentences", s.sentences());
            if (!previous.isEmpty()) {
                o.putObject("previous").put("documents", previous.get(i).documents()).put("sentences", previous.get(i).sentences());
            }
        }
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads {@code dir/shards.json}.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static ShardManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a shard manifest file; a sharded index's " + FILE_NAME
                    + " is written by the Spark index job");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file (a device, pipe or socket), so not a shard manifest");
        }
        if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is " + Files.size(file) + " bytes, more than a shard manifest's limit of " + MAX_BYTES + "; it is not one");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file)); // Jackson refuses malformed UTF-8
        } catch (NoSuchFileException e) {
            throw new IOException("no shard manifest at " + file + " (a sharded index is written by the Spark index job)", e);
        } catch (IOException e) {
            throw new IOException(file + ": not a readable shard manifest: " + e.getMessage(), e);
        }
        try {
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("it is not a JSON object");
            }
            JsonNode format = root.get("format");
            if (format == null || !format.isTextual() || !FORMAT.equals(format.asText())) {
                throw new IllegalArgumentException("format is " + format + ", expected \"" + FORMAT + "\"");
            }
            JsonNode partitioning = root.get("partitioning");
            if (partitioning != null && !(partitioning.isTextual() && IdPartitioning.NAME.equals(partitioning.asText()))) {
                // absent in manifests written before the field: the Spark job always partitioned so
                throw new IllegalArgumentException("partitioning is " + partitioning + "; the only one known is \"" + IdPartitioning.NAME + "\"");
            }
            JsonNode id = object(root, "identity");
            IndexIdentity identity = new IndexIdentity(text(id, "model"), text(id, "modelDigest"), text(id, "hashMethod"),
                    Math.toIntExact(count(id, "bits", "identity")));
            JsonNode list = root.get("shards");
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException("field 'shards' is " + (list == null ? "missing" : list.getNodeType()) + ", must be an array of shards");
            }
            List<Shard> shards = new ArrayList<>();
            List<Shard> previous = new ArrayList<>();
            for (JsonNode s : list) {
                if (!s.isObject()) {
                    throw new IllegalArgumentException("shard " + shards.size() + " of 'shards' is " + s + ", must be an object");
                }
                String name = text(s, "name");
                shards.add(new Shard(name, count(s, "documents", name), count(s, "sentences", name)));
                if (s.has("previous")) {
                    JsonNode p = object(s, "previous");
                    previous.add(new Shard(name, count(p, "documents", name + ".previous"), count(p, "sentences", name + ".previous")));
                }
            }
            if (shards.isEmpty()) {
                throw new IllegalArgumentException("it lists no shards");
            }
            if (!previous.isEmpty() && previous.size() != shards.size()) {
                throw new IllegalArgumentException("'previous' counts are listed for " + previous.size() + " of " + shards.size() + " shards: all or none");
            }
            return new ShardManifest(identity, shards, previous);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IOException(file + ": invalid shard manifest: " + e.getMessage(), e);
        }
    }

    /** A manifest is a few hundred bytes per shard; this bounds what a wrong file costs to read. */
    static final long MAX_BYTES = 16L << 20;

    private static JsonNode object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException("field '" + field + "' is " + (v == null ? "missing" : v.toString()) + ", must be an object");
        }
        return v;
    }

    /** A non-negative JSON integer (not a string, not a fraction, within a long). */
    private static long count(JsonNode node, String field, String of) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException("field '" + field + "' of " + of + " is " + (v == null ? "missing" : v.toString())
                    + ", must be a non-negative integer");
        }
        return v.asLong();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing or empty field '" + field + "'");
        }
        return v.asText();
    }
}
