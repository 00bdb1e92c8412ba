package io.latentnlp.index.bench;

import io.latentnlp.index.PackedCodes;
import io.latentnlp.index.TextEncoder;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.runtime.SentenceVae;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Real semantic hashes for the search benchmark: the distinct sentences of corpus files encoded
 * once with a model through {@link TextEncoder} (the path {@code latent-nlp index add} takes),
 * cached as a text file of {@code hex<TAB>sentence} lines, and replicated to any size with small
 * perturbations ({@link #replicate}).
 */
public final class RealCodes {

    /** Distinct sentences and their codes, in first-seen order. */
    public record Encoded(int bits, List<String> sentences, PackedCodes codes) {}

    private RealCodes() {}

    /**
     * The distinct sentences of corpus files: the third tab-separated column of a Brown-style .tsv
     * line (doc, genre, tokens), otherwise the whole line; blank lines skipped. First-seen order.
     */
    public static List<String> distinctSentences(List<Path> files) throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] cols = line.split("\t", -1);
                String s = (cols.length >= 3 ? cols[2] : line).trim();
                if (!s.isEmpty()) {
                    seen.add(s);
                }
            }
        }
        return new ArrayList<>(seen);
    }

    /** Encodes whitespace-tokenized sentences in batches and writes {@code hex<TAB>sentence} lines to {@code out}. */
    public static void encode(SentenceVae model, List<String> sentences, Path out, PrintStream log) throws IOException {
        TextEncoder encoder = new TextEncoder(model);
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        long start = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            int batch = 256;
            for (int from = 0; from < sentences.size(); from += batch) {
                List<String> part = sentences.subList(from, Math.min(sentences.size(), from + batch));
                List<List<String>> tokens = part.stream().map(s -> Arrays.asList(s.split("\\s+"))).toList();
                List<TextEncoder.Encoded> codes = encoder.encode(tokens);
                for (int i = 0; i < part.size(); i++) {
                    w.write(codes.get(i).hash().toHex());
                    w.write('\t');
                    w.write(part.get(i));
                    w.write('\n');
                }
                int done = from + part.size();
                if (from / batch % 20 == 0 || done == sentences.size()) {
                    double secs = (System.nanoTime() - start) / 1e9;
                    log.printf(Locale.ROOT, "  encoded %,d of %,d sentences (%.0f/s)%n", done, sentences.size(), done / Math.max(secs, 1e-9));
                }
            }
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a file written by {@link #encode}. */
    public static Encoded read(Path file, int bits) throws IOException {
        List<String> sentences = new ArrayList<>();
        PackedCodes codes = new PackedCodes(bits, 1 << 16);
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IOException(file + ":" + lineNo + ": not a 'hex<TAB>sentence' line of a codes file written by the benchmark's encoding step");
            }
            codes.add(SemanticHash.fromHex(line.substring(0, tab), bits), null);
            sentences.add(line.substring(tab + 1));
        }
        if (sentences.isEmpty()) {
            throw new IOException(file + " holds no codes");
        }
        return new Encoded(bits, sentences, codes);
    }

    /**
     * Code number {@code i} of a replicated set: base code {@code i mod bases}; copy 0 is the base
     * itself, every later copy has 1 to {@code maxFlips} (at most 64) distinct random bits flipped
     * (uniform count, uniform positions; seeded by {@code seed} and i, so any code can be regenerated).
     */
    public static long[] replica(PackedCodes base, int[] baseIndex, long i, int maxFlips, long seed) {
        int b = (int) (i % baseIndex.length);
        long[] code = base.code(baseIndex[b]);
        if (i < baseIndex.length || maxFlips == 0) {
            return code;
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        int bits = base.bits();
        int flips = 1 + rng.nextInt(Math.min(maxFlips, Math.min(bits, 64)));
        long done = 0; // positions already flipped, modulo 64 (exact for codes of up to 64 bits)
        for (int f = 0; f < flips; ) {
            int bit = rng.nextInt(bits);
            long mark = 1L << (bit & 63);
            if ((done & mark) != 0) {
                continue;
            }
            done |= mark;
            code[bit >>> 6] ^= 1L << (63 - (bit & 63));
            f++;
        }
        return code;
    }
}
