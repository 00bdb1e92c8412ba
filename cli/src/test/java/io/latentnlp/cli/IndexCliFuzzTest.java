package io.latentnlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import io.latentnlp.index.Hit;
import io.latentnlp.index.IdPartitioning;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.SearchableIndex;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.index.ShardedHashIndex;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzz property of the index commands' argument parsing ({@code index add/delete/stats},
 * {@code search --code}): random option lists with good and bad values, missing values, unknown
 * options and every kind of --index (one index, a sharded one, missing, a file, a shards.json
 * directory). Accepted outcomes: exit 0 with output, 1 with one {@code latent-nlp <command>:}
 * message, or 2 with a usage message; never a stack trace or an exception's class name; and no
 * call damages an index (it opens afterwards, every id not deleted still there). No call loads a
 * model: text queries and readable files to add are never generated. Statistics check that a
 * share of the tries succeed.
 */
class IndexCliFuzzTest {

    private static final List<String> IDS = List.of("a", "b", "c", "d", "e", "f", "g", "h");
    private static Path template;

    /** One index and one sharded index (2 shards) of 8 texts with random codes, under the default model's identity. */
    private static synchronized Path template() throws IOException {
        if (template == null) {
            Path root = Files.createTempDirectory(scratch(), "cli-fuzz");
            IndexIdentity identity = IndexIdentity.of(ShippedModels.resolve(null));
            SplittableRandom rng = new SplittableRandom(26);
            List<HashIndex.Text> texts = new ArrayList<>();
            for (String id : IDS) {
                SemanticHash h = SemanticHash.fromWords(new long[] {rng.nextLong()}, 64);
                texts.add(new HashIndex.Text(id, "text " + id, h, null, List.of(new HashIndex.Sentence(0, 4, h, null))));
            }
            try (HashIndex single = HashIndex.openForWriting(root.resolve("single"), identity, 0)) {
                for (HashIndex.Text t : texts) {
                    single.add(t);
                }
                single.commit();
            }
            List<ShardManifest.Shard> shards = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                String name = "shard-0000" + s;
                long n = 0;
                try (HashIndex shard = HashIndex.openForWriting(root.resolve("sharded").resolve(name), identity, 0)) {
                    for (HashIndex.Text t : texts) {
                        if (IdPartitioning.shardOf(t.id(), 2) == s) {
                            shard.add(t);
                            n++;
                        }
                    }
                    shard.commit();
                }
                shards.add(new ShardManifest.Shard(name, n, n));
            }
            new ShardManifest(identity, shards).write(root.resolve("sharded"));
            Files.writeString(root.resolve("file"), "not an index");
            Files.createDirectories(root.resolve("manifest-dir").resolve(ShardManifest.FILE_NAME));
            Files.writeString(root.resolve("empty.txt"), "");
            Files.writeString(root.resolve("long-id.tsv"), "x".repeat(33_000) + "\tnews\tShips sail .\n");
            Files.writeString(root.resolve("empty-id.tsv"), "\tnews\tShips sail .\n");
            Files.createDirectories(root.resolve("a-directory"));
            template = root;
        }
        return template;
    }

    private static final String[] COMMANDS = {"index add", "index delete", "index stats", "search", "index"};
    private static final String[] INDEXES = {"single", "sharded", "missing", "file", "manifest-dir", "single", "sharded"};
    private static final String[] NUMBERS = {"0", "1", "3", "-1", "64", "65", "x", "1.5", "99999999999", ""};
    private static final String[] CODES = {"0123456789abcdef", "ffffffffffffffff", "00", "xyz!", "0x12", "", "0123456789ABCDEF0"};
    private static final String[] FILES = {"empty.txt", "long-id.tsv", "empty-id.tsv", "no-such.txt", "a-directory", "file"};

    /** One option (with a value drawn from its pool) or positional, as argument tokens. */
    private static List<String> token(String command, int kind, int pick, Path root) {
        return switch (kind) {
            case 0 -> List.of("--index", root.resolve(INDEXES[pick % INDEXES.length]).toString());
            case 1 -> List.of(command.equals("search") ? "-k" : "--commit-every", NUMBERS[pick % NUMBERS.length]);
            case 2 -> List.of(command.equals("search") ? "--radius" : "--substrings", NUMBERS[pick % NUMBERS.length]);
            case 3 -> command.equals("search") ? List.of("--code", CODES[pick % CODES.length]) : List.of("--id", pick % 3 == 0 ? "" : "id" + pick);
            case 4 -> command.equals("search") ? List.of("--level", pick % 3 == 0 ? "paragraph" : pick % 3 == 1 ? "sentence" : "document")
                    : List.of("--threads", NUMBERS[pick % NUMBERS.length]);
            case 5 -> List.of(pick % 4 == 0 ? "--bogus" : pick % 4 == 1 ? "--json" : pick % 4 == 2 ? "--replace" : "--raw");
            case 6 -> command.startsWith("index add") ? List.of(root.resolve(FILES[pick % FILES.length]).toString())
                    : command.equals("index delete") ? List.of(pick % 3 == 0 ? "nope" : IDS.get(pick % IDS.size())) : List.of();
            case 7 -> List.of("--index"); // a value missing
            default -> pick % 5 == 0 ? List.of("--help") : List.of();
        };
    }

    @Property(seed = "20261229")
    void anyArgumentsExitZeroOneOrTwoWithAMessageAndNeverDamageAnIndex(@ForAll @IntRange(max = 4) int command,
            @ForAll @Size(max = 3) List<@IntRange(max = 8) Integer> kinds, @ForAll @Size(min = 6, max = 6) List<@IntRange(max = 1000) Integer> picks,
            @ForAll boolean withIndex, @ForAll @IntRange(max = 6) int index) throws IOException {
        Path root = Files.createTempDirectory(scratch(), "cli-fuzz-try");
        try {
            copyTree(template(), root);
            String name = COMMANDS[command];
            List<String> args = new ArrayList<>(List.of(name.split(" ")));
            if (withIndex) {
                args.addAll(List.of("--index", root.resolve(INDEXES[index]).toString()));
            }
            if (name.equals("search") && kinds.stream().noneMatch(k -> k == 3)) {
                args.addAll(List.of("--code", CODES[picks.get(0) % CODES.length])); // never a text query: it would load the model
            }
            for (int i = 0; i < kinds.size(); i++) {
                args.addAll(token(name, kinds.get(i), picks.get(i), root));
            }
            if (name.equals("index add") && args.stream().noneMatch(a -> a.startsWith(root.toString()) && !a.contains("single") && !a.contains("sharded")
                    && !a.contains("missing") && !a.contains("manifest-dir"))) {
                args.add(root.resolve("no-such.txt").toString()); // every add fails reading its files, before any model is loaded
            }
            CliRun r = CliRun.capture(new byte[0], () -> LatentNlp.execute(args.toArray(String[]::new)));
            String what = String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err();
            assertTrue(r.code() >= 0 && r.code() <= 2, what);
            assertFalse(r.err().contains("\tat ") || r.err().matches("(?s).*\\b(java\\.lang\\.|NullPointer|ArrayIndexOutOfBounds|ClassCast|IllegalState)\\w*.*"),
                    "a stack trace or an exception's name: " + what);
            switch (r.code()) {
                case 0 -> assertFalse(r.out().isBlank(), what);
                case 1 -> assertTrue(r.err().startsWith("latent-nlp " + name + ": ") && r.err().strip().lines().count() == 1,
                        "one line naming the command: " + what);
                default -> assertFalse(r.err().isBlank(), what);
            }
            for (String idx : List.of("single", "sharded")) {
                try (SearchableIndex opened = ShardedHashIndex.openAny(root.resolve(idx), null)) {
                    List<String> left = new ArrayList<>(IDS);
                    if (name.equals("index delete") && r.code() <= 1 && args.contains(root.resolve(idx).toString())) {
                        left.removeAll(args);
                    }
                    List<String> found = opened.radius(Level.DOCUMENT, SemanticHash.fromHex("0000000000000000", 64), 64, null).stream()
                            .map(Hit::id).sorted().toList();
                    assertEquals(left, found, idx + " after " + what);
                }
            }
            Statistics.label("command").collect(name);
            Statistics.label("exit").collect(r.code());
            Statistics.label("exit").coverage(c -> c.check(0).percentage(p -> p > 5));
        } finally {
            deleteTree(root);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (!Files.exists(target)) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static Path scratch() throws IOException {
        Path target = Path.of("target");
        return Files.isDirectory(target) ? Files.createDirectories(target.resolve("fuzz")) : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
