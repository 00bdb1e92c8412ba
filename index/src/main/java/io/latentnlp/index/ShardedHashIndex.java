package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;

/**
 * A semantic-hash index cut into shards (one {@link HashIndex} per sub-directory, listed by a
 * {@link ShardManifest}), searched by fanning a query out to every shard and merging the answers.
 *
 * <p>Exact: each text lives in exactly one shard (the Spark index job partitions texts by id), a
 * shard answers its own k nearest (or everything within the radius) in the common ranking
 * (distance, latent cosine, id, sentence position), and the merge sorts the union by the same
 * ranking and keeps k. Since every one of the global k nearest is among its own shard's k
 * nearest, the result is identical, ties and order included, to one {@link HashIndex} over the
 * same texts.
 *
 * <p>Shards are opened for reading (checksums verified, as {@link HashIndex#openForReading});
 * every shard must hold the manifest's identity and the counts the manifest lists, no two listed
 * shards may be one directory, and no id may be in two shards (a shard copied under a second
 * name, or a whole index listed as a shard, would answer its texts twice): {@link #open} refuses
 * each, naming the shards (and the id). Checking ids reads every shard's id terms once. Queries
 * run the shards in parallel on a pool of at most one thread per processor; latency is that of
 * the slowest shard plus a merge of shards x k hits. Thread-safe.
 *
 * <p>{@link #openForWriting} adds and deletes texts in the shard {@link IdPartitioning} gives
 * their id (the Spark job's partitioning) and rewrites the manifest's counts at each commit.
 */
public final class ShardedHashIndex implements SearchableIndex {

    private final Path dir;
    private final ShardManifest manifest;
    private final List<HashIndex> shards;
    private final ExecutorService pool;

    private ShardedHashIndex(Path dir, ShardManifest manifest, List<HashIndex> shards) {
        this.dir = dir;
        this.manifest = manifest;
        this.shards = List.copyOf(shards);
        int threads = Math.max(1, Math.min(shards.size(), Runtime.getRuntime().availableProcessors()));
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "shard-search");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens every shard of a sharded index for searching.
     *
     * @param identity the expected identity, or null to accept the manifest's
     * @throws IndexMismatchException when the manifest or a shard holds codes of another model
     * @throws IOException when the manifest or a shard is missing, damaged, duplicated or holds
     *     other counts than the manifest lists, naming it
     */
    public static ShardedHashIndex open(Path dir, IndexIdentity identity) throws IOException {
        ShardManifest manifest = readChecked(dir, identity);
        return new ShardedHashIndex(dir, manifest, openChecked(dir, manifest, shard -> HashIndex.openForReading(shard, manifest.identity()), false));
    }

    /**
     * Opens every shard of a sharded index for writing (each shard's write lock is held until
     * {@link WritableIndex#close()}), to add and delete texts by the partitioning of the Spark
     * index job. Creates nothing: a missing shard is an error naming it. Refuses what {@link #open}
     * refuses, and an index whose ids do not all sit in the shard {@link IdPartitioning} gives
     * them (one written some other way cannot be routed). {@link WritableIndex#commit()} rewrites
     * the manifest's counts so that readers accept every intermediate state (see
     * {@link ShardManifest}). Not safe while a Spark job writes the same index.
     *
     * @param identity the expected identity, or null to accept the manifest's
     */
    public static WritableIndex openForWriting(Path dir, IndexIdentity identity) throws IOException {
        ShardManifest manifest = readChecked(dir, identity);
        return new ShardedHashIndexWriter(dir, manifest, openChecked(dir, manifest, shard -> HashIndex.openExistingForWriting(shard, manifest.identity()), true));
    }

    /**
     * Opens {@code dir} as a sharded index when it holds a {@link ShardManifest}, else as one
     * {@link HashIndex} for reading.
     */
    public static SearchableIndex openAny(Path dir, IndexIdentity identity) throws IOException {
        return ShardManifest.isSharded(dir) ? open(dir, identity) : HashIndex.openForReading(dir, identity);
    }

    /**
     * Opens {@code dir} for writing as a sharded index when it holds a {@link ShardManifest}
     * ({@link #openForWriting}), else as one {@link HashIndex} ({@link HashIndex#openForWriting},
     * created when missing).
     *
     * @param substrings m for a new single index, see {@link HashIndex#openForWriting}
     */
    public static WritableIndex openAnyForWriting(Path dir, IndexIdentity identity, int substrings) throws IOException {
        return ShardManifest.isSharded(dir) ? openForWriting(dir, identity) : HashIndex.openForWriting(dir, identity, substrings);
    }

    /**
     * Deletes texts (and their sentences) from the shards that hold them, commits, and rewrites
     * the manifest's counts. Not safe while a Spark job writes the same index.
     *
     * @return how many of the ids were found
     */
    public static int delete(Path dir, Collection<String> ids) throws IOException {
        int found = 0;
        try (WritableIndex index = openForWriting(dir, null)) {
            for (String id : ids) {
                if (index.delete(id)) {
                    found++;
                }
            }
            index.commit();
        }
        return found;
    }

    private static ShardManifest readChecked(Path dir, IndexIdentity identity) throws IOException {
        ShardManifest manifest = ShardManifest.read(dir);
        if (identity != null && !manifest.identity().equals(identity)) {
            throw new IndexMismatchException("sharded index " + dir + " holds codes of " + manifest.identity() + ", not of " + identity
                    + "; codes of different models are not comparable: use the index's model");
        }
        return manifest;
    }

    private interface ShardOpener {
        HashIndex open(Path shard) throws IOException;
    }

    /** {@link #openShards}, then the ids ({@code routed}: by {@link IdPartitioning} too) and counts checked; on a refusal every shard is closed again. */
    private static List<HashIndex> openChecked(Path dir, ShardManifest manifest, ShardOpener opener, boolean routed) throws IOException {
        List<HashIndex> opened = openShards(dir, manifest, opener);
        try {
            checkIds(dir, manifest, opened, routed);
            checkCounts(dir, manifest, opened);
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
        return opened;
    }

    /** Every listed shard opened, or none (closed again) and an error naming the shard; two listed shards in one directory are refused. */
    private static List<HashIndex> openShards(Path dir, ShardManifest manifest, ShardOpener opener) throws IOException {
        Map<Path, String> real = new HashMap<>();
        for (ShardManifest.Shard s : manifest.shards()) {
            Path shard = dir.resolve(s.name());
            if (Files.exists(shard)) { // a missing one is named by its opener below
                String other = real.putIfAbsent(shard.toRealPath(), s.name());
                if (other != null) {
                    throw new IOException("shards " + other + " and " + s.name() + " listed in " + dir.resolve(ShardManifest.FILE_NAME) + " are one directory, "
                            + shard.toRealPath() + " (a symbolic link?): it would answer every hit twice; list each shard once");
                }
            }
        }
        List<HashIndex> opened = new ArrayList<>();
        try {
            for (ShardManifest.Shard s : manifest.shards()) {
                try {
                    opened.add(opener.open(dir.resolve(s.name())));
                } catch (IOException e) {
                    throw new IOException("shard " + s.name() + " listed in " + dir.resolve(ShardManifest.FILE_NAME) + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
        return opened;
    }

    /**
     * One pass over every shard's live ids, merged in term order: an id in two shards is refused,
     * naming both; with {@code routed}, so is an id outside the shard {@link IdPartitioning} gives it.
     */
    private static void checkIds(Path dir, ShardManifest manifest, List<HashIndex> shards, boolean routed) throws IOException {
        record Head(int shard, LiveIds ids, BytesRef id) {}
        List<LiveIds> iterators = new ArrayList<>();
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
            int c = a.id().compareTo(b.id());
            return c != 0 ? c : Integer.compare(a.shard(), b.shard());
        });
        try {
            for (int i = 0; i < shards.size(); i++) {
                LiveIds ids = shards.get(i).liveIds();
                iterators.add(ids);
                BytesRef first = ids.next();
                if (first != null) {
                    heads.add(new Head(i, ids, first));
                }
            }
            BytesRefBuilder previous = new BytesRefBuilder();
            int previousShard = -1;
            int n = shards.size();
            while (!heads.isEmpty()) {
                Head h = heads.poll();
                String name = manifest.shards().get(h.shard()).name();
                if (previousShard >= 0 && previous.get().equals(h.id())) {
                    throw new IOException("id '" + h.id().utf8ToString() + "' is in two shards of " + dir + ", " + manifest.shards().get(previousShard).name()
                            + " and " + name + ": a shard copied or linked under a second name, or a whole index listed as a shard, would answer its"
                            + " texts twice; each id must be in one shard: remove the duplicate from " + ShardManifest.FILE_NAME + ", or rebuild the index");
                }
                if (routed) {
                    int home = IdPartitioning.shardOf(h.id().bytes, h.id().offset, h.id().length, n);
                    if (home != h.shard()) {
                        throw new IOException("id '" + h.id().utf8ToString() + "' is in shard " + name + " of " + dir + ", but the Spark index job's partitioning ("
                                + IdPartitioning.NAME + " over " + n + " shards) puts it in " + manifest.shards().get(home).name()
                                + ": texts cannot be routed to this index's shards; rebuild it with the Spark index job");
                    }
                }
                previous.copyBytes(h.id());
                previousShard = h.shard();
                BytesRef next = h.ids().next();
                if (next != null) {
                    heads.add(new Head(h.shard(), h.ids(), next));
                }
            }
        } finally {
            IOException first = null;
            for (LiveIds ids : iterators) {
                try {
                    ids.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static void checkCounts(Path dir, ShardManifest manifest, List<HashIndex> shards) throws IOException {
        for (int i = 0; i < shards.size(); i++) {
            ShardManifest.Shard listed = manifest.shards().get(i);
            HashIndex.Stats own = shards.get(i).stats();
            if (!manifest.countsMatch(i, own.documents(), own.sentences())) {
                throw new IOException("shard " + listed.name() + " of " + dir + " holds " + own.documents() + " documents and " + own.sentences()
                        + " sentences, but " + ShardManifest.FILE_NAME + " lists " + listed.documents() + " and " + listed.sentences()
                        + ": the shard was changed or replaced after the manifest was written; rebuild the index, or restore the shard");
            }
        }
    }

    /** Counts summed over the shards (segments and bytes too; substrings of the first shard). */
    static HashIndex.Stats sum(IndexIdentity identity, List<HashIndex> shards) throws IOException {
        int docs = 0;
        int sentences = 0;
        int segments = 0;
        long bytes = 0;
        int substrings = -1;
        for (HashIndex s : shards) {
            HashIndex.Stats st = s.stats();
            substrings = substrings < 0 ? st.substrings() : substrings;
            docs += st.documents();
            sentences += st.sentences();
            segments += st.segments();
            bytes += st.bytesOnDisk();
        }
        return new HashIndex.Stats(identity, substrings, docs, sentences, segments, bytes);
    }

    public ShardManifest manifest() {
        return manifest;
    }

    @Override
    public IndexIdentity identity() {
        return manifest.identity();
    }

    /** Counts summed over the shards (segments and bytes too; substrings of the first shard). */
    public HashIndex.Stats stats() throws IOException {
        return sum(identity(), shards);
    }

    /** Each shard's in-memory search structures (built when not yet built), in manifest order. */
    public List<HashIndex.SearchStructures> searchStructures() throws IOException {
        List<HashIndex.SearchStructures> out = new ArrayList<>();
        for (HashIndex s : shards) {
            out.add(s.searchStructures());
        }
        return out;
    }

    @Override
    public List<Hit> knn(Level level, SemanticHash query, int k, float[] queryLatent) throws IOException {
        return merge(fanOut(s -> s.knn(level, query, k, queryLatent)), k);
    }

    @Override
    public List<Hit> radius(Level level, SemanticHash query, int r, float[] queryLatent) throws IOException {
        return merge(fanOut(s -> s.radius(level, query, r, queryLatent)), Integer.MAX_VALUE);
    }

    /** The ranking every shard applies (see {@link HashIndex}), applied to the union. */
    static final Comparator<Hit> RANKING = (a, b) -> HashIndex.compareHits(a.distance(), a.cosine(), a.id(), a.sentence(), b.distance(),
            b.cosine(), b.id(), b.sentence());

    private static List<Hit> merge(List<List<Hit>> perShard, int k) {
        List<Hit> all = new ArrayList<>();
        perShard.forEach(all::addAll);
        all.sort(RANKING);
        return all.size() > k ? new ArrayList<>(all.subList(0, k)) : all;
    }

    private interface ShardQuery {
        List<Hit> run(HashIndex shard) throws IOException;
    }

    private List<List<Hit>> fanOut(ShardQuery query) throws IOException {
        List<Future<List<Hit>>> futures = new ArrayList<>(shards.size());
        for (HashIndex s : shards) {
            futures.add(pool.submit(() -> query.run(s)));
        }
        List<List<Hit>> out = new ArrayList<>(shards.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                String where = "shard " + manifest.shards().get(i).name() + " of " + dir + ": ";
                if (c instanceof IOException io) {
                    throw new IOException(where + io.getMessage(), io);
                }
                if (c instanceof IllegalArgumentException iae) {
                    throw iae; // a bad query (k, radius, code length): the same message a single index gives
                }
                throw new IllegalStateException(where + c, c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while searching " + dir, e);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        closeAll(shards, null);
    }

    static void closeAll(List<HashIndex> opened, Throwable primary) throws IOException {
        IOException first = null;
        for (HashIndex h : opened) {
            try {
                h.close();
            } catch (IOException | UncheckedIOException e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (first == null) {
                    first = e instanceof IOException io ? io : e.getCause() instanceof IOException io2 ? io2 : new IOException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
