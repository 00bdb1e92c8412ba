package io.latentnlp.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model bundle in memory: manifest, vocabulary and ONNX graphs, checked against the manifest's
 * sha256 sums. A bundle on disk is either a zip file (conventionally {@code NAME.vae}) or a
 * directory holding the same files:
 *
 * <pre>
 * manifest.json   format version, latent spec, normalizer, provenance, metrics, sha256 of the rest
 * vocab.txt       one token per line, line number = id
 * subwords.json   the word-piece segmenter (only for an open vocabulary, manifest vocab.units = wordpiece)
 * encoder.onnx    tokens, lengths -&gt; mean, logvar   (see {@link OnnxContract})
 * decoder.onnx    tokens, lengths, z -&gt; logprobs
 * </pre>
 *
 * Immutable after loading.
 */
public final class ModelBundle {

    public static final String MANIFEST = "manifest.json";
    public static final String VOCAB = "vocab.txt";
    public static final String ENCODER = "encoder.onnx";
    public static final String DECODER = "decoder.onnx";
    /** The one-step decoder for generation (optional: bundles exported before generation lack it). */
    public static final String DECODER_STEP = "decoder_step.onnx";
    private static final List<String> REQUIRED = List.of(VOCAB, ENCODER, DECODER);

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String source;
    private final Manifest manifest;
    private final Vocabulary vocabulary;
    private final TokenNormalizer normalizer;
    private final Map<String, byte[]> files;
    private final Subwords subwords;

    private ModelBundle(String source, Manifest manifest, Map<String, byte[]> files) {
        this.source = source;
        this.manifest = manifest;
        this.files = files;
        this.vocabulary = Vocabulary.fromLines(Arrays.asList(new String(files.get(VOCAB), StandardCharsets.UTF_8).split("\n")), source + "!" + VOCAB);
        if (vocabulary.size() != manifest.vocab().size()) {
            throw new BundleException(source + ": " + VOCAB + " has " + vocabulary.size() + " entries but " + MANIFEST + " says " + manifest.vocab().size());
        }
        try {
            this.normalizer = TokenNormalizer.fromSpec(manifest.normalizer());
        } catch (IllegalArgumentException e) {
            throw new BundleException(source + "!" + MANIFEST + ": " + e.getMessage(), e);
        }
        String units = manifest.vocab().unitName();
        if (!units.equals(Manifest.Vocab.WORDS) && !units.equals(Subwords.WORDPIECE)) {
            throw new BundleException(source + "!" + MANIFEST + ": unknown vocabulary units '" + units + "' (known: " + Manifest.Vocab.WORDS + ", "
                    + Subwords.WORDPIECE + ")");
        }
        if (manifest.vocab().wordPieces() != (manifest.formatVersion() == Manifest.FORMAT_VERSION_WORDPIECE)) {
            throw new BundleException(source + "!" + MANIFEST + ": format version " + manifest.formatVersion() + " does not match vocabulary units '"
                    + units + "' (word pieces are format " + Manifest.FORMAT_VERSION_WORDPIECE + ", words " + Manifest.FORMAT_VERSION + ")");
        }
        if (manifest.vocab().wordPieces()) {
            if (!files.containsKey(Subwords.FILE)) {
                throw new BundleException(source + ": missing " + Subwords.FILE + " (the manifest says the vocabulary is word pieces)");
            }
            this.subwords = Subwords.fromJson(files.get(Subwords.FILE), source + "!" + Subwords.FILE);
            if (!subwords.vocabulary().tokens().equals(vocabulary.tokens())) {
                throw new BundleException(source + "!" + Subwords.FILE + ": its pieces are not the entries of " + VOCAB + " (the two files do not belong together)");
            }
        } else {
            this.subwords = null;
        }
    }

    /**
     * Loads and verifies a bundle from a zip file or a directory.
     *
     * @throws BundleException naming the bundle and the file when anything is missing or wrong
     */
    public static ModelBundle load(Path path) {
        String source = path.toString();
        if (!Files.exists(path)) {
            throw new BundleException("model bundle not found: " + source + " (give a .vae file or a bundle directory)");
        }
        Map<String, byte[]> raw;
        try {
            raw = Files.isDirectory(path) ? readDirectory(path) : readZip(path);
        } catch (ZipException e) {
            throw new BundleException(source + " is not a readable bundle (corrupt zip: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BundleException("cannot read model bundle " + source + ": " + e.getMessage(), e);
        }
        return fromFiles(source, raw);
    }

    /** Verifies a bundle given as file name to content; {@code source} names it in errors. */
    public static ModelBundle fromFiles(String source, Map<String, byte[]> raw) {
        byte[] manifestBytes = raw.get(MANIFEST);
        if (manifestBytes == null) {
            throw new BundleException(source + ": missing " + MANIFEST + " (is this a latent-nlp model bundle?)");
        }
        Manifest manifest;
        try {
            manifest = JSON.readValue(manifestBytes, Manifest.class);
        } catch (IOException e) {
            throw new BundleException(source + "!" + MANIFEST + " is not valid manifest JSON: " + e.getMessage(), e);
        }
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION && manifest.formatVersion() != Manifest.FORMAT_VERSION_WORDPIECE) {
            throw new BundleException(source + "!" + MANIFEST + ": unknown bundle format version " + manifest.formatVersion()
                    + "; this library reads versions " + Manifest.FORMAT_VERSION + " and " + Manifest.FORMAT_VERSION_WORDPIECE);
        }
        if (manifest.latent() == null || manifest.vocab() == null || manifest.architecture() == null || manifest.normalizer() == null || manifest.files() == null) {
            throw new BundleException(source + "!" + MANIFEST + ": incomplete manifest (needs latent, architecture, normalizer, vocab and files)");
        }
        if (manifest.vocab().maxLength() < 1) {
            throw new BundleException(source + "!" + MANIFEST + ": vocab.maxLength " + manifest.vocab().maxLength()
                    + " must be at least 1 (the longest training sentence in tokens; longer input is truncated to it)");
        }
        Manifest.Latent latent = manifest.latent();
        if (latent.type() == null || latent.type() == LatentType.NONE || latent.dim() < 1
                || (latent.type() == LatentType.CATEGORICAL) != (latent.categories() != 0)
                || (latent.type() == LatentType.CATEGORICAL && latent.categories() < 2)) {
            throw new BundleException(source + "!" + MANIFEST + ": bad latent spec " + latent
                    + " (needs type gaussian, bernoulli or categorical, dim >= 1, and categories >= 2 exactly when categorical)");
        }
        Manifest.Hash hash = manifest.hash();
        String hashProblem = hash == null ? null : LatentHasher.mismatch(hash, latent);
        if (hashProblem != null) {
            throw new BundleException(source + "!" + MANIFEST + ": " + hashProblem);
        }
        try {
            OnnxContract.encoderInputs(manifest.encoderFamily());
        } catch (BundleException e) {
            throw new BundleException(source + "!" + MANIFEST + ": " + e.getMessage(), e);
        }
        if (Manifest.Encoder.PRETRAINED.equals(manifest.encoderFamily())
                && (manifest.encoder().backbone() == null || manifest.encoder().backbone().name() == null)) {
            throw new BundleException(source + "!" + MANIFEST + ": the pretrained encoder family needs a backbone (name, sha256, dim, pooling, maxPieces)");
        }
        for (String name : REQUIRED) {
            if (!raw.containsKey(name)) {
                throw new BundleException(source + ": missing " + name);
            }
            if (!manifest.files().containsKey(name)) {
                throw new BundleException(source + "!" + MANIFEST + " lists no checksum for " + name);
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : manifest.files().entrySet()) {
            byte[] content = raw.get(e.getKey());
            if (content == null) {
                throw new BundleException(source + ": missing " + e.getKey() + " (listed in " + MANIFEST + ")");
            }
            String actual = sha256(content);
            if (!actual.equalsIgnoreCase(e.getValue())) {
                throw new BundleException(source + "!" + e.getKey() + ": checksum mismatch (sha256 " + actual + ", manifest says " + e.getValue()
                        + "); the file is corrupt or was changed after export");
            }
            files.put(e.getKey(), content);
        }
        return new ModelBundle(source, manifest, files);
    }

    /**
     * Writes a bundle: to a zip file when {@code out} ends in {@code .vae} or {@code .zip},
     * otherwise to a directory. The manifest's {@code files} are computed here.
     *
     * @param graphs file name to content, at least {@link #ENCODER} and {@link #DECODER}
     * @return the bundle as it will load
     */
    public static ModelBundle write(Path out, Manifest manifest, Vocabulary vocabulary, Map<String, byte[]> graphs) throws IOException {
        Map<String, byte[]> content = new TreeMap<>(graphs);
        content.put(VOCAB, String.join("\n", vocabulary.tokens()).concat("\n").getBytes(StandardCharsets.UTF_8));
        Map<String, String> sums = new TreeMap<>();
        content.forEach((k, v) -> sums.put(k, sha256(v)));
        Manifest withSums = manifest.withFiles(sums);
        content.put(MANIFEST, JSON.writeValueAsBytes(withSums));
        String name = out.getFileName().toString();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        if (name.endsWith(".vae") || name.endsWith(".zip")) {
            Path tmp = out.resolveSibling(name + ".tmp");
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                for (Map.Entry<String, byte[]> e : content.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.createDirectories(out);
            for (Map.Entry<String, byte[]> e : content.entrySet()) {
                Files.write(out.resolve(e.getKey()), e.getValue());
            }
        }
        return fromFiles(out.toString(), content);
    }

    private static Map<String, byte[]> readDirectory(Path dir) throws IOException {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        try (var stream = Files.list(dir)) {
            for (Path p : (Iterable<Path>) stream::iterator) {
                if (Files.isRegularFile(p)) {
                    raw.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return raw;
    }

    private static Map<String, byte[]> readZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readZip(in);
        }
    }

    /** The entries of a bundle zip read from a stream, which is closed. */
    static Map<String, byte[]> readZip(InputStream in) throws IOException {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.isDirectory()) {
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    zip.transferTo(buf);
                    raw.put(entry.getName(), buf.toByteArray());
                }
            }
        } catch (IllegalArgumentException e) {
            // ZipInputStream throws this for an entry name that is not valid UTF-8 (a damaged file).
            ZipException z = new ZipException("bad entry name (" + e.getMessage() + ")");
            z.initCause(e);
            throw z;
        }
        if (raw.isEmpty()) {
            throw new ZipException("no entries (not a zip file, or empty)");
        }
        return raw;
    }

    /** Lower-case hex sha256 of the bytes. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Where the bundle came from (a path), for messages. */
    public String source() {
        return source;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public TokenNormalizer normalizer() {
        return normalizer;
    }

    /** A sentence encoder with this bundle's normalizer, vocabulary (and word pieces) and maximum length. */
    public SentenceEncoder sentenceEncoder() {
        return sentenceEncoder(manifest.vocab().maxLength());
    }

    /** A sentence encoder with this bundle's normalizer and vocabulary (and word pieces), truncating at {@code maxLength} units. */
    public SentenceEncoder sentenceEncoder(int maxLength) {
        return new SentenceEncoder(normalizer, vocabulary, maxLength, subwords);
    }

    /** Ids as words: their vocabulary entries, word pieces of an open vocabulary joined into words. */
    public List<String> words(int[] ids) {
        List<String> units = new java.util.ArrayList<>(ids.length);
        for (int id : ids) {
            units.add(vocabulary.token(id));
        }
        return subwords == null ? units : Subwords.join(units);
    }

    /** The word-piece segmenter of an open vocabulary; null for a word vocabulary. */
    public Subwords subwords() {
        return subwords;
    }

    /** Whether the bundle has a file, e.g. {@link #DECODER_STEP}. */
    public boolean hasFile(String name) {
        return files.containsKey(name);
    }

    /** The bytes of a bundle file, e.g. {@link #ENCODER}. */
    public byte[] file(String name) {
        byte[] b = files.get(name);
        if (b == null) {
            throw new BundleException(source + ": missing " + name);
        }
        return b;
    }
}
