package io.latentnlp.cli;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.SentenceVae;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real index for the serve tests: every line of docs/sample.txt and docs/everyday.txt is one text
 * (ids {@code sample-NN}, {@code everyday-NN}, numbered from 1 per file), encoded with the shipped
 * default model into a Lucene {@link HashIndex}.
 */
final class ServeFixture {

    private ServeFixture() {}

    /** The lines of the two docs files, in order: what the index holds. */
    static List<String[]> texts() throws Exception {
        Path docs = projectRoot().resolve("docs");
        List<String[]> out = new ArrayList<>();
        for (String name : List.of("sample", "everyday")) {
            List<String> lines = Files.readAllLines(docs.resolve(name + ".txt")).stream().filter(l -> !l.isBlank()).toList();
            for (int i = 0; i < lines.size(); i++) {
                out.add(new String[] {String.format("%s-%02d", name, i + 1), lines.get(i)});
            }
        }
        return out;
    }

    /** Builds the index in {@code dir} and returns it. */
    static Path buildIndex(Path dir) throws Exception {
        ModelBundle bundle = ShippedModels.resolve(null);
        Path index = dir.resolve("index");
        try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults());
                HashIndex idx = HashIndex.openForWriting(index, IndexIdentity.of(bundle), 0)) {
            TextEncoder encoder = new TextEncoder(vae);
            for (String[] t : texts()) {
                idx.add(encoder.text(t[0], List.of(TextEncoder.tokenize(t[1]))));
            }
            idx.commit();
        }
        return index;
    }

    /** The checkout's root: the first directory up from the working directory that holds docs/sample.txt. */
    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docs/sample.txt"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/sample.txt above " + Path.of("").toAbsolutePath() + ": run the tests inside the checkout");
    }
}
