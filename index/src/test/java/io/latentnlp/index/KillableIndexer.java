package io.latentnlp.index;

import io.latentnlp.models.hash.SemanticHash;
import java.nio.file.Path;
import java.util.List;

/**
 * A child process for {@link DurabilityTest}: indexes texts with deterministic codes forever,
 * committing every 50 and printing {@code committed N} after each commit, until it is killed.
 */
public final class KillableIndexer {

    private KillableIndexer() {}

    /** The code of text i: reproducible by the test. */
    static SemanticHash code(int i) {
        long x = i * 0x9E3779B97F4A7C15L;
        x ^= x >>> 31;
        return SemanticHash.fromWords(new long[] {x * 0xBF58476D1CE4E5B9L}, 64);
    }

    public static void main(String[] args) throws Exception {
        try (HashIndex index = HashIndex.openForWriting(Path.of(args[0]), HashIndexTest.identity(64), 0)) {
            for (int i = 0; ; i++) {
                SemanticHash h = code(i);
                index.add(new HashIndex.Text(HashIndexTest.id(i), "text " + i, h, null, List.of(new HashIndex.Sentence(0, 4, h, null))));
                if (i % 50 == 49) {
                    index.commit();
                    System.out.println("committed " + (i + 1));
                    System.out.flush();
                }
            }
        }
    }
}
