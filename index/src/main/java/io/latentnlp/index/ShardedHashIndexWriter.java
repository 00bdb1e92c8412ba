package io.latentnlp.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writer of {@link ShardedHashIndex#openForWriting}: each id to the shard {@link IdPartitioning}
 * gives it; a commit rewrites the {@link ShardManifest}'s counts around the shards' commits so
 * that a reader accepts every intermediate state. Owns (closes) the shards it is given.
 */
final class ShardedHashIndexWriter implements WritableIndex {
    private final Path dir;
    private final ShardManifest manifest;
    private final List<HashIndex> shards;

    /** Each shard's counts at its last commit. */
    private final List<HashIndex.Stats> committed = new ArrayList<>();

    ShardedHashIndexWriter(Path dir, ShardManifest manifest, List<HashIndex> shards) throws IOException {
        this.dir = dir;
        this.manifest = manifest;
        this.shards = List.copyOf(shards);
        try {
            for (HashIndex s : shards) {
                committed.add(s.stats());
            }
        } catch (IOException | RuntimeException e) {
            ShardedHashIndex.closeAll(shards, e);
            throw e;
        }
    }

    private HashIndex shardOf(String id) {
        return shards.get(IdPartitioning.shardOf(id, shards.size()));
    }

    @Override
    public IndexIdentity identity() {
        return manifest.identity();
    }

    @Override
    public void add(HashIndex.Text text) throws IOException {
        String problem = HashIndex.idProblem(text.id());
        if (problem != null) {
            throw new IllegalArgumentException("cannot index a text in " + dir + ": " + problem);
        }
        shardOf(text.id()).add(text);
    }

    @Override
    public boolean delete(String id) throws IOException {
        return HashIndex.idProblem(id) == null && shardOf(id).delete(id);
    }

    @Override
    public Set<String> existing(Collection<String> ids) throws IOException {
        Map<HashIndex, List<String>> byShard = new LinkedHashMap<>();
        for (String id : ids) {
            if (HashIndex.idProblem(id) == null) {
                byShard.computeIfAbsent(shardOf(id), x -> new ArrayList<>()).add(id);
            }
        }
        Set<String> found = new HashSet<>();
        for (Map.Entry<HashIndex, List<String>> e : byShard.entrySet()) {
            found.addAll(e.getKey().existing(e.getValue()));
        }
        Set<String> ordered = new LinkedHashSet<>();
        ids.stream().filter(found::contains).forEach(ordered::add);
        return ordered;
    }

    /**
     * Writes the manifest with the new counts and the old ones as {@code previous}, commits
     * every shard, then writes it with the new counts only: a reader opening at any moment,
     * or after a crash at any point, finds each shard's counts listed.
     */
    @Override
    public void commit() throws IOException {
        List<ShardManifest.Shard> counts = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            HashIndex.Stats st = shards.get(i).stats(); // the writer's view: what its commit makes durable
            counts.add(new ShardManifest.Shard(manifest.shards().get(i).name(), st.documents(), st.sentences()));
        }
        List<ShardManifest.Shard> before = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            HashIndex.Stats st = committed.get(i);
            before.add(new ShardManifest.Shard(manifest.shards().get(i).name(), st.documents(), st.sentences()));
        }
        new ShardManifest(manifest.identity(), counts, before).write(dir);
        for (int i = 0; i < shards.size(); i++) {
            shards.get(i).commit();
            committed.set(i, shards.get(i).stats());
        }
        manifest.withCounts(counts).write(dir);
    }

    @Override
    public HashIndex.Stats stats() throws IOException {
        return ShardedHashIndex.sum(manifest.identity(), shards);
    }

    @Override
    public void close() throws IOException {
        ShardedHashIndex.closeAll(shards, null);
    }
}
