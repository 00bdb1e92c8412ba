package io.latentnlp.training.corpus;

import io.latentnlp.models.text.InvalidUtf8Exception;
import io.latentnlp.models.text.Utf8LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a corpus file strictly as UTF-8: invalid bytes are an error that names the file, line and
 * byte offset (never silently replaced, so nothing is lost without notice). Lines end at
 * {@code \n}, {@code \r\n} or a lone {@code \r} ({@link Utf8LineReader}). Blank lines are skipped
 * and counted. Stateless.
 */
public final class CorpusReader {

    private CorpusReader() {}

    /** Reads the file in the format its name suggests ({@link CorpusFormat#guess}). */
    public static Corpus read(Path file) {
        return read(file, CorpusFormat.guess(file));
    }

    /**
     * Reads a corpus file.
     *
     * @throws CorpusException when the file is missing, not UTF-8, malformed, or has no sentence
     */
    public static Corpus read(Path file, CorpusFormat format) {
        List<CorpusSentence> sentences = new ArrayList<>();
        int lineNo = 0;
        int blank = 0;
        // The shared line reader splits on raw bytes and decodes one line at a time, so an error
        // names its own line (a buffered Reader decodes ahead and would report the wrong one).
        try (InputStream in = Files.newInputStream(file)) {
            Utf8LineReader reader = new Utf8LineReader(in, false);
            for (Utf8LineReader.Line line = reader.next(); line != null; line = reader.next()) {
                lineNo = line.number();
                if (line.text().isBlank()) {
                    blank++;
                    continue;
                }
                sentences.add(parse(file, lineNo, line.text(), format));
            }
        } catch (InvalidUtf8Exception e) {
            throw new CorpusException(file + ":" + e.line() + ": " + e.getMessage() + "; convert the file to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)", e);
        } catch (NoSuchFileException e) {
            throw new CorpusException("corpus file not found: " + file, e);
        } catch (IOException e) {
            throw new CorpusException("cannot read corpus file " + file + ": " + e.getMessage(), e);
        }
        if (sentences.isEmpty()) {
            throw new CorpusException(file + ": no sentences (" + lineNo + " lines, " + blank + " blank); an empty corpus cannot train or evaluate a model");
        }
        return new Corpus(file.toString(), List.copyOf(sentences), lineNo, blank);
    }

    private static CorpusSentence parse(Path file, int lineNo, String line, CorpusFormat format) {
        if (format == CorpusFormat.PLAIN) {
            return new CorpusSentence(file.getFileName() + ":" + lineNo, "", tokens(line), lineNo);
        }
        String[] parts = line.split("\t", -1);
        if (parts.length != 3) {
            throw new CorpusException(file + ":" + lineNo + ": expected 3 tab-separated fields (docId, genre, tokens) in the prepared Brown format, found " + parts.length);
        }
        return new CorpusSentence(parts[0], parts[1], tokens(parts[2]), lineNo);
    }

    private static List<String> tokens(String text) {
        String s = text.strip();
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\s+"));
    }
}
