package io.latentnlp.cli;

import io.latentnlp.index.HashIndex;
import io.latentnlp.index.IndexIdentity;
import io.latentnlp.index.ShardManifest;
import io.latentnlp.index.ShardedHashIndex;
import io.latentnlp.index.SubstringLayout;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.index.WritableIndex;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.corpus.ProgressBar;
import io.latentnlp.corpus.CorpusFormat;
import io.latentnlp.corpus.CorpusReader;
import io.latentnlp.corpus.CorpusSentence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code latent-nlp index add}: encodes texts with a model and adds them to an index, one or sharded; every file and id is checked before anything is written. */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Encodes texts with a model and adds them to an index (created when DIR holds none).",
            "A .tsv file is a Brown-style corpus (doc, genre, tokens per line): one text per doc id, which is its id. Any other file is one",
            "text, one whitespace-tokenized sentence per line (--raw: raw text cut into sentences and tokens as `annotate` cuts it),",
            "whose id is its path relative to --root (normalized, '/'-separated: a/notes.txt and b/notes.txt are two texts), or its",
            "normalized absolute path when it is not under --root, or --id for a single file. Two texts of one call with the same id are",
            "an error naming both; so is an id the index already holds, unless --replace, and an empty id or one over Lucene's 32,766",
            "UTF-8 bytes. Every file and id is checked before anything is written. Sentence codes are the model's hashes; a document's",
            "code is the majority vote of its sentences' bits. A sharded index (DIR/shards.json, from the Spark index job) takes each",
            "text into the shard the job's partitioning gives its id. Commits every --commit-every texts and at the end; a killed run",
            "keeps every committed text."
        })
final class IndexAddCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory: one index, or a sharded index (shards.json).")
    Path index;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT,
            description = LatentNlp.MODEL_HELP + " whose hashes the index holds; default ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
            description = "Ids of non-.tsv files under DIR are their paths relative to it (default: the current directory); other files' ids are"
                    + " their absolute paths.")
    Path root;

    @Option(names = "--id", paramLabel = "ID", description = "The id of the text, when FILES is one non-.tsv file.")
    String id;

    @Option(names = "--replace", description = "Replace texts whose ids the index already holds (default: refuse, naming them).")
    boolean replace;

    @Option(names = "--substrings", defaultValue = "0",
            description = "Multi-index hashing substrings m for a new index, 0 = chosen from the codes when searched (default: ${DEFAULT-VALUE}).")
    int substrings;

    @Option(names = "--commit-every", defaultValue = "1000", description = "Texts between commits (default: ${DEFAULT-VALUE}).")
    int commitEvery;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--raw", description = "Non-.tsv files are raw text, cut into sentences and tokens by CoreNLP's tokenize,ssplit as `annotate`"
            + " cuts them (default: one whitespace-tokenized sentence per line).")
    boolean raw;

    @Parameters(arity = "1..*", paramLabel = "FILES", description = "Texts to index.")
    List<Path> files;

    /** A text to add: its sentences and where it came from (for messages). */
    private record Source(String where, List<List<String>> sentences) {}

    @Override
    public Integer call() throws Exception {
        UsageException.atLeast("--commit-every", commitEvery, 1);
        UsageException.atLeast("--substrings", substrings, 0);
        UsageException.atLeast("--threads", threads, 0);
        if (id != null && (files.size() != 1 || CorpusFormat.guess(files.get(0)) == CorpusFormat.BROWN)) {
            throw new UsageException("--id names the text of one non-.tsv file (a .tsv's ids are its first column); got " + files.size() + " files: " + files);
        }
        if (id != null && (id.isBlank() || HashIndex.idProblem(id) != null)) {
            throw UsageException.invalid("--id", "'" + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'",
                    id.isBlank() ? "must not be blank" : HashIndex.idProblem(id));
        }
        if (Files.exists(index) && !Files.isDirectory(index)) {
            throw new IllegalArgumentException("--index " + index + " is a file, not an index directory; give a directory (it is created when missing)");
        }
        boolean sharded = ShardManifest.isSharded(index);
        if (sharded && substrings > 0) {
            throw UsageException.invalid("--substrings", substrings, index + " is a sharded index, whose shards keep their own layout; drop --substrings");
        }
        Map<String, Source> texts = read();
        ModelBundle bundle = ShippedModels.resolve(model);
        IndexIdentity identity = IndexIdentity.of(bundle);
        if (substrings > 0 && !HashIndex.exists(index)) {
            try {
                new SubstringLayout(identity.bits(), substrings);
            } catch (IllegalArgumentException e) {
                throw UsageException.invalid("--substrings", substrings, e.getMessage());
            }
        }
        long sentences = texts.values().stream().mapToLong(t -> t.sentences().size()).sum();
        // The model first (a new index is created only once it runs); then one open of the index
        // (issue 25): the writer answers which ids exist, before anything is encoded or written.
        try (SentenceVae vae = SentenceVae.open(bundle, new SentenceVae.Options(threads, 64));
                WritableIndex idx = ShardedHashIndex.openAnyForWriting(index, identity, substrings)) {
            write(idx, new TextEncoder(vae), texts, sentences, checkExisting(idx, texts));
        }
        return 0;
    }

    /** Encodes and adds the texts, committing every --commit-every; progress counts sentences, so one long text shows it too. */
    private void write(WritableIndex idx, TextEncoder encoder, Map<String, Source> texts, long sentences, int replaced) throws java.io.IOException {
        long start = System.nanoTime();
        ProgressBar bar = new ProgressBar("index", sentences, System.err);
        int done = 0;
        int committed = 0;
        long encoded = 0;
        try {
            for (Map.Entry<String, Source> e : texts.entrySet()) {
                long before = encoded;
                int soFar = done;
                idx.add(encoder.text(e.getKey(), e.getValue().sentences(), n -> bar.update(before + n, rate(soFar, start))));
                encoded += e.getValue().sentences().size();
                done++;
                if (done % commitEvery == 0) {
                    idx.commit();
                    committed = done;
                }
                bar.update(encoded, rate(done, start));
            }
            idx.commit();
            committed = done;
        } catch (java.io.IOException e) {
            throw new java.io.IOException(e.getMessage() + "; " + committed + " of " + texts.size() + " " + IndexCommand.plural(texts.size(), "text", "texts")
                    + " committed, the rest not indexed", e);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        bar.finish(rate(done, start));
        HashIndex.Stats stats = idx.stats();
        System.out.printf("indexed %d %s (%d %s%s) in %.1f s: %.1f documents/s, %.0f sentences/s; index now %d %s, %d %s%n",
                done, IndexCommand.plural(done, "text", "texts"), sentences, IndexCommand.plural(sentences, "sentence", "sentences"), replaced > 0 ? ", " + replaced + " replaced" : "",
                secs, done / secs, sentences / secs, stats.documents(), IndexCommand.plural(stats.documents(), "document", "documents"), stats.sentences(),
                IndexCommand.plural(stats.sentences(), "sentence", "sentences"));
    }

    private static String rate(int done, long start) {
        double secs = (System.nanoTime() - start) / 1e9;
        return String.format("%d texts, %.1f documents/s", done, done / Math.max(secs, 1e-9));
    }

    /** Every file read and every id assigned and checked, or an error naming the file (and line) and the clash. */
    private Map<String, Source> read() throws java.io.IOException {
        Path base = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            throw new IllegalArgumentException("--root " + root + " is not a directory");
        }
        RawText splitter = raw ? new RawText() : null;
        Map<String, Source> texts = new LinkedHashMap<>();
        for (Path f : files) {
            if (CorpusFormat.guess(f) == CorpusFormat.BROWN) {
                Map<String, Source> own = new LinkedHashMap<>();
                for (CorpusSentence s : sentencesOf(f)) {
                    String problem = HashIndex.idProblem(s.docId());
                    if (problem != null) {
                        throw new IllegalArgumentException(f + ":" + s.line() + ": " + problem + " (the first column of a .tsv is the text's id);"
                                + " nothing was indexed");
                    }
                    own.computeIfAbsent(s.docId(), x -> new Source(f + ":" + s.line(), new ArrayList<>())).sentences().add(s.tokens());
                }
                own.forEach((docId, source) -> put(texts, docId, source));
            } else {
                String textId = id != null ? id : pathId(base, f);
                String problem = HashIndex.idProblem(textId);
                if (problem != null) {
                    throw new IllegalArgumentException(f + ": " + problem + " (its id is its path); give --id; nothing was indexed");
                }
                List<List<String>> sentences = new ArrayList<>();
                if (splitter != null) {
                    sentences.addAll(splitter.sentences(AnnotateCommand.read(f.toString())));
                    if (sentences.isEmpty()) {
                        throw new IllegalArgumentException(f + ": no text to index (empty or blank); nothing was indexed");
                    }
                } else {
                    for (CorpusSentence s : sentencesOf(f)) {
                        sentences.add(s.tokens());
                    }
                }
                put(texts, textId, new Source(f.toString(), sentences));
            }
        }
        return texts;
    }

    /** A file's lines as the corpus reader reads them; an empty file is said to be one, not "an empty corpus cannot train". */
    private static List<CorpusSentence> sentencesOf(Path f) throws java.io.IOException {
        try {
            return CorpusReader.read(f).sentences();
        } catch (io.latentnlp.corpus.CorpusException e) {
            if (Files.isRegularFile(f) && Files.size(f) < (1 << 20) && Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).isBlank()) {
                throw new IllegalArgumentException(f + ": no text to index (" + (Files.size(f) == 0 ? "an empty file" : "only blank lines")
                        + "); give files with at least one sentence; nothing was indexed", e);
            }
            throw e;
        }
    }

    /** The id of a non-.tsv file: its path relative to --root, or its normalized absolute path when it lies outside (issue 27). */
    private static String pathId(Path base, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (!abs.startsWith(base) || abs.equals(base)) {
            return abs.toString().replace(java.io.File.separatorChar, '/');
        }
        List<String> parts = new ArrayList<>();
        base.relativize(abs).forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private static void put(Map<String, Source> texts, String id, Source source) {
        Source other = texts.putIfAbsent(id, source);
        if (other != null) {
            throw new IllegalArgumentException("two texts have the id '" + id + "': " + other.where() + " and " + source.where()
                    + "; ids must be unique (a path relative to --root, --id for one file, a .tsv's id column); nothing was indexed");
        }
    }

    /** How many of the texts replace indexed ones; without --replace, any is an error naming them. */
    private int checkExisting(WritableIndex idx, Map<String, Source> texts) throws java.io.IOException {
        Set<String> existing = idx.existing(texts.keySet());
        if (!existing.isEmpty() && !replace) {
            List<String> named = existing.stream().limit(5).map(i -> "'" + i + "' (" + texts.get(i).where() + ")").toList();
            throw new IllegalArgumentException(existing.size() + " of the ids are already in index " + index + ": " + String.join(", ", named)
                    + (existing.size() > 5 ? ", ..." : "") + "; pass --replace to replace those texts, or give other ids (--root, --id); nothing was indexed");
        }
        return existing.size();
    }
}
