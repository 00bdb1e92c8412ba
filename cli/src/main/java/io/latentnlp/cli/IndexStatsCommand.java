package io.latentnlp.cli;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.index.ShardedHashIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp index stats}: what an index (one or sharded) holds, what made it, and the memory its search structures take. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Prints what an index (one or sharded) holds and what made it.")
final class IndexStatsCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory: one index, or a sharded index (shards.json).")
    Path index;

    @Override
    public Integer call() throws Exception {
        if (ShardManifest.isSharded(index)) {
            try (ShardedHashIndex idx = ShardedHashIndex.open(index, null)) {
                List<HashIndex.SearchStructures> st = idx.searchStructures();
                print(idx.stats(), idx.manifest().shards().size(), st.stream().mapToLong(HashIndex.SearchStructures::bytes).sum(),
                        st.stream().mapToDouble(x -> x.loadSeconds() + x.buildSeconds()).sum(), st.get(0));
            }
        } else {
            try (HashIndex idx = HashIndex.openForReading(index, null)) {
                HashIndex.SearchStructures st = idx.searchStructures();
                print(idx.stats(), 0, st.bytes(), st.loadSeconds() + st.buildSeconds(), st);
            }
        }
        return 0;
    }

    private void print(HashIndex.Stats s, int shards, long memory, double seconds, HashIndex.SearchStructures first) {
        System.out.println("index       " + index + (shards > 0 ? " (sharded: " + shards + " " + IndexCommand.plural(shards, "shard", "shards") + ")" : ""));
        System.out.println("model       " + s.identity());
        System.out.println("code bits   " + s.identity().bits() + " (" + (s.substrings() == 0 ? "multi-index hashing layout chosen from the codes"
                : s.substrings() + " substrings for multi-index hashing") + ")");
        System.out.println("documents   " + s.documents());
        System.out.println("sentences   " + s.sentences());
        System.out.println("segments    " + s.segments());
        long codes = (long) s.documents() + s.sentences();
        System.out.printf("disk        %.1f MB (%s)%n", s.bytesOnDisk() / 1e6,
                codes == 0 ? "bytes per indexed code: n/a, no codes" : String.format("%.0f bytes per indexed code", s.bytesOnDisk() / (double) codes));
        System.out.printf("memory      %.1f MB to search (%s), built in %.2f s%n", memory / 1e6,
                codes == 0 ? "no codes" : String.format("%.0f bytes per indexed code", memory / (double) codes), seconds);
        String of = shards > 0 ? " (the first shard's; each shard chooses its own)" : "";
        System.out.println("documents:  " + first.documents() + of);
        System.out.println("sentences:  " + first.sentences() + of);
    }
}
