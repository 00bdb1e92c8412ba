package io.latentnlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import io.latentnlp.index.Hit;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.SearchableIndex;
import io.latentnlp.index.ShardedHashIndex;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.runtime.SentenceVae;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code latent-nlp search}: nearest documents or sentences by Hamming distance. */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Finds the texts or sentences nearest to a query in Hamming space, exactly (multi-index hashing in memory over the index's codes, built when it is opened).",
            "The query is a text (encoded with the index's model, -m) or a hex code (--code). Ties: latent cosine, then id and position.",
            "One line per hit on stdout: rank, distance, id, sentence (-1 for a document), text."
        })
final class SearchCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "DIR",
            description = "Index directory: one index, or a sharded index (a shards.json manifest and its shards, as the Spark index job writes it).")
    Path index;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "The index's model for a text query: a shipped name or a bundle; default " + ShippedModels.DEFAULT + ". With --code and no -m the index's model is not checked.")
    String model;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "Query text (tokenized on words and punctuation, read as one sentence).")
    String text;

    @Option(names = "--code", paramLabel = "HEX", description = "Query by code instead of text.")
    String code;

    @Option(names = "-k", defaultValue = "10", description = "Nearest hits to return (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--radius", paramLabel = "R", description = "Return every hit within Hamming distance R instead of the k nearest.")
    Integer radius;

    @Option(names = "--level", defaultValue = "document", description = "document or sentence (default: ${DEFAULT-VALUE}).")
    String level;

    @Option(names = "--json", description = "One JSON object per hit.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Level lvl = UsageException.oneOf("--level", level, "document", "sentence").equals("document") ? Level.DOCUMENT : Level.SENTENCE;
        if ((text == null) == (code == null)) {
            throw new UsageException("give either a query TEXT or --code HEX");
        }
        UsageException.atLeast("-k", k, 1);
        if (radius != null) {
            UsageException.atLeast("--radius", radius, 0);
        }
        ModelBundle bundle = code != null && model == null ? null : ShippedModels.resolve(model);
        try (SearchableIndex idx = ShardedHashIndex.openAny(index, bundle == null ? null : IndexIdentity.of(bundle))) {
            if (radius != null && radius > idx.identity().bits()) {
                throw UsageException.invalid("--radius", radius, "the index holds " + idx.identity().bits() + "-bit codes, so no two codes are more than "
                        + idx.identity().bits() + " apart; give 0 to " + idx.identity().bits());
            }
            SemanticHash query;
            float[] latent = null;
            if (code != null) {
                query = SemanticHash.fromHex(code.trim(), idx.identity().bits());
            } else {
                List<String> tokens = TextEncoder.tokenize(text);
                if (tokens.isEmpty()) {
                    throw new IllegalArgumentException("the query text has no tokens");
                }
                try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults())) {
                    TextEncoder.Encoded e = new TextEncoder(vae).encode(List.of(tokens)).get(0);
                    query = e.hash();
                    latent = e.latent();
                }
                System.err.println("query code " + query.toHex());
            }
            long start = System.nanoTime();
            List<Hit> hits = radius != null ? idx.radius(lvl, query, radius, latent) : idx.knn(lvl, query, k, latent);
            System.err.printf("%d hits in %.2f ms%n", hits.size(), (System.nanoTime() - start) / 1e6);
            ObjectMapper mapper = new ObjectMapper();
            int rank = 0;
            for (Hit h : hits) {
                rank++;
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("rank", rank);
                    o.put("distance", h.distance());
                    o.put("cosine", Double.isNaN(h.cosine()) ? null : h.cosine());
                    o.put("id", h.id());
                    o.put("sentence", h.sentence());
                    o.put("code", h.hash().toHex());
                    o.put("text", h.text());
                    System.out.println(mapper.writeValueAsString(o));
                } else {
                    String t = h.text().replace('\n', ' ');
                    System.out.printf("%3d  d=%-3d %-16s %4d  %s%n", rank, h.distance(), h.id(), h.sentence(), t.length() > 100 ? t.substring(0, 97) + "..." : t);
                }
            }
        }
        return 0;
    }
}
