package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.util.BytesRef;

/**
 * Exact k-NN and radius search over the per-segment structures of one reader ({@link
 * ReaderCodes}), as {@link HashIndexSearcher} runs it: each segment's live entries ranked by
 * distance, latent cosine (latents read from the segment's doc values) and ordinal (= id and
 * position), the segments' answers merged by the same ranking, ids compared in Lucene's term
 * order, so that the hits equal those of the same texts in one segment. Hits are read from the
 * hit doc values. Stateless; thread-safe.
 */
final class SegmentedSearch {

    private final Path path;
    private final IndexIdentity identity;

    SegmentedSearch(Path path, IndexIdentity identity) {
        this.path = path;
        this.identity = identity;
    }

    List<Hit> search(ReaderCodes structures, Level level, SemanticHash query, int k, int radius, float[] queryLatent) throws IOException {
        long[] q = query.words();
        // Each segment answers its own top k in the index's ranking; the union holds the
        // global top k (as ShardedHashIndex merges shards), merged by the same ranking.
        KnnRun run = radius >= 0 ? null : knnRun(structures, level, q, k);
        List<SegmentNeighbor> union = new ArrayList<>();
        for (int l = 0; l < structures.size(); l++) {
            LeafReaderContext leaf = structures.leaves().get(l);
            SegmentCodes.LevelCodes codes = structures.segment(l).level(level);
            Candidates c = radius >= 0 ? codes.mih().radiusCandidates(q, radius, codes.live(leaf.reader().getLiveDocs())) : run.probes()[l].candidates();
            int limit = radius >= 0 ? Math.min(radius, identity.bits()) : run.limit();
            int cut = radius >= 0 ? Integer.MAX_VALUE : k;
            // Ordinals follow (id, position), so the in-memory ranking is the index's ranking within a segment.
            List<Neighbor> ranked = queryLatent == null ? c.ranked(cut, limit, codes.codes(), null) : rankWithLatents(leaf, level, codes, c, limit, cut, queryLatent);
            for (Neighbor nb : ranked) {
                union.add(new SegmentNeighbor(l, nb));
            }
        }
        return merge(structures, level, union, k);
    }

    /** A neighbour found in the segment of leaf {@code leaf}. */
    private record SegmentNeighbor(int leaf, Neighbor neighbor) {}

    /** The k-NN probes of every segment, and the distance within which their candidates hold the k nearest of the index (ties included). */
    private record KnnRun(MultiIndexHash.Probe[] probes, int limit) {}

    /**
     * Exact k-NN over every segment at once: the segments' multi-index hashing probes advance side
     * by side, always the one that has proven the least (every code within its {@link
     * MultiIndexHash.Probe#proven()} seen), until k candidates of the union lie within the least
     * proven distance of all: the union then holds every code within the k-th distance. The k-th
     * distance found so far caps every probe's threshold, so no segment verifies farther than the
     * index as a whole needs (as one set of tables over all codes would).
     */
    private KnnRun knnRun(ReaderCodes structures, Level level, long[] q, int k) {
        int n = structures.size();
        int bits = identity.bits();
        MultiIndexHash.Probe[] probes = new MultiIndexHash.Probe[n];
        for (int l = 0; l < n; l++) {
            SegmentCodes.LevelCodes codes = structures.segment(l).level(level);
            probes[l] = codes.mih().probe(q, k, codes.live(structures.leaves().get(l).reader().getLiveDocs()));
        }
        while (true) {
            int next = -1;
            int leastProven = bits;
            int leastThreshold = bits;
            for (int l = 0; l < n; l++) {
                if (!probes[l].complete() && probes[l].proven() < leastProven) {
                    leastProven = probes[l].proven();
                    next = l;
                }
                leastThreshold = Math.min(leastThreshold, probes[l].threshold());
            }
            int kth = kthDistance(probes, k, leastProven);
            if (kth >= 0) {
                return new KnnRun(probes, kth);
            }
            if (next < 0) {
                return new KnnRun(probes, bits); // every code seen, fewer than k live
            }
            probes[next].step();
            int cap = kthDistance(probes, k, Math.max(leastThreshold, probes[next].threshold()));
            if (cap >= 0) {
                for (MultiIndexHash.Probe p : probes) {
                    p.limit(cap);
                }
            }
        }
    }

    /** The distance of the k-th nearest candidate of all probes if it is at most {@code upTo}, else -1. */
    private static int kthDistance(MultiIndexHash.Probe[] probes, int k, int upTo) {
        int seen = 0;
        for (int d = 0; d <= upTo; d++) {
            for (MultiIndexHash.Probe p : probes) {
                seen += p.countAt(d);
            }
            if (seen >= k) {
                return d;
            }
        }
        return -1;
    }


    /**
     * The k best of every segment's own ranked answers. Segments rank their entries alike
     * (distance, cosine, then id and position), so only entries tied with the k-th on distance and
     * cosine need their ids to be ordered: the hit values of those and of the ones ahead of it are
     * read, sorted by the full ranking (ids compared as UTF-8 bytes: Lucene's term order, the
     * order within a segment) and cut to k; only the k kept are decoded.
     */
    private List<Hit> merge(ReaderCodes structures, Level level, List<SegmentNeighbor> union, int k) throws IOException {
        if (structures.size() == 1) {
            return hits(structures, level, union, values(structures, level, union)); // one segment's answer is ranked already
        }
        Comparator<SegmentNeighbor> byDistanceThenCosine = (a, b) -> Candidates.compareDistanceThenCosine(a.neighbor().distance(), a.neighbor().cosine(),
                b.neighbor().distance(), b.neighbor().cosine());
        union.sort(byDistanceThenCosine);
        int cut = union.size();
        if (union.size() > k) {
            SegmentNeighbor kth = union.get(k - 1);
            cut = k;
            while (cut < union.size() && byDistanceThenCosine.compare(union.get(cut), kth) == 0) {
                cut++;
            }
        }
        List<SegmentNeighbor> kept = union.subList(0, cut);
        BytesRef[] values = values(structures, level, kept);
        Integer[] order = new Integer[cut];
        for (int i = 0; i < cut; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> {
            int c = byDistanceThenCosine.compare(kept.get(x), kept.get(y));
            return c != 0 ? c : HitValue.compareIdThenPosition(values[x], values[y]);
        });
        int n = Math.min(k, cut);
        List<SegmentNeighbor> top = new ArrayList<>(n);
        BytesRef[] topValues = new BytesRef[n];
        for (int i = 0; i < n; i++) {
            top.add(kept.get(order[i]));
            topValues[i] = values[order[i]];
        }
        return hits(structures, level, top, topValues);
    }

    /**
     * The candidates of one segment within {@code limit} ranked by distance, latent cosine
     * (latents read from the segment's doc values, in doc order), then ordinal (= id and
     * position), cut to k.
     */
    private static List<Neighbor> rankWithLatents(LeafReaderContext leaf, Level level, SegmentCodes.LevelCodes codes, Candidates c, int limit, int k,
            float[] queryLatent) throws IOException {
        int[] docs = codes.docs();
        int[] within = java.util.stream.IntStream.range(0, c.size()).filter(i -> c.distance(i) <= limit)
                .boxed().sorted(Comparator.comparingInt(i -> docs[c.ordinal(i)])).mapToInt(Integer::intValue).toArray();
        BinaryDocValues latents = leaf.reader().getBinaryDocValues(IndexSchema.latentField(level));
        List<Neighbor> rows = new ArrayList<>(within.length);
        for (int i : within) {
            float[] latent = latents != null && latents.advanceExact(docs[c.ordinal(i)]) ? IndexSchema.decodeFloats(latents.binaryValue()) : null;
            rows.add(new Neighbor(c.ordinal(i), c.distance(i), Candidates.cosine(queryLatent, latent)));
        }
        rows.sort(Candidates.ORDER);
        return rows.size() > k ? rows.subList(0, k) : rows;
    }

    /**
     * The hit values (id, position, text: {@link HitValue}) of neighbours, in their order, copied;
     * read per segment in doc order (doc values iterators only go forward).
     */
    private BytesRef[] values(ReaderCodes structures, Level level, List<SegmentNeighbor> ranked) throws IOException {
        int n = ranked.size();
        int[] docs = new int[n];
        for (int i = 0; i < n; i++) {
            SegmentNeighbor sn = ranked.get(i);
            docs[i] = structures.segment(sn.leaf()).level(level).docs()[sn.neighbor().ordinal()];
        }
        int[] byDoc = java.util.stream.IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> ranked.get(i).leaf()).thenComparingInt(i -> docs[i])).mapToInt(Integer::intValue).toArray();
        BytesRef[] values = new BytesRef[n];
        int leafIndex = -1;
        BinaryDocValues hitValues = null;
        for (int i : byDoc) {
            if (ranked.get(i).leaf() != leafIndex) {
                leafIndex = ranked.get(i).leaf();
                hitValues = structures.leaves().get(leafIndex).reader().getBinaryDocValues(IndexSchema.hitField(level));
            }
            values[i] = hitValues != null && hitValues.advanceExact(docs[i]) ? BytesRef.deepCopyOf(hitValues.binaryValue())
                    : earlierFormat(structures.leaves().get(leafIndex), docs[i]);
        }
        return values;
    }

    /** Hits of ranked neighbours from their hit values. */
    private List<Hit> hits(ReaderCodes structures, Level level, List<SegmentNeighbor> ranked, BytesRef[] values) {
        List<Hit> hits = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            SegmentNeighbor sn = ranked.get(i);
            HitValue v = HitValue.decode(values[i]);
            PackedCodes codes = structures.segment(sn.leaf()).level(level).codes();
            hits.add(new Hit(v.id(), v.position(), sn.neighbor().distance(), sn.neighbor().cosine(), v.text(),
                    SemanticHash.fromWords(codes.code(sn.neighbor().ordinal()), identity.bits())));
        }
        return hits;
    }

    /** The hit value (id, position, text) of an entry of an index written before the hit doc values existed. */
    private BytesRef earlierFormat(LeafReaderContext leaf, int doc) throws IOException {
        SortedDocValues ids = leaf.reader().getSortedDocValues(IndexSchema.ID_SORT);
        NumericDocValues positions = leaf.reader().getNumericDocValues(IndexSchema.POS);
        if (ids == null || !ids.advanceExact(doc) || positions == null || !positions.advanceExact(doc)) {
            throw new IllegalStateException("document " + (leaf.docBase + doc) + " of " + path + " has no id or position doc values; the index is damaged");
        }
        String text = leaf.reader().storedFields().document(doc, IndexSchema.TEXT_ONLY).get(IndexSchema.TEXT);
        return HitValue.encode(ids.lookupOrd(ids.ordValue()).utf8ToString(), (int) positions.longValue(), text);
    }
}
