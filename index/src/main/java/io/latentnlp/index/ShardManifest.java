package io.latentnlp.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * @param identity the model and hash spec of every shard
 * @param shards the shards, in order
 */
public record ShardManifest(IndexIdentity identity, List<Shard> shards) {

    /** The manifest's file name inside a sharded index directory. */
    public static final String FILE_NAME = "shards.json";
    /** The format written and read. */
    public static final String FORMAT = "latent-nlp-shards/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One shard.
     *
     * @param name its sub-directory, a plain name (no separators)
     * @param documents texts it held when written
     * @param sentences sentences it held when written
     */
    public record Shard(String name, long documents, long sentences) {
        public Shard {
            if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("illegal shard name '" + name + "': must be a plain directory name");
            }
        }
    }

    public ShardManifest {
        shards = List.copyOf(shards);
        Set<String> names = new HashSet<>();
        for (Shard s : shards) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("shard " + s.name() + " is listed twice");
            }
        }
    }

    /** Whether {@code dir} is a sharded index (holds a manifest). */
    public static boolean isSharded(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    /** Writes {@code dir/shards.json} atomically. */
    public void write(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode id = root.putObject("identity");
        id.put("model", identity.model());
        id.put("modelDigest", identity.modelDigest());
        id.put("hashMethod", identity.hashMethod());
        id.put("bits", identity.bits());
        ArrayNode list = root.putArray("shards");
        for (Shard s : shards) {
            list.addObject().put("name", s.name()).put("documents", s.documents()).put("sentences", s.sentences());
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
        JsonNode root;
        try {
            root = JSON.readTree(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IOException("no shard manifest at " + file + " (a sharded index is written by the Spark index job)", e);
        } catch (IOException e) {
            throw new IOException(file + ": not a readable shard manifest: " + e.getMessage(), e);
        }
        try {
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new IllegalArgumentException("format is '" + (root == null ? null : root.path("format").asText()) + "', expected " + FORMAT);
            }
            JsonNode id = root.path("identity");
            IndexIdentity identity = new IndexIdentity(text(id, "model"), text(id, "modelDigest"), text(id, "hashMethod"), id.path("bits").asInt());
            List<Shard> shards = new ArrayList<>();
            for (JsonNode s : root.path("shards")) {
                shards.add(new Shard(text(s, "name"), s.path("documents").asLong(), s.path("sentences").asLong()));
            }
            if (shards.isEmpty()) {
                throw new IllegalArgumentException("it lists no shards");
            }
            return new ShardManifest(identity, shards);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": invalid shard manifest: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing or empty field '" + field + "'");
        }
        return v.asText();
    }
}
