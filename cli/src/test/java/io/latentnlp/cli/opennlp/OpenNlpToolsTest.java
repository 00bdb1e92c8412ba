package io.latentnlp.cli.opennlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenNLP tools as users call them: stdin to stdout, OpenNLP-style arguments, exit codes. */
class OpenNlpToolsTest {

    @TempDir
    static Path dir;

    static Path model;

    private static CliRun run(byte[] stdin, String... args) {
        return CliRun.capture(stdin, () -> OpenNlpTools.run(args));
    }

    private static Path corpus(Path file, int n, long seed) throws Exception {
        return CliRun.corpus(file, n, seed);
    }

    @BeforeAll
    static void trainWithTheTrainerTool() throws Exception {
        Path train = corpus(dir.resolve("train.txt"), 150, 1);
        Path valid = corpus(dir.resolve("valid.txt"), 30, 2);
        model = dir.resolve("tool.vae");
        CliRun r = run(new byte[0], "SentenceVaeTrainer", "-data", train.toString(), "-valid", valid.toString(), "-model", model.toString(),
                "-latentDim", "16", "-epochs", "1", "-pretrainEpochs", "0", "-vocabSize", "50", "-freeBits", "0.1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bundle: " + model), r.out());
    }

    @Test
    void everyInputLineGivesOneOutputLineEmptyOnesIncluded() {
        String input = "the cat sat on a mat .\n\nships sail the wide sea today .\n" + "the cat ".repeat(80) + ".\n";
        CliRun r = run(input.getBytes(StandardCharsets.UTF_8), "SentenceVae", "-model", model.toString(), "-iwae", "3");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n", -1);
        assertEquals(5, lines.length, "4 lines in, 4 out (plus the final newline): " + r.out());
        assertEquals("", lines[1], "an empty line gives an empty line");
        String[] f = lines[0].split("\t");
        assertEquals(4, f[0].length(), "a 16-bit hash in hex");
        assertTrue(Double.parseDouble(f[1]) < 0 && Double.parseDouble(f[2]) < 0, "log p(x|z) and IWAE log p(x)");
        assertEquals("8", f[3], "7 tokens + </s>");
        assertEquals(16, f[7].split(",").length, "16 bit probabilities");
        assertEquals("true", lines[3].split("\t")[5], "the 161-token line is truncated and flagged");
        assertTrue(r.err().contains("Total: 4 sent"), "throughput on stderr as OpenNLP tools report it: " + r.err());
    }

    @Test
    void jsonRawTextAndInvalidUtf8() throws Exception {
        CliRun json = run("The cat sat on the mat.\n".getBytes(StandardCharsets.UTF_8), "SentenceVae", "-model", model.toString(), "-format", "json", "-raw", "true");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().startsWith("{\"line\":1,\"hash\":\""), json.out());
        assertTrue(json.out().contains("\"modelTokens\":8"), "raw text split into 7 tokens by TokenizerME: " + json.out());

        byte[] bad = {'o', 'k', '\n', 'b', 'a', 'd', (byte) 0xff, '\n'};
        CliRun strict = run(bad, "SentenceVae", "-model", model.toString());
        assertEquals(-1, strict.code());
        assertTrue(strict.err().contains("stdin: invalid UTF-8 at byte 6 (line 2): 0xff; fix the input or pass -replaceInvalid true"), strict.err());
        CliRun replaced = run(bad, "SentenceVae", "-model", model.toString(), "-replaceInvalid", "true");
        assertEquals(0, replaced.code(), replaced.err());
        String[] lines = replaced.out().split("\n");
        assertEquals(2, lines.length);
        assertEquals("false", lines[0].split("\t")[6]);
        assertEquals("true", lines[1].split("\t")[6], "the replaced line is flagged");
    }

    @Test
    void carriageReturnsAloneEndLines() {
        CliRun r = run("the cat sat .\rships sail the sea .\r\rthe mat .\r".getBytes(StandardCharsets.UTF_8), "SentenceVae", "-model", model.toString(),
                "-format", "json");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n", -1);
        assertEquals(5, lines.length, "4 CR-ended lines in, 4 out: " + r.out());
        assertTrue(lines[1].startsWith("{\"line\":2,") && lines[2].isEmpty() && lines[3].startsWith("{\"line\":4,"), r.out());
        assertTrue(lines[1].contains("\"modelTokens\":6"), "5 tokens + </s>, not the whole input as one line: " + lines[1]);
    }

    @Test
    void booleanParametersTakeOnlyTrueOrFalse() {
        byte[] in = "the cat sat .\n".getBytes(StandardCharsets.UTF_8);
        CliRun raw = run(in, "SentenceVae", "-model", model.toString(), "-raw", "yes");
        assertEquals(1, raw.code(), "a usage error, not -raw false: " + raw.out());
        assertEquals("", raw.out());
        assertTrue(raw.err().contains("illegal value for -raw: 'yes'; use true or false"), raw.err());
        CliRun replace = run(in, "SentenceVae", "-model", model.toString(), "-replaceInvalid", "maybe");
        assertEquals(1, replace.code());
        assertTrue(replace.err().contains("illegal value for -replaceInvalid: 'maybe'; use true or false"), replace.err());
        CliRun format = run(in, "SentenceVae", "-model", model.toString(), "-format", "xml");
        assertTrue(format.code() == 1 && format.err().contains("illegal value for -format: 'xml'; use tsv or json"), format.err());
    }

    @Test
    void usageNamesTheLauncherOnceAndEmptyInputSaysSo() {
        CliRun help = run(new byte[0], "SentenceVae", "-help");
        assertEquals(0, help.code());
        String first = help.out().lines().findFirst().orElse("");
        assertTrue(first.startsWith("Usage: latent-nlp opennlp SentenceVae [") && first.endsWith(" < sentences"), first);
        assertEquals(1, help.out().split("Usage:", -1).length - 1, "one usage line: " + help.out());
        CliRun bad = run(new byte[0], "SentenceVaeEvaluator", "-data");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("Usage: latent-nlp opennlp SentenceVaeEvaluator ") && !bad.err().contains("Usage: opennlp"), bad.err());

        CliRun empty = run(new byte[0], "SentenceVae", "-model", model.toString());
        assertEquals(0, empty.code(), "empty input is not an error: nothing in, nothing out");
        assertEquals("", empty.out());
        assertTrue(empty.err().contains("SentenceVae: no input: it reads sentences from stdin, one per line (-help for the usage)"), empty.err());
    }

    @Test
    void helpListsTheToolsOnStdout() {
        for (String flag : new String[] {"--help", "-help", "-h"}) {
            CliRun help = run(new byte[0], flag);
            assertEquals(0, help.code(), flag + ": " + help.err());
            assertEquals("", help.err(), flag + " is not a tool name: " + help.err());
            assertTrue(help.out().startsWith("Usage: latent-nlp opennlp TOOL [args]") && help.out().contains("SentenceVaeEvaluator")
                    && help.out().contains("SentenceVaeTrainer"), help.out());
        }
        CliRun launcher = CliRun.capture(new byte[0], () -> io.latentnlp.cli.LatentNlp.execute("opennlp", "--help"));
        assertEquals(0, launcher.code(), launcher.err());
        assertTrue(launcher.out().contains("SentenceVae "), launcher.out());
    }

    @Test
    void missingInputFilesAreNamedByTheirOption() {
        Path absent = dir.resolve("absent.txt");
        CliRun eval = run(new byte[0], "SentenceVaeEvaluator", "-model", model.toString(), "-data", absent.toString());
        assertEquals(-1, eval.code());
        assertTrue(eval.err().contains("The -data sentences file does not exist! Path: " + absent) && !eval.err().contains("file file"), eval.err());
        CliRun train = run(new byte[0], "SentenceVaeTrainer", "-data", absent.toString(), "-valid", absent.toString(), "-model", dir.resolve("x.vae").toString());
        assertEquals(-1, train.code());
        assertTrue(train.err().contains("The -data training file does not exist! Path: " + absent) && !train.err().contains("file file"), train.err());
    }

    @Test
    void theIwaeColumnIsEmptyWhenIwaeWasNotAskedFor() {
        byte[] in = "the cat sat on a mat .\n".getBytes(StandardCharsets.UTF_8);
        String[] off = run(in, "SentenceVae", "-model", model.toString()).out().strip().split("\t", -1);
        assertEquals(8, off.length, String.join("|", off));
        assertTrue(Double.parseDouble(off[1]) < 0, "log p(x|z) " + off[1]);
        assertEquals("", off[2], "no IWAE without -iwae, not NaN");
        String[] on = run(in, "SentenceVae", "-model", model.toString(), "-iwae", "2").out().strip().split("\t", -1);
        assertTrue(Double.parseDouble(on[2]) < 0, "IWAE log p(x) with -iwae 2: " + on[2]);
    }

    @Test
    void theLauncherMapsOpenNlpExitCodesToItsOwn() {
        byte[] in = "the cat sat .\n".getBytes(StandardCharsets.UTF_8);
        CliRun usage = CliRun.capture(in, () -> io.latentnlp.cli.LatentNlp.execute("opennlp", "SentenceVae", "-model", model.toString(), "-raw", "yes"));
        assertEquals(2, usage.code(), "bad usage: " + usage.err());
        CliRun failure = CliRun.capture(in, () -> io.latentnlp.cli.LatentNlp.execute("opennlp", "SentenceVae", "-model", dir.resolve("nope.vae").toString()));
        assertEquals(1, failure.code(), "a failure: " + failure.err());
        assertEquals(2, CliRun.capture(in, () -> io.latentnlp.cli.LatentNlp.execute("opennlp", "NoSuchTool")).code());
    }

    @Test
    void withoutAModelTheToolUsesTheShippedDefault() {
        CliRun r = run("The jury said it did not find any evidence .\n\nShe smiled .\n".getBytes(StandardCharsets.UTF_8), "SentenceVae");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n", -1);
        assertEquals(4, lines.length, "three lines in, three out (and the final newline): " + r.out());
        assertTrue(lines[0].split("\t")[0].matches("[0-9a-f]{16}"), "a 64-bit hash of the default Bernoulli model: " + lines[0]);
        assertEquals("", lines[1]);
        assertEquals(0, Integer.parseInt(lines[2].split("\t")[4]), "no unknown words for a Brown model: " + lines[2]);
    }

    @Test
    void theEvaluatorAndBadArgumentsAndModels() throws Exception {
        CliRun e = run(new byte[0], "SentenceVaeEvaluator", "-model", model.toString(), "-data", dir.resolve("valid.txt").toString(), "-iwae", "3");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("IW-NLL (K=3)") && e.out().contains("active units"), e.out());
        CliRun missing = run(new byte[0], "SentenceVae", "-model", dir.resolve("nope.vae").toString());
        assertEquals(-1, missing.code());
        assertTrue(missing.err().contains("-model " + dir.resolve("nope.vae") + ": model not found"), missing.err());
        CliRun usage = run(new byte[0], "SentenceVaeEvaluator");
        assertEquals(1, usage.code(), "missing arguments give the usage");
        assertTrue((usage.out() + usage.err()).contains("-data sentencesFile"), usage.out() + usage.err());
        assertTrue((usage.out() + usage.err()).contains("[-model model]"), "the model is optional: " + usage.out() + usage.err());
        CliRun list = run(new byte[0]);
        assertEquals(1, list.code());
        assertTrue(list.err().contains("SentenceVaeEvaluator"), list.err());
    }
}
