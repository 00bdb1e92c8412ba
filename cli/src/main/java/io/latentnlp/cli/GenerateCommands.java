package io.latentnlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.models.analysis.SentenceAnalyzer;
import io.latentnlp.models.analysis.SentenceResult;
import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.latent.LatentSpace;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.latent.Seeds;
import io.latentnlp.models.runtime.SentenceGenerator.Generated;
import io.latentnlp.models.runtime.SentenceGenerator;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SimpleTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code latent-nlp sample | reconstruct | interpolate | neighbours}: decoding sentences from the latent space. */
final class GenerateCommands {

    private GenerateCommands() {}

    /** Model and decoding options shared by the generation commands. */
    static final class Decoding {

        @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT,
            description = LatentNlp.MODEL_HELP + " with decoder_step.onnx; default ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--decode", defaultValue = "greedy", description = "greedy, beam or sample (default: ${DEFAULT-VALUE}).")
        String decode;

        @Option(names = "--beam", defaultValue = "5", description = "Beam width for --decode beam (default: ${DEFAULT-VALUE}).")
        int beam;

        @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--top-p", defaultValue = "0.9", description = "Nucleus sampling: keep the most probable tokens up to this mass (default: ${DEFAULT-VALUE}).")
        double topP;

        @Option(names = "--max-length", defaultValue = "40", description = "Most tokens per sentence (default: ${DEFAULT-VALUE}).")
        int maxLength;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of prior draws, perturbations and sampling (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        /** Checks the decoding options, before any model is loaded. */
        void check() {
            UsageException.oneOf("--decode", decode, "greedy", "beam", "sample");
            UsageException.atLeast("--beam", beam, 1);
            UsageException.atLeast("--max-length", maxLength, 1);
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw UsageException.invalid("--temperature", temperature, "must be a positive finite number");
            }
            if (!(topP > 0 && topP <= 1)) {
                throw UsageException.invalid("--top-p", topP, "must be in (0, 1]");
            }
        }

        List<Generated> decode(SentenceGenerator gen, float[][] z) {
            return switch (decode) {
                case "greedy" -> gen.greedy(z, maxLength);
                case "beam" -> gen.beam(z, beam, maxLength);
                case "sample" -> gen.sample(z, temperature, topP, maxLength, seed);
                default -> throw new IllegalArgumentException("unknown --decode '" + decode + "': use greedy, beam or sample");
            };
        }

        void print(Map<String, Object> row, String plain) throws Exception {
            System.out.println(json ? new ObjectMapper().writeValueAsString(row) : plain);
        }

        /** Loads the model, opens its encoder/decoder and step decoder, runs the task, closes them. */
        int with(ModelTask task) throws Exception {
            check();
            ModelBundle bundle = ShippedModels.resolve(model);
            try (SentenceVae vae = SentenceVae.open(bundle, SentenceVae.Options.defaults());
                    SentenceGenerator gen = SentenceGenerator.open(bundle, SentenceVae.Options.defaults())) {
                task.run(bundle, vae, gen);
            }
            return 0;
        }
    }

    /** What a generation command does with an open model. */
    private interface ModelTask {
        void run(ModelBundle bundle, SentenceVae vae, SentenceGenerator gen) throws Exception;
    }

    /** A text as the model sees it, with what the analyzer says of it. */
    private record Input(String text, SentenceResult result) {
        EncodedSentence encoded() {
            return result.encoded();
        }

        Posterior posterior() {
            return result.posterior();
        }

        String seen(ModelBundle bundle) {
            int[] ids = encoded().ids();
            return String.join(" ", bundle.words(java.util.Arrays.copyOf(ids, ids.length - 1)));
        }
    }

    private static Input input(SentenceVae vae, String text) {
        return input(SentenceAnalyzer.builder(vae).build(), text);
    }

    /** An analyzer that only encodes: interpolate and neighbours need posteriors, not the decoder's score of the input. */
    private static SentenceAnalyzer codesOnly(SentenceVae vae) {
        return SentenceAnalyzer.builder(vae).optLikelihoods(false).build();
    }

    private static Input input(SentenceAnalyzer analyzer, String text) {
        List<String> tokens = SimpleTokenizer.tokenize(text);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the text '" + text + "' has no tokens");
        }
        return new Input(text, analyzer.analyzeTokens(List.of(tokens)).get(0));
    }

    /**
     * The codes of {@code interpolate}: {@code steps} points from the posterior code of {@code from}
     * (read as one sentence) to that of {@code to}, both included ({@link LatentSpace#interpolate}).
     */
    static float[][] interpolationPath(SentenceAnalyzer analyzer, String from, String to, int steps) {
        return LatentSpace.interpolate(input(analyzer, from).posterior(), input(analyzer, to).posterior(), steps).toArray(float[][]::new);
    }

    private static Map<String, Object> row(Generated g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", g.text());
        m.put("log_prob", g.logProb());
        m.put("tokens", g.ids().length);
        m.put("finished", g.finished());
        return m;
    }

    private static String plain(Generated g) {
        return String.format("%-8.2f %s%s", g.logProb(), g.text(), g.finished() ? "" : " [length limit]");
    }

    @Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Decodes N codes drawn from the prior: N(0, I), uniform bits, or a uniform class per group.",
                "One line per sentence on stdout: log-probability of the decoded tokens (</s> included), text."})
    static final class Sample implements Callable<Integer> {

        @Mixin
        Decoding options;

        @Option(names = "-n", defaultValue = "10", description = "Number of sentences (default: ${DEFAULT-VALUE}).")
        int n;

        @Override
        public Integer call() throws Exception {
            UsageException.atLeast("-n", n, 1);
            options.check();
            ModelBundle bundle = ShippedModels.resolve(options.model);
            SplittableRandom rng = Seeds.stream(options.seed, 101);
            float[][] z = new float[n][];
            for (int i = 0; i < n; i++) {
                z[i] = LatentSpace.samplePrior(bundle.manifest().latent(), rng);
            }
            try (SentenceGenerator gen = SentenceGenerator.open(bundle, SentenceVae.Options.defaults())) {
                for (Generated g : options.decode(gen, z)) {
                    options.print(row(g), plain(g));
                }
            }
            return 0;
        }
    }

    @Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Encodes sentences and decodes them again from their posterior codes.",
                "The code is the mean, or the bits/classes of highest probability; prints the log-likelihood of the input and of the",
                "output under that code."})
    static final class Reconstruct implements Callable<Integer> {

        @Mixin
        Decoding options;

        @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Sentences to reconstruct.")
        List<String> texts;

        @Override
        public Integer call() throws Exception {
            return options.with((bundle, vae, gen) -> {
                for (String text : texts) {
                    Input in = input(vae, text);
                    double logPx = in.result().logLikelihood();
                    int units = in.result().modelTokens();
                    Generated out = options.decode(gen, new float[][] {in.result().code()}).get(0);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("input", in.seen(bundle));
                    r.put("hash", in.result().hash() == null ? null : in.result().hash().toHex());
                    r.put("input_log_prob", logPx);
                    r.put("input_tokens", units);
                    r.put("unknown_tokens", in.encoded().unknownCount());
                    r.put("output", out.text());
                    r.put("output_log_prob", out.logProb());
                    r.put("output_finished", out.finished());
                    options.print(r, String.format("input   %s%n        log p(x|z) %.2f (%.2f per token, %d tokens incl. </s>, %d unknown)%s%noutput  %s%n"
                            + "        log p(y|z) %.2f%s%n", in.seen(bundle), logPx, logPx / units, units, in.encoded().unknownCount(),
                            r.get("hash") == null ? "" : ", hash " + r.get("hash"), out.text(), out.logProb(), out.finished() ? "" : " [length limit]"));
                }
            });
        }
    }

    @Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Decodes points between the posterior codes of two sentences.",
                "The points lie on the line between the means (Gaussian), or on a path changing the differing bits (Bernoulli) or",
                "groups (categorical) one after another."})
    static final class Interpolate implements Callable<Integer> {

        @Mixin
        Decoding options;

        @Parameters(index = "0", paramLabel = "FROM", description = "First sentence.")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "Second sentence.")
        String to;

        @Option(names = "--steps", defaultValue = "5", description = "Points, both ends included (default: ${DEFAULT-VALUE}).")
        int steps;

        @Override
        public Integer call() throws Exception {
            UsageException.atLeast("--steps", steps, 2);
            return options.with((bundle, vae, gen) -> {
                List<Generated> out = options.decode(gen, interpolationPath(codesOnly(vae), from, to, steps));
                for (int i = 0; i < out.size(); i++) {
                    Map<String, Object> r = row(out.get(i));
                    r.put("step", i);
                    r.put("t", i / (double) (steps - 1));
                    options.print(r, String.format("%.2f  %s", i / (double) (steps - 1), plain(out.get(i))));
                }
            });
        }
    }

    @Command(name = "neighbours", aliases = "neighbors", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Decodes sentences from small perturbations of a sentence's posterior code.",
                "A perturbation is mean + scale * N(0, I) (Gaussian), or --changes random bits flipped / groups moved (discrete).",
                "The first line is the unperturbed decode."})
    static final class Neighbours implements Callable<Integer> {

        @Mixin
        Decoding options;

        @Parameters(paramLabel = "TEXT", description = "The sentence.")
        String text;

        @Option(names = "-n", defaultValue = "5", description = "Perturbed codes (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--scale", defaultValue = "0.5", description = "Gaussian noise scale (default: ${DEFAULT-VALUE}).")
        double scale;

        @Option(names = "--changes", defaultValue = "2", description = "Bits or groups changed for discrete latents (default: ${DEFAULT-VALUE}).")
        int changes;

        @Override
        public Integer call() throws Exception {
            UsageException.atLeast("-n", n, 1);
            UsageException.atLeast("--changes", changes, 0);
            if (!(scale >= 0) || Double.isInfinite(scale)) {
                throw UsageException.invalid("--scale", scale, "must be a finite number >= 0");
            }
            return options.with((bundle, vae, gen) -> {
                Posterior q = input(codesOnly(vae), text).posterior();
                SplittableRandom rng = Seeds.stream(options.seed, 202);
                float[][] z = new float[n + 1][];
                z[0] = q.code();
                for (int i = 1; i <= n; i++) {
                    z[i] = LatentSpace.perturb(q, scale, changes, rng);
                }
                List<Generated> out = options.decode(gen, z);
                for (int i = 0; i < out.size(); i++) {
                    Map<String, Object> r = row(out.get(i));
                    r.put("perturbed", i > 0);
                    options.print(r, (i == 0 ? "code   " : "near   ") + plain(out.get(i)));
                }
            });
        }
    }
}
