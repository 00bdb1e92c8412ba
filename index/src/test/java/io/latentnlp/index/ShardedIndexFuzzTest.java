package io.latentnlp.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzz properties of sharded indexes ({@link ShardManifest}, {@link ShardedHashIndex}) and of
 * {@link HashIndex#openForWriting}: mutated {@code shards.json} contents, sharded directories
 * with shards copied, linked, removed, replaced or swapped, and random directory states to open
 * for writing. The only outcomes accepted: the intact index's exact answers (or, for writing, a
 * text added and found again), or an {@link IOException} / {@link IndexMismatchException} /
 * {@link IllegalArgumentException} with a message; and a refusal writes nothing. Statistics
 * ({@link Statistics#coverage}) check that a share of the tries is accepted, not only refused.
 */
class ShardedIndexFuzzTest {

    private static final int BITS = 32;
    private static final IndexIdentity IDENTITY = HashIndexTest.identity(BITS);
    private static final SemanticHash QUERY = SemanticHash.fromWords(new long[] {0x1234_5678_0000_0000L}, BITS);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path template;
    private static Path single;
    private static List<String> expected;
    private static List<HashIndex.Text> texts;

    /** Three shards of 30 texts, routed as the Spark job routes them, and one index of all of them. */
    static synchronized Path template() throws IOException {
        if (template == null) {
            Path root = Files.createTempDirectory(scratch(), "fuzz-sharded");
            PackedCodes codes = CodeFixtures.codes(60, BITS, 5, 0.1, false, 7);
            texts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                SemanticHash d = SemanticHash.fromWords(codes.code(2 * i), BITS);
                SemanticHash s = SemanticHash.fromWords(codes.code(2 * i + 1), BITS);
                texts.add(new HashIndex.Text(HashIndexTest.id(i), "ab", d, null, List.of(new HashIndex.Sentence(0, 1, d, null), new HashIndex.Sentence(1, 2, s, null))));
            }
            ShardedHashIndexTest.writeSharded(root.resolve("sharded"), IDENTITY, texts, 3);
            single = root.resolve("single");
            try (HashIndex h = HashIndex.openForWriting(single, IDENTITY, 0)) {
                for (HashIndex.Text t : texts) {
                    h.add(t);
                }
                h.commit();
            }
            template = root.resolve("sharded");
            expected = search(template);
        }
        return template;
    }

    private static final String[] FIELDS = {"format", "partitioning", "identity", "identity.model", "identity.modelDigest", "identity.hashMethod", "identity.bits",
        "shards", "shards.0", "shards.1.name", "shards.2.documents", "shards.0.sentences", "shards.1"};

    /** Values of every JSON type, and the edges of the count rules. */
    private static JsonNode value(int pick, JsonNode original) {
        return switch (pick) {
            case 0 -> original; // unchanged: accepted
            case 1 -> JSON.nullNode();
            case 2 -> JSON.getNodeFactory().booleanNode(true);
            case 3 -> JSON.getNodeFactory().textNode("");
            case 4 -> JSON.getNodeFactory().textNode(original == null ? "x" : original.asText());
            case 5 -> JSON.getNodeFactory().numberNode(-1);
            case 6 -> JSON.getNodeFactory().numberNode(0);
            case 7 -> JSON.getNodeFactory().numberNode(2.5);
            case 8 -> JSON.getNodeFactory().numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 9 -> JSON.getNodeFactory().numberNode(original != null && original.isNumber() ? original.asLong() + 1 : 1);
            case 10 -> JSON.createArrayNode();
            case 11 -> JSON.createObjectNode();
            case 12 -> JSON.getNodeFactory().textNode("shard-00000");
            default -> JSON.getNodeFactory().numberNode(Long.MAX_VALUE);
        };
    }

    @Property(seed = "20261226")
    void aMutatedShardsJsonAnswersAsTheIntactIndexOrIsRefusedByName(@ForAll @IntRange(max = 12) int field, @ForAll @IntRange(max = 7) int mutation,
            @ForAll @IntRange(max = 13) int pick, @ForAll @IntRange(max = 1 << 16) int position, @ForAll @Size(min = 1, max = 4) byte[] bytes) throws IOException {
        Path root = copy(template());
        try {
            Path file = root.resolve(ShardManifest.FILE_NAME);
            byte[] original = Files.readAllBytes(file);
            ObjectNode json = (ObjectNode) JSON.readTree(original);
            String[] path = FIELDS[field].split("\\.");
            JsonNode parent = json;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.isArray() ? parent.get(Integer.parseInt(path[i])) : parent.get(path[i]);
            }
            String last = path[path.length - 1];
            JsonNode old = parent.isArray() ? parent.get(Integer.parseInt(last)) : parent.get(last);
            byte[] mutated = switch (mutation) {
                case 0 -> JSON.writeValueAsBytes(json); // re-serialized compactly: accepted
                case 1 -> { // a field removed (array elements are replaced, not removed: the manifest decides which shards exist)
                    if (parent.isObject()) {
                        ((ObjectNode) parent).remove(last);
                    } else {
                        ((ArrayNode) parent).set(Integer.parseInt(last), value(pick, old));
                    }
                    yield JSON.writeValueAsBytes(json);
                }
                case 2, 3 -> {
                    if (parent.isObject()) {
                        ((ObjectNode) parent).set(last, value(pick, old));
                    } else {
                        ((ArrayNode) parent).set(Integer.parseInt(last), value(pick, old));
                    }
                    yield JSON.writeValueAsBytes(json);
                }
                case 4 -> { // bytes overwritten
                    byte[] b = original.clone();
                    for (int i = 0; i < bytes.length; i++) {
                        b[(position + i) % b.length] = bytes[i];
                    }
                    yield b;
                }
                case 5 -> java.util.Arrays.copyOf(original, position % original.length); // cut
                case 6 -> { // two shards swapped, names and counts together: the same index
                    ArrayNode shards = (ArrayNode) json.get("shards");
                    JsonNode a = shards.get(position % 3);
                    JsonNode b = shards.get((position + 1 + pick % 2) % 3);
                    shards.set(position % 3, b.deepCopy());
                    shards.set((position + 1 + pick % 2) % 3, a.deepCopy());
                    yield JSON.writeValueAsBytes(json);
                }
                default -> { // a duplicated key, or text after the object
                    String s = new String(original, StandardCharsets.UTF_8);
                    yield (pick % 2 == 0 ? s.replaceFirst("\\{", "{\"format\":\"latent-nlp-shards/1\",") : s + (pick % 3 == 0 ? "{}" : " x")).getBytes(StandardCharsets.UTF_8);
                }
            };
            Files.write(file, mutated);
            String outcome = outcome(() -> assertEquals(expected, search(root), "a changed shards.json answered differently without an error"));
            Statistics.label("reading").collect(outcome);
            Statistics.label("reading").coverage(c -> c.check("accepted").percentage(p -> p > 10));
        } finally {
            deleteTree(root);
        }
    }

    @Property(seed = "20261227")
    void aShardedDirectoryWithShardsCopiedLinkedRemovedOrSwappedAnswersAsBeforeOrIsRefusedAndWritesNothing(
            @ForAll @Size(min = 1, max = 2) List<@IntRange(max = 9) Integer> operations, @ForAll @IntRange(max = 2) int shard, @ForAll @IntRange(max = 2) int other)
            throws IOException {
        Path root = copy(template());
        try {
            ShardManifest m = ShardManifest.read(root);
            List<ShardManifest.Shard> list = new ArrayList<>(m.shards());
            int extra = 0;
            for (int op : operations) {
                ShardManifest.Shard s = list.get(shard % list.size());
                String newName = "extra-" + extra++;
                switch (op) {
                    case 0 -> { // copied under a second name, listed with its true counts
                        copyTree(root.resolve(s.name()), root.resolve(newName));
                        list.add(new ShardManifest.Shard(newName, s.documents(), s.sentences()));
                    }
                    case 1 -> { // a link to a listed shard
                        Files.createSymbolicLink(root.resolve(newName), root.resolve(s.name()));
                        list.add(new ShardManifest.Shard(newName, s.documents(), s.sentences()));
                    }
                    case 2 -> { // a link to a whole index of the same texts
                        Files.createSymbolicLink(root.resolve(newName), single);
                        list.add(new ShardManifest.Shard(newName, 30, 60));
                    }
                    case 3 -> deleteTree(root.resolve(s.name()));
                    case 4 -> { // replaced by an empty index of the same model
                        deleteTree(root.resolve(s.name()));
                        try (HashIndex h = HashIndex.openForWriting(root.resolve(s.name()), IDENTITY, 0)) {
                            h.commit();
                        }
                    }
                    case 5 -> { // two shard directories swapped (the manifest keeps its order and counts)
                        ShardManifest.Shard o = list.get(other % list.size());
                        if (o != s && Files.isDirectory(root.resolve(s.name())) && Files.isDirectory(root.resolve(o.name()))) {
                            Files.move(root.resolve(s.name()), root.resolve("swap"));
                            Files.move(root.resolve(o.name()), root.resolve(s.name()));
                            Files.move(root.resolve("swap"), root.resolve(o.name()));
                        }
                    }
                    case 6 -> { // renamed, in the directory and the manifest: the same index
                        if (Files.isDirectory(root.resolve(s.name()))) {
                            Files.move(root.resolve(s.name()), root.resolve(newName));
                            list.set(list.indexOf(s), new ShardManifest.Shard(newName, s.documents(), s.sentences()));
                        }
                    }
                    case 7 -> list.set(list.indexOf(s), new ShardManifest.Shard(s.name(), s.documents() + other, s.sentences())); // counts (other = 0: unchanged)
                    case 8 -> { // a stray directory the manifest does not list: not part of the index
                        Files.createDirectories(root.resolve(newName).resolve("junk"));
                    }
                    default -> { } // nothing
                }
            }
            new ShardManifest(IDENTITY, list).write(root);
            Map<String, String> before = listing(root);
            String read = outcome(() -> assertEquals(expected, search(root), "a changed sharded index answered differently without an error"));
            assertEquals(before, listing(root), "reading wrote nothing");
            String write = outcome(() -> {
                try (WritableIndex w = ShardedHashIndex.openForWriting(root, IDENTITY)) {
                    // accepted: every id is in its routed shard, so existing() finds each in one
                    assertEquals(texts.size(), w.existing(texts.stream().map(HashIndex.Text::id).toList()).size());
                }
            });
            assertEquals(withoutLocks(before), withoutLocks(listing(root)), "opening for writing created or changed nothing");
            Statistics.label("reading").collect(read);
            Statistics.label("writing").collect(write);
            Statistics.label("reading").coverage(c -> c.check("accepted").percentage(p -> p > 10));
            Statistics.label("writing").coverage(c -> c.check("accepted").percentage(p -> p > 10));
        } finally {
            deleteTree(root);
        }
    }

    private static final String[] STATES = {"missing", "empty directory", "regular file", "random files", "shards.json file", "shards.json directory",
        "index of this model", "index of another model", "dangling link", "link to an index", "Lucene index without identity", "damaged commit",
        "locked by an open writer"};

    @Property(seed = "20261228")
    void openForWritingOnAnyDirectoryStateAddsAndFindsATextOrIsRefusedWritingNothing(@ForAll @IntRange(max = 12) int state,
            @ForAll @IntRange(min = -2, max = 40) int substrings, @ForAll boolean mustExist, @ForAll @Size(max = 64) byte[] bytes) throws IOException {
        Path root = Files.createTempDirectory(scratch(), "fuzz-open");
        Path dir = root.resolve("idx");
        HashIndex holder = null;
        try {
            int before = 0;
            switch (state) {
                case 0 -> { }
                case 1 -> Files.createDirectories(dir);
                case 2 -> Files.write(dir, bytes);
                case 3 -> {
                    Files.createDirectories(dir);
                    Files.write(dir.resolve(bytes.length % 2 == 0 ? "segments_1" : "_0.cfs"), bytes);
                }
                case 4 -> {
                    Files.createDirectories(dir);
                    Files.write(dir.resolve(ShardManifest.FILE_NAME), bytes);
                }
                case 5 -> Files.createDirectories(dir.resolve(ShardManifest.FILE_NAME));
                case 6, 9, 12 -> {
                    Path target = state == 9 ? root.resolve("target") : dir;
                    try (HashIndex h = HashIndex.openForWriting(target, IDENTITY, 0)) {
                        h.add(texts(0));
                        h.commit();
                    }
                    before = 1;
                    if (state == 9) {
                        Files.createSymbolicLink(dir, target);
                    }
                    if (state == 12) {
                        holder = HashIndex.openForWriting(dir, IDENTITY, 0);
                    }
                }
                case 7 -> {
                    try (HashIndex h = HashIndex.openForWriting(dir, new IndexIdentity("other", "cd".repeat(32), "posterior-mode", BITS), 0)) {
                        h.commit();
                    }
                }
                case 8 -> Files.createSymbolicLink(dir, root.resolve("nowhere"));
                case 10 -> {
                    try (var d = org.apache.lucene.store.FSDirectory.open(dir);
                            var w = new org.apache.lucene.index.IndexWriter(d, new org.apache.lucene.index.IndexWriterConfig())) {
                        w.commit();
                    }
                }
                default -> {
                    try (HashIndex h = HashIndex.openForWriting(dir, IDENTITY, 0)) {
                        h.commit();
                    }
                    try (Stream<Path> s = Files.list(dir)) {
                        Path segments = s.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
                        Files.write(segments, bytes);
                    }
                }
            }
            Map<String, String> listing = Files.isDirectory(dir) ? listing(dir) : null;
            boolean existed = Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            int found = before;
            String outcome = outcome(() -> {
                try (HashIndex h = mustExist ? HashIndex.openExistingForWriting(dir, IDENTITY) : HashIndex.openForWriting(dir, IDENTITY, substrings)) {
                    h.add(texts(1));
                    h.commit();
                }
                try (HashIndex r = HashIndex.openForReading(dir, IDENTITY)) {
                    assertEquals(found + 1, r.stats().documents());
                    assertEquals(List.of(texts(1).id()), List.copyOf(r.existing(List.of(texts(1).id()))));
                }
            });
            if (!outcome.equals("accepted")) {
                assertEquals(existed, Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS), "a refused open created nothing: " + STATES[state]);
                if (listing != null && (mustExist || state == 4 || state == 5)) {
                    assertEquals(withoutLocks(listing), withoutLocks(listing(dir)), "a refused open wrote nothing: " + STATES[state]);
                }
            }
            assertFalse(outcome.equals("accepted") && (state == 2 || state == 4 || state == 5 || state == 7 || state == 10 || state == 12),
                    "opened for writing: " + STATES[state]);
            Statistics.label("state").collect(STATES[state]);
            Statistics.label("outcome").collect(outcome.equals("accepted") ? "accepted" : "refused");
            Statistics.label("outcome").coverage(c -> c.check("accepted").percentage(p -> p > 10));
        } finally {
            if (holder != null) {
                holder.close();
            }
            deleteTree(root);
        }
    }

    private static HashIndex.Text texts(int i) throws IOException {
        template();
        return texts.get(i);
    }

    private interface Action {
        void run() throws Exception;
    }

    /** "accepted", or "refused: " and the kind of error; any other exception type fails the property. */
    private static String outcome(Action action) {
        try {
            action.run();
            return "accepted";
        } catch (IOException | IndexMismatchException | IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), e.toString());
            return "refused: " + e.getClass().getSimpleName();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    private static List<String> search(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (ShardedHashIndex index = ShardedHashIndex.open(dir, null)) {
            out.add(index.identity().toString());
            for (Level level : Level.values()) {
                for (Hit h : index.knn(level, QUERY, 7, null)) {
                    out.add(level + " " + h.id() + " " + h.sentence() + " " + h.distance() + " " + h.hash().toHex());
                }
                out.add("radius " + index.radius(level, QUERY, BITS, null).size());
            }
            out.add("docs " + index.stats().documents());
        }
        return out;
    }

    /** Every entry under {@code dir} (links not followed) with its size, or "dir"/"link". */
    private static Map<String, String> listing(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                out.put(dir.relativize(p).toString(), Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p) ? "dir" : Files.size(p) + "b");
            }
        }
        return out;
    }

    /** Lucene's write.lock is created by an opening writer and stays, empty; it is not content. */
    private static Map<String, String> withoutLocks(Map<String, String> listing) {
        Map<String, String> out = new TreeMap<>(listing);
        out.keySet().removeIf(k -> k.endsWith("write.lock"));
        return out;
    }

    private static Path copy(Path from) throws IOException {
        Path to = Files.createTempDirectory(scratch(), "fuzz-sharded-copy");
        deleteTree(to);
        copyTree(from, to);
        return to;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static Path scratch() throws IOException {
        return HashIndexFuzzTest.scratch();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
