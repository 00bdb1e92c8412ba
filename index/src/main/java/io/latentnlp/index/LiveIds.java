package io.latentnlp.index;

import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The ids of the live texts of a {@link HashIndex}'s searchable state, in Lucene's term order
 * (UTF-8 bytes), each once; {@link #next()} returns null at the end, and each id is valid until
 * the next call. Holds a reader until closed. For {@link ShardedHashIndex}'s checks across shards.
 * Not thread-safe.
 */
final class LiveIds implements java.io.Closeable {
    private final SearcherManager manager;
    private final IndexSearcher searcher;
    private final Bits live;
    private final TermsEnum terms;
    private PostingsEnum postings;

    LiveIds(SearcherManager manager) throws IOException {
        this.manager = manager;
        this.searcher = manager.acquire();
        IndexReader reader = searcher.getIndexReader();
        this.live = MultiBits.getLiveDocs(reader);
        Terms t = MultiTerms.getTerms(reader, IndexSchema.ID);
        this.terms = t == null ? null : t.iterator();
    }

    BytesRef next() throws IOException {
        if (terms == null) {
            return null;
        }
        for (BytesRef id = terms.next(); id != null; id = terms.next()) {
            if (live == null) {
                return id; // no deletions: every term's documents are live
            }
            postings = terms.postings(postings, PostingsEnum.NONE);
            for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                if (live == null || live.get(d)) {
                    return id; // a deleted text's id stays in the terms until its segment merges
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        manager.release(searcher);
    }
}
