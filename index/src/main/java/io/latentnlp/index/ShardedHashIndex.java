package io.latentnlp.index;

import io.latentnlp.models.SemanticHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * every shard must hold the manifest's identity. Queries run the shards in parallel on a pool of
 * at most one thread per processor; latency is that of the slowest shard plus a merge of
 * shards x k hits. Thread-safe.
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
     * @throws IOException when the manifest or a shard is missing or damaged, naming it
     */
    public static ShardedHashIndex open(Path dir, IndexIdentity identity) throws IOException {
        ShardManifest manifest = ShardManifest.read(dir);
        if (identity != null && !manifest.identity().equals(identity)) {
            throw new IndexMismatchException("sharded index " + dir + " holds codes of " + manifest.identity() + ", not of " + identity
                    + "; codes of different models are not comparable: use the index's model");
        }
        List<HashIndex> opened = new ArrayList<>();
        try {
            for (ShardManifest.Shard s : manifest.shards()) {
                Path shard = dir.resolve(s.name());
                try {
                    opened.add(HashIndex.openForReading(shard, manifest.identity()));
                } catch (IOException e) {
                    throw new IOException("shard " + s.name() + " listed in " + dir.resolve(ShardManifest.FILE_NAME) + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
        return new ShardedHashIndex(dir, manifest, opened);
    }

    /**
     * Opens {@code dir} as a sharded index when it holds a {@link ShardManifest}, else as one
     * {@link HashIndex} for reading.
     */
    public static SearchableIndex openAny(Path dir, IndexIdentity identity) throws IOException {
        return ShardManifest.isSharded(dir) ? open(dir, identity) : HashIndex.openForReading(dir, identity);
    }

    /**
     * Deletes texts (and their sentences) from whichever shards hold them and commits each shard
     * changed. Not safe while a Spark job writes the same index.
     *
     * @return how many of the ids were found
     */
    public static int delete(Path dir, Collection<String> ids) throws IOException {
        ShardManifest manifest = ShardManifest.read(dir);
        int found = 0;
        for (ShardManifest.Shard s : manifest.shards()) {
            try (HashIndex shard = HashIndex.openForWriting(dir.resolve(s.name()), manifest.identity(), 0)) {
                int here = 0;
                for (String id : ids) {
                    if (shard.delete(id)) {
                        here++;
                    }
                }
                if (here > 0) {
                    shard.commit();
                }
                found += here;
            }
        }
        return found;
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
        return new HashIndex.Stats(identity(), substrings, docs, sentences, segments, bytes);
    }

    @Override
    public List<HashIndex.Hit> knn(HashIndex.Level level, SemanticHash query, int k, float[] queryLatent) throws IOException {
        return merge(fanOut(s -> s.knn(level, query, k, queryLatent)), k);
    }

    @Override
    public List<HashIndex.Hit> radius(HashIndex.Level level, SemanticHash query, int r, float[] queryLatent) throws IOException {
        return merge(fanOut(s -> s.radius(level, query, r, queryLatent)), Integer.MAX_VALUE);
    }

    /** The ranking every shard applies (see {@link HashIndex}), applied to the union. */
    static final Comparator<HashIndex.Hit> RANKING = (a, b) -> HashIndex.compareHits(a.distance(), a.cosine(), a.id(), a.sentence(), b.distance(),
            b.cosine(), b.id(), b.sentence());

    private static List<HashIndex.Hit> merge(List<List<HashIndex.Hit>> perShard, int k) {
        List<HashIndex.Hit> all = new ArrayList<>();
        perShard.forEach(all::addAll);
        all.sort(RANKING);
        return all.size() > k ? new ArrayList<>(all.subList(0, k)) : all;
    }

    private interface ShardQuery {
        List<HashIndex.Hit> run(HashIndex shard) throws IOException;
    }

    private List<List<HashIndex.Hit>> fanOut(ShardQuery query) throws IOException {
        List<Future<List<HashIndex.Hit>>> futures = new ArrayList<>(shards.size());
        for (HashIndex s : shards) {
            futures.add(pool.submit(() -> query.run(s)));
        }
        List<List<HashIndex.Hit>> out = new ArrayList<>(shards.size());
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

    private static void closeAll(List<HashIndex> opened, Throwable primary) throws IOException {
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
