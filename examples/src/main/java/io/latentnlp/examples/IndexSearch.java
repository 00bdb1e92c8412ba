package io.latentnlp.examples;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.Level;
import io.latentnlp.index.Hit;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.SentenceVae;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A semantic-hash index (Lucene) filled with a few texts and searched: each text is one sentence
 * (tokenized by {@link TextEncoder#tokenize}), indexed under the id {@code text-N} (N from 1) in a
 * temporary directory, deleted at the end. Prints the query's hash ({@code query<TAB>HEX}), then the
 * three nearest texts by Hamming distance: rank, distance, id and text, separated by tabs.
 *
 * <p>Usage: {@code IndexSearch [QUERY TEXT...]} (a sample query and five texts without arguments).
 */
public final class IndexSearch {

    public static void main(String[] args) throws Exception {
        List<String> input = args.length > 1 ? List.of(args) : List.of("The council approved the school budget .",
                "The committee met on Tuesday to discuss the new budget for the county schools .", "Taxes will rise again next year .",
                "She walked slowly down the dusty road .", "The jury said it did not find any evidence .", "He cooked rice for dinner .");
        ModelBundle bundle = ShippedModels.resolve("minilm-gaussian64");
        Path dir = Files.createTempDirectory("latent-nlp-index");
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults());
                HashIndex index = HashIndex.openForWriting(dir, IndexIdentity.of(bundle), 0)) {
            TextEncoder encoder = new TextEncoder(vae);
            for (int i = 1; i < input.size(); i++) {
                index.add(encoder.text("text-" + i, List.of(TextEncoder.tokenize(input.get(i)))));
            }
            index.commit();
            TextEncoder.Encoded query = encoder.encode(List.of(TextEncoder.tokenize(input.get(0)))).get(0);
            System.out.println("query\t" + query.hash().toHex());
            int rank = 0;
            for (Hit hit : index.knn(Level.DOCUMENT, query.hash(), 3, query.latent())) {
                System.out.println(++rank + "\t" + hit.distance() + "\t" + hit.id() + "\t" + hit.text());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
