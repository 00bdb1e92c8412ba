package io.latentnlp.cli;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.index.ShardedHashIndex;
import io.latentnlp.index.WritableIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code latent-nlp index delete}: deletes texts by id, in one commit; exit code 1 when an id was not in the index. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Deletes texts (and their sentences) by id, in one commit; in a sharded index, from the shard that holds each.")
final class IndexDeleteCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory: one index, or a sharded index (shards.json).")
    Path index;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Ids of the texts to delete.")
    List<String> ids;

    @Override
    public Integer call() throws Exception {
        int deleted = 0;
        List<String> missing = new ArrayList<>();
        try (WritableIndex idx = openExisting(index)) {
            for (String id : ids) {
                if (idx.delete(id)) {
                    deleted++;
                } else {
                    missing.add(id);
                }
            }
            idx.commit();
        }
        System.out.println("deleted " + deleted + " " + IndexCommand.plural(deleted, "text", "texts") + (missing.isEmpty() ? "" : "; not in the index: " + String.join(", ", missing)));
        return missing.isEmpty() ? 0 : 1;
    }

    /** An existing index, one or sharded, for writing; nothing is created. */
    private static WritableIndex openExisting(Path index) throws java.io.IOException {
        return ShardManifest.isSharded(index) ? ShardedHashIndex.openForWriting(index, null) : HashIndex.openExistingForWriting(index, null);
    }
}
